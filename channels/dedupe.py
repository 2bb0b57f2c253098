"""A TTL set of delivery ids: platforms retry, and each message must be answered once."""

from __future__ import annotations

import time
from collections import OrderedDict

from channels.base import Clock

DEFAULT_TTL_S = 8 * 3600  # Feishu retries for up to about 7.1 h


class DedupeStore:
    """Remembers keys for `ttl_s` seconds; bounded, evicting the oldest first."""

    def __init__(self, ttl_s: float = DEFAULT_TTL_S, max_entries: int = 100_000, clock: Clock = time.time) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> expiry, in insertion order

    def seen(self, key: str) -> bool:
        """True if `key` was recorded within the TTL; otherwise record it now and return False."""
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
