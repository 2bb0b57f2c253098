"""Exceptions raised by the retrieval package.

Callers turn these into HTTP errors or CLI messages at the edges; nothing in here knows about either.
"""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class for every error raised by ``retrieval``."""


class MissingExtra(RetrievalError, ImportError):
    """An optional package is not installed; the message says which extra to install."""

    def __init__(self, package: str, extra: str, hint: str = "") -> None:
        self.package = package
        self.extra = extra
        message = f"{package} is not installed; install it with: pip install 'speechbot[{extra}]'"
        super().__init__(f"{message} ({hint})" if hint else message)


class EmbedderUnavailable(RetrievalError):
    """An embedding model could not be loaded (not found locally, no hub access, corrupt files)."""


class DenseIndexError(RetrievalError):
    """The dense vector index was given bad input or could not be read."""


class IndexNotFound(RetrievalError):
    """No index at the given folder yet."""


class IndexMismatch(RetrievalError):
    """The index was built with another format, tokenizer dictionary or embedding model."""


class IndexBusy(RetrievalError):
    """Another ingest holds the index's write lock."""


class UnknownDocument(RetrievalError):
    """No document with that id in the index."""


class BackendUnavailable(RetrievalError):
    """The index backend's server cannot be reached or refused the connection (Milvus URI, token)."""
