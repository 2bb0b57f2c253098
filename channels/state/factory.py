"""The one place that picks the channel state backend."""

from __future__ import annotations

import time
from collections.abc import Callable

from channels.state.base import ChannelState
from channels.state.memory import MemoryDedupe, MemoryHistory, MemoryStreams


def make_channel_state(redis_url: str = "", clock: Callable[[], float] = time.time) -> ChannelState:
    """In memory (this process only) without a URL; in Redis with one (needs the redis extra).

    Example: `make_channel_state("redis://127.0.0.1:6379/0")`.
    """
    if not redis_url:
        return ChannelState(MemoryDedupe(clock=clock), MemoryHistory(), MemoryStreams(clock))
    from channels.state.redis import redis_state  # optional part: MissingExtraError without the redis extra

    return redis_state(redis_url)
