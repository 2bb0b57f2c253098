"""Access tokens cached until shortly before they expire, refetched once when the platform rejects one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from channels.base import Clock
from channels.errors import TokenExpiredError

T = TypeVar("T")
TokenFetch = Callable[[], Awaitable[tuple[str, float]]]  # -> (token, lifetime in seconds)


class TokenCache:
    """One app's token; `margin_s` before its stated expiry it counts as expired."""

    def __init__(self, fetch: TokenFetch, clock: Clock, margin_s: float = 300.0) -> None:
        self._fetch = fetch
        self._clock = clock
        self._margin_s = margin_s
        self._token = ""
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:  # concurrent answers share one fetch
            if not self._token or self._clock() >= self._expires_at:
                token, lifetime = await self._fetch()
                self._token = token
                self._expires_at = self._clock() + max(lifetime - self._margin_s, lifetime / 2)
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget `token` (only if it is still the cached one, so concurrent failures refetch once)."""
        if self._token == token:
            self._token = ""

    async def call(self, request: Callable[[str], Awaitable[T]]) -> T:
        """Run `request(token)`; on TokenExpiredError refetch the token and retry exactly once."""
        token = await self.get()
        try:
            return await request(token)
        except TokenExpiredError:
            self.invalidate(token)
            return await request(await self.get())
