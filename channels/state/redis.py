"""Channel state in Redis, shared by every replica: SET NX for delivery ids, a capped list per chat, one key per
stream. Every key expires, so Redis holds only what is still useful."""

from __future__ import annotations

import json
from dataclasses import asdict

from bot.models import Turn
from channels.errors import MissingExtraError
from channels.state.base import DEDUPE_TTL_S, HISTORY_TURNS, ChannelState, StreamJob

try:
    import redis
except ImportError as exc:  # pragma: no cover - exercised by the missing-extra test
    raise MissingExtraError("SPEECHBOT_REDIS_URL is set but the redis extra is not installed: "
                            "pip install 'speechbot[redis]'") from exc

PREFIX = "speechbot:"
HISTORY_IDLE_S = 7 * 86400  # a chat silent for a week starts afresh


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class RedisDedupe:
    def __init__(self, client: redis.Redis, ttl_s: float = DEDUPE_TTL_S) -> None:
        self.client = client
        self.ttl_s = ttl_s

    def seen(self, key: str) -> bool:
        # SET NX is atomic: of two replicas given the same delivery, exactly one sets the key and answers.
        return not self.client.set(f"{PREFIX}dedupe:{key}", 1, nx=True, px=_ms(self.ttl_s))


class RedisHistory:
    def __init__(self, client: redis.Redis, max_turns: int = HISTORY_TURNS, idle_s: float = HISTORY_IDLE_S) -> None:
        self.client = client
        self.max_turns = max_turns
        self.idle_s = idle_s

    def get(self, key: str) -> list[Turn]:
        return [Turn.model_validate_json(item) for item in self.client.lrange(f"{PREFIX}history:{key}", 0, -1)]

    def append(self, key: str, question: str, answer: str) -> None:
        name = f"{PREFIX}history:{key}"
        turns = [Turn(role="user", content=question), Turn(role="assistant", content=answer)]
        with self.client.pipeline(transaction=True) as pipe:  # one MULTI: the exchange goes in whole
            pipe.rpush(name, *(t.model_dump_json() for t in turns))
            pipe.ltrim(name, -self.max_turns, -1)
            pipe.pexpire(name, _ms(self.idle_s))
            pipe.execute()

    def clear(self, key: str) -> None:
        self.client.delete(f"{PREFIX}history:{key}")


class RedisStreams:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def open(self, stream_id: str, job: StreamJob, ttl_s: float) -> StreamJob:
        name = f"{PREFIX}stream:{stream_id}"
        with self.client.pipeline(transaction=True) as pipe:
            pipe.set(name, json.dumps(asdict(job), ensure_ascii=False), nx=True, px=_ms(ttl_s))
            pipe.get(name)
            _, stored = pipe.execute()
        return StreamJob(**json.loads(stored))

    def put(self, stream_id: str, job: StreamJob, ttl_s: float) -> None:
        self.client.set(f"{PREFIX}stream:{stream_id}", json.dumps(asdict(job), ensure_ascii=False), px=_ms(ttl_s))

    def get(self, stream_id: str) -> StreamJob | None:
        stored = self.client.get(f"{PREFIX}stream:{stream_id}")
        return StreamJob(**json.loads(stored)) if stored else None


def connect(url: str) -> redis.Redis:
    """A pooled, thread-safe client; bounded timeouts so a dead Redis fails a request instead of hanging it."""
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=5,
                                health_check_interval=30)


def redis_state(url: str) -> ChannelState:
    client = connect(url)
    return ChannelState(RedisDedupe(client), RedisHistory(client), RedisStreams(client), backend="redis")
