"""The composition root: build the index, the bot and the ingestor from one Settings object."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.extractive import ExtractiveAnswerer
from bot.pipeline import Bot, Generator
from bot.scoring import load_scoring
from retrieval.backends import Backend
from retrieval.backends import open_index as _open_index
from retrieval.base import SpeechIndex
from retrieval.embedders import Embedder, load_embedder
from retrieval.search import Searcher
from speechbot.settings import Settings

if TYPE_CHECKING:
    from ingest.pipeline import Ingestor

log = logging.getLogger("speechbot")


@lru_cache(maxsize=4)
def _embedder(model: str, instruction: str, batch: int) -> Embedder | None:
    return load_embedder(model, instruction, batch)


def embedder(settings: Settings) -> Embedder | None:
    """The configured dense model, or None (lexical only) — load failures are warned about once."""
    return _embedder(settings.embed_model, settings.embed_query_instruction, settings.embed_batch_size)


def backend(settings: Settings) -> Backend:
    """Where the index lives, as retrieval's factory takes it."""
    return Backend(settings.backend, settings.milvus_uri, settings.milvus_token, settings.milvus_collection)


def open_index(settings: Settings) -> SpeechIndex:
    return _open_index(settings.index_dir(), embedder(settings), backend(settings))


def make_generator(settings: Settings) -> Generator | None:
    if not settings.llm_base_url:
        return None
    from bot.llm.factory import make_generator as _make  # optional part: needs the llm extra

    return _make(settings)


def make_bot(settings: Settings, index: SpeechIndex | None = None) -> Bot:
    index = index or open_index(settings)
    return Bot(Searcher(index, candidates=settings.candidates), ExtractiveAnswerer(load_scoring()),
               make_generator(settings), top_k=settings.top_k)


def make_ingestor(settings: Settings, rebuild: bool = False, replace: bool = False) -> Ingestor:
    from ingest.pipeline import IngestOptions, Ingestor  # the command and the service import it only to ingest

    options = IngestOptions(settings.chunk_size, settings.chunk_overlap, embedder(settings), rebuild,
                            workers=settings.ingest_workers, replace=replace, backend=backend(settings))
    return Ingestor(settings.index_dir(), options)
