"""One connection to Milvus per URI and token, with one-line errors for a missing package or an unreachable URI."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from retrieval.errors import BackendUnavailable, MissingExtra

if TYPE_CHECKING:
    from pymilvus import MilvusClient

    from retrieval.backends import Backend

log = logging.getLogger("speechbot")
_CLIENTS: dict[tuple[str, str], MilvusClient] = {}
_LOCK = threading.Lock()
TIMEOUT_S = 10.0  # how long the first connection may take before the URI is reported unreachable


def is_lite(uri: str) -> bool:
    """pymilvus runs milvus-lite in-process for a local path ending .db; anything else is a server."""
    return "://" not in uri and uri.endswith(".db")


def client(backend: Backend) -> MilvusClient:
    """The shared client of a URI (readers and the writer of one process reuse it; pymilvus is thread-safe)."""
    key = (backend.milvus_uri, backend.milvus_token)
    with _LOCK:
        if key not in _CLIENTS:
            _CLIENTS[key] = _connect(*key)
        return _CLIENTS[key]


def _connect(uri: str, token: str) -> MilvusClient:
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise MissingExtra("pymilvus", "milvus", "needed by SPEECHBOT_BACKEND=milvus") from exc
    if is_lite(uri):
        try:
            import milvus_lite  # noqa: F401  (pymilvus starts it for a .db path)
        except ImportError as exc:
            raise MissingExtra("milvus-lite", "milvus", f"needed for the local Milvus file {uri}") from exc
        # milvus-lite keeps no MVCC timestamps: pymilvus would warn on every paged read (document listings)
        logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)
    elif "://" not in uri:
        raise BackendUnavailable(f"SPEECHBOT_MILVUS_URI={uri!r} is neither a milvus-lite file (*.db) nor a URL "
                                 "such as http://host:19530")
    try:
        return MilvusClient(uri=uri, token=token, timeout=TIMEOUT_S)
    except Exception as exc:  # pymilvus raises MilvusException or grpc errors: all mean the same to the user
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise BackendUnavailable(f"cannot reach Milvus at {uri}: {reason}") from exc
