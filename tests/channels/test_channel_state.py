"""Channel state on both backends — this process's memory and a real redis-server — and, in Redis, shared by two
instances as two replicas share it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from channels.state import ChannelState, StreamJob, make_channel_state
from channels.state.memory import MemoryDedupe
from channels.state.redis import RedisDedupe, RedisHistory, connect

StateFactory = Callable[[], ChannelState]


@pytest.fixture(params=["memory", "redis"])
def new_state(request: pytest.FixtureRequest) -> StateFactory:
    """Makes channel state; in Redis each call is another client (another replica) of the same server."""
    if request.param == "memory":
        shared = make_channel_state()
        return lambda: shared
    url = request.getfixturevalue("redis_url")
    return lambda: make_channel_state(url)


def short_dedupe(state: ChannelState, ttl_s: float) -> MemoryDedupe | RedisDedupe:
    if state.backend == "redis":
        return RedisDedupe(state.dedupe.client, ttl_s=ttl_s)  # type: ignore[attr-defined]
    return MemoryDedupe(ttl_s=ttl_s)


def test_a_delivery_is_seen_once_within_the_ttl(new_state: StateFactory) -> None:
    state = new_state()
    assert state.dedupe.seen("telegram:tg:1") is False
    assert state.dedupe.seen("telegram:tg:1") is True
    assert new_state().dedupe.seen("telegram:tg:1") is True  # the other replica knows it too
    assert state.dedupe.seen("telegram:tg:2") is False
    short = short_dedupe(state, ttl_s=0.2)
    assert short.seen("x") is False and short.seen("x") is True
    time.sleep(0.35)
    assert short.seen("x") is False  # forgotten after the TTL


def test_of_many_racing_deliveries_exactly_one_is_answered(new_state: StateFactory) -> None:
    replicas = [new_state(), new_state()]
    fresh: list[bool] = []
    barrier = threading.Barrier(16)

    def deliver(state: ChannelState) -> None:
        barrier.wait()
        fresh.append(not state.dedupe.seen("feishu:f:evt-1"))

    threads = [threading.Thread(target=deliver, args=(replicas[i % 2],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(fresh) == [False] * 15 + [True]


def test_history_keeps_the_last_turns_of_each_chat_for_every_replica(new_state: StateFactory) -> None:
    first, second = new_state(), new_state()
    for n in range(7):
        (first if n % 2 else second).history.append("wecom:corp:chat1", f"问{n}", f"答{n}")
    turns = second.history.get("wecom:corp:chat1")
    assert len(turns) == 10 and turns[0].content == "问2" and turns[-1].content == "答6"
    assert [t.role for t in turns[:2]] == ["user", "assistant"]
    assert first.history.get("wecom:corp:other") == []
    first.history.clear("wecom:corp:chat1")
    assert second.history.get("wecom:corp:chat1") == []


def test_a_stream_opened_on_one_replica_is_finished_and_read_on_another(new_state: StateFactory) -> None:
    first, second = new_state(), new_state()
    opened = first.streams.open("s1", StreamJob(created=1.0), ttl_s=60)
    assert opened == StreamJob(created=1.0) and second.streams.get("s1") == opened
    assert second.streams.open("s1", StreamJob(created=2.0, finished=True), ttl_s=60) == opened  # a retry
    second.streams.put("s1", StreamJob(created=1.0, content="答案", finished=True), ttl_s=60)
    assert first.streams.get("s1") == StreamJob(created=1.0, content="答案", finished=True)
    assert first.streams.get("unknown") is None


def test_redis_keys_expire(redis_url: str) -> None:
    state = make_channel_state(redis_url)
    client = connect(redis_url)
    history = RedisHistory(client, idle_s=0.2)
    history.append("k", "q", "a")
    state.streams.put("s", StreamJob(created=0.0), ttl_s=0.2)
    state.dedupe.seen("d")
    assert 0 < client.pttl("speechbot:dedupe:d") <= 8 * 3600 * 1000
    time.sleep(0.35)
    assert history.get("k") == [] and state.streams.get("s") is None
