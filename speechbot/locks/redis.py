"""The job lock in Redis: redis-py's Lock (a random token set with NX and an expiry, released only by its
holder), renewed by a thread while held, so a replica that dies loses it within one lease."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from speechbot.errors import StoreConfigError

try:
    import redis
    from redis.exceptions import LockError, RedisError
except ImportError as exc:  # pragma: no cover - exercised by the missing-extra test
    raise StoreConfigError("SPEECHBOT_REDIS_URL is set but the redis extra is not installed: "
                           "pip install 'speechbot[redis]'") from exc

log = logging.getLogger("speechbot")
NAME = "speechbot:lock:jobs"
LEASE_S = 30.0  # a dead holder's lock lapses after this; the holder renews it every third of it


class RedisJobLock:
    kind = "redis"

    def __init__(self, client: redis.Redis, name: str = NAME, lease_s: float = LEASE_S) -> None:
        self.client = client
        self.name = name
        self.lease_s = lease_s

    @contextmanager
    def hold(self, timeout_s: float) -> Iterator[bool]:
        lock = self.client.lock(self.name, timeout=self.lease_s, blocking_timeout=timeout_s, thread_local=False)
        if not lock.acquire():
            yield False
            return
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(lock, stop), name="speechbot-lock-renew", daemon=True)
        renewer.start()
        try:
            yield True
        finally:
            stop.set()
            renewer.join()
            try:
                lock.release()
            except LockError:
                log.warning("the job lock lapsed while held (Redis unreachable for over %.0f s?)", self.lease_s)

    def _renew(self, lock: redis.lock.Lock, stop: threading.Event) -> None:
        while not stop.wait(self.lease_s / 3):
            try:
                lock.reacquire()
            except (LockError, RedisError) as exc:
                log.warning("renewing the job lock failed: %s", exc)


def connect(url: str) -> redis.Redis:
    """A client for `url`, checked at start: a wrong URL or an unreachable server is a one-line error."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)
        client.ping()
    except (ValueError, RedisError) as exc:
        raise StoreConfigError(f"SPEECHBOT_REDIS_URL: cannot use {_hide_password(url)}: {exc}") from None
    return client


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
