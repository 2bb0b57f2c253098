"""Embeddings from a sentence-transformers model (bge-small-zh, MiniLM, ...), loaded from a path or the hub."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from retrieval.embedders.base import Embedder
from retrieval.errors import EmbedderUnavailable, MissingExtra

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

#: The query instruction bge-*-zh models were trained with.
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："

_TORCH_HINT = "for the CPU build, run `pip install torch==2.13.0` first"


def _import_sentence_transformer() -> type[SentenceTransformer]:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingExtra("sentence-transformers", "dense", _TORCH_HINT) from exc
    return SentenceTransformer


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model behind the :class:`Embedder` interface.

    Args:
        model: A hub id (``BAAI/bge-small-zh-v1.5``) or a local model folder.
        query_instruction: Text put in front of every query, never in front of passages.
        batch_size: How many texts go through the model at once.
        device: Torch device, ``"cpu"`` unless you have a GPU.
        local_files_only: Never contact the hub; a hub id must already be in the local cache.

    Raises:
        MissingExtra: sentence-transformers (or torch) is not installed.
        EmbedderUnavailable: The model could not be found or loaded.
    """

    def __init__(
        self,
        model: str,
        query_instruction: str = "",
        batch_size: int = 32,
        device: str = "cpu",
        *,
        local_files_only: bool = False,
    ) -> None:
        sentence_transformer = _import_sentence_transformer()
        try:
            self._model = sentence_transformer(model, device=device, local_files_only=local_files_only)
        except Exception as exc:  # the library raises OSError, ValueError, HF errors...: all mean "unusable"
            hint = " (offline: give a local model folder, or download the hub id first)" if local_files_only else ""
            raise EmbedderUnavailable(f"cannot load embedding model {model!r}{hint}: {exc}") from exc
        self.name = model
        self.query_instruction = query_instruction
        self.batch_size = batch_size
        self.dim = self._dimension()

    def _dimension(self) -> int:
        # sentence-transformers 5 renamed get_sentence_embedding_dimension; support both.
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = getter()
        if not dim:
            raise EmbedderUnavailable(f"embedding model {self.name!r} does not report its dimension")
        return int(dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Encode passages as they are (no instruction). See :meth:`Embedder.embed_passages`."""
        return self._encode(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Encode queries with ``query_instruction`` in front. See :meth:`Embedder.embed_queries`."""
        return self._encode([self.query_instruction + text for text in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            prompt="",  # our instruction is the only one: ignore any default prompt saved with the model
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
