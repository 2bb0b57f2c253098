"""The three small interfaces of channel state; one file per backend implements them (memory.py, redis.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.models import Turn

DEDUPE_TTL_S = 8 * 3600  # Feishu retries for up to about 7.1 h
HISTORY_TURNS = 10


class Dedupe(Protocol):
    """A TTL set of delivery ids: platforms retry, and each message must be answered once."""

    def seen(self, key: str) -> bool:
        """True if `key` was recorded within the TTL; otherwise record it now and return False (atomically)."""
        ...


class History(Protocol):
    """The last turns of each chat, so follow-up questions see the earlier ones."""

    def get(self, key: str) -> list[Turn]:
        """A copy of the chat's turns, oldest first."""
        ...

    def append(self, key: str, question: str, answer: str) -> None:
        """Record one exchange (the answer without its citation footer)."""
        ...

    def clear(self, key: str) -> None: ...


@dataclass
class StreamJob:
    """A WeCom AI bot answer stream: open until the answer is in, then finished with it."""

    created: float
    content: str = ""
    finished: bool = False


class Streams(Protocol):
    """Streams by id, each kept for `ttl_s` seconds after it is written."""

    def open(self, stream_id: str, job: StreamJob, ttl_s: float) -> StreamJob:
        """Store `job` unless the stream exists; return the stored one (a retried delivery finds its stream)."""
        ...

    def put(self, stream_id: str, job: StreamJob, ttl_s: float) -> None: ...

    def get(self, stream_id: str) -> StreamJob | None: ...


@dataclass(frozen=True)
class ChannelState:
    """What the channels share between requests (and, in Redis, between replicas)."""

    dedupe: Dedupe
    history: History
    streams: Streams
    backend: str = "memory"
