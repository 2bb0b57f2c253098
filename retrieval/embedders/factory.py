"""Pick and load the configured embedder, or none: dense retrieval is optional, lexical search always works."""

from __future__ import annotations

import logging
from pathlib import Path

from retrieval.embedders.base import Embedder

logger = logging.getLogger("speechbot")

# Models we have already warned about, so a server that calls load_embedder per request logs once.
_warned: set[str] = set()


def load_embedder(model: str, query_instruction: str = "", batch_size: int = 32) -> Embedder | None:
    """Load a sentence-transformers embedder, or return None so the caller falls back to lexical search.

    Never touches the network: a local folder loads from disk, and a hub id loads only if it is already in
    the local Hugging Face cache (otherwise it fails at once instead of waiting on a connection).

    Args:
        model: A local model folder or a cached hub id; empty means "no dense retrieval".
        query_instruction: Text put in front of queries only (bge-zh needs one).
        batch_size: How many texts go through the model at once.

    Returns:
        The embedder, or None when ``model`` is empty (silently) or cannot be loaded (after one warning per
        model per process).
    """
    if not model:
        return None
    local_files_only = not Path(model).expanduser().exists()
    try:
        from retrieval.embedders.sentence_transformers import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(model, query_instruction, batch_size, local_files_only=local_files_only)
    except Exception as exc:  # any failure means "no dense retrieval", never a crash
        _warn_once(model, exc)
        return None


def _warn_once(model: str, exc: Exception) -> None:
    if model in _warned:
        return
    _warned.add(model)
    logger.warning("Dense retrieval disabled, using lexical search only: %s", exc)
