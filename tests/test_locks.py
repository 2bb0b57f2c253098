"""The job lock on both backends (a file lock, a real redis-server): one holder at a time, and a holder that dies
gives it up; a missing redis extra is a one-line configuration error."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from channels.errors import MissingExtraError
from speechbot.errors import StoreConfigError
from speechbot.locks import JobLock, make_job_lock


@pytest.fixture(params=["file", "redis"])
def lock_pair(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[JobLock, JobLock]:
    """Two locks on the same thing, as two replicas hold them."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    return make_job_lock(url, tmp_path), make_job_lock(url, tmp_path)


def test_one_holder_at_a_time(lock_pair: tuple[JobLock, JobLock]) -> None:
    first, second = lock_pair
    with first.hold(1) as held:
        assert held
        with second.hold(0.2) as other:
            assert not other
    with second.hold(1) as held:
        assert held


def test_a_waiting_replica_gets_the_lock_when_the_holder_lets_go(lock_pair: tuple[JobLock, JobLock]) -> None:
    first, second = lock_pair
    got: list[bool] = []
    with first.hold(1):
        waiter = threading.Thread(target=lambda: got.append(second.hold(5).__enter__()))
        waiter.start()
        time.sleep(0.2)
        assert got == []
    waiter.join(5)
    assert got == [True]


def test_a_redis_lease_is_renewed_while_held_and_lapses_when_the_holder_dies(redis_url: str) -> None:
    from speechbot.locks.redis import NAME, RedisJobLock, connect

    client = connect(redis_url)
    holder, other = RedisJobLock(client, lease_s=0.3), RedisJobLock(connect(redis_url), lease_s=0.3)
    with holder.hold(1) as held:
        assert held
        with other.hold(0.8) as stolen:  # over two leases: renewed, so never free
            assert not stolen
    dead = client.lock(NAME, timeout=0.3)  # taken and never released nor renewed: its holder died
    assert dead.acquire(blocking=False)
    started = time.monotonic()
    with other.hold(3) as held:
        assert held and time.monotonic() - started < 1.5


def test_a_file_lock_is_released_when_its_process_dies(tmp_path: Path) -> None:
    path = tmp_path / "jobs.lock"
    code = (f"from filelock import FileLock; import time; lock = FileLock({str(path)!r}); lock.acquire(); "
            "print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        lock = make_job_lock("", tmp_path)
        with lock.hold(0.2) as held:
            assert not held
        holder.kill()
        holder.wait(10)
        with lock.hold(2) as held:
            assert held
    finally:
        holder.kill()


def test_without_the_redis_extra_a_redis_url_is_a_clear_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # `import redis` now fails as if not installed
    for module in ("speechbot.locks.redis", "channels.state.redis"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(StoreConfigError, match=r"speechbot\[redis\]"):
        importlib.import_module("speechbot.locks.redis")
    with pytest.raises(MissingExtraError, match=r"speechbot\[redis\]"):
        importlib.import_module("channels.state.redis")
