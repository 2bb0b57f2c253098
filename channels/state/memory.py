"""Channel state in this process's memory: bounded, for a service that runs as one process.

The dispatcher calls these from worker threads, so each store holds a lock around its check-and-set.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from bot.models import Turn
from channels.state.base import DEDUPE_TTL_S, HISTORY_TURNS, StreamJob

Clock = Callable[[], float]


class MemoryDedupe:
    """Remembers keys for `ttl_s` seconds; bounded, evicting the oldest first."""

    def __init__(self, ttl_s: float = DEDUPE_TTL_S, max_entries: int = 100_000, clock: Clock = time.time) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> expiry, in insertion order
        self._lock = threading.Lock()

    def seen(self, key: str) -> bool:
        with self._lock:
            now = self._clock()
            self._expire(now)
            expiry = self._seen.get(key)
            if expiry is not None and expiry > now:
                return True
            self._seen[key] = now + self.ttl_s
            self._seen.move_to_end(key)
            while len(self._seen) > self.max_entries:
                self._seen.popitem(last=False)
            return False

    def _expire(self, now: float) -> None:
        # Entries are in insertion order and share one TTL, so expired ones are at the front.
        while self._seen:
            key, expiry = next(iter(self._seen.items()))
            if expiry > now:
                break
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)


class MemoryHistory:
    """The last `max_turns` turns of each chat, for at most `max_conversations` (least recent dropped)."""

    def __init__(self, max_turns: int = HISTORY_TURNS, max_conversations: int = 10_000) -> None:
        self.max_turns = max_turns
        self.max_conversations = max_conversations
        self._turns: OrderedDict[str, list[Turn]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> list[Turn]:
        with self._lock:
            return list(self._turns.get(key, []))

    def append(self, key: str, question: str, answer: str) -> None:
        with self._lock:
            turns = self._turns.pop(key, [])
            turns += [Turn(role="user", content=question), Turn(role="assistant", content=answer)]
            self._turns[key] = turns[-self.max_turns :]
            while len(self._turns) > self.max_conversations:
                self._turns.popitem(last=False)

    def clear(self, key: str) -> None:
        with self._lock:
            self._turns.pop(key, None)


class MemoryStreams:
    """Streams in a dict; expired ones are dropped whenever one is opened."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._jobs: dict[str, tuple[StreamJob, float]] = {}  # id -> (job, expiry)
        self._lock = threading.Lock()

    def open(self, stream_id: str, job: StreamJob, ttl_s: float) -> StreamJob:
        with self._lock:
            now = self._clock()
            for sid in [sid for sid, (_, expiry) in self._jobs.items() if expiry <= now]:
                del self._jobs[sid]
            stored = self._jobs.setdefault(stream_id, (replace(job), now + ttl_s))[0]
            return replace(stored)

    def put(self, stream_id: str, job: StreamJob, ttl_s: float) -> None:
        with self._lock:
            self._jobs[stream_id] = (replace(job), self._clock() + ttl_s)

    def get(self, stream_id: str) -> StreamJob | None:
        with self._lock:
            entry = self._jobs.get(stream_id)
            return replace(entry[0]) if entry and entry[1] > self._clock() else None
