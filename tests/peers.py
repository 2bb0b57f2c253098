"""Real peers for the tests: a redis-server and a PostgreSQL cluster from the Debian packages, and a Milvus server
(milvus-lite's own `milvus-lite server`, a process of its own speaking Milvus's gRPC API, as a cluster does), each
started on a free port of 127.0.0.1 in a temporary folder and stopped afterwards. Absent binaries skip with the
reason."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_USER = "speechbot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout_s:.0f} s")


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed (apt-get install redis-server; .ci/run installs it)")
    pytest.importorskip("redis", reason="the redis extra is not installed (pip install 'speechbot[redis]')")
    folder = Path(tempfile.mkdtemp(prefix="speechbot-redis-"))
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def milvus_server() -> Iterator[str]:
    """A throwaway Milvus server (milvus-lite in its own process, not in the test's); yields its http URI."""
    pytest.importorskip("milvus_lite", reason="the milvus extra is not installed (pip install 'speechbot[milvus]')")
    import sys

    folder = Path(tempfile.mkdtemp(prefix="speechbot-milvus-"))
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(folder / "data"),
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, "milvus-lite server", timeout_s=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def _pg_bin(name: str) -> str | None:
    """Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return versions[-1] if versions else None


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root; as root, run it as the `postgres` user the Debian package creates."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as")
    if runuser is None:
        pytest.skip("running as root without `runuser` to start PostgreSQL as the postgres user")
    return [runuser, "-u", "postgres", "--"]


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (trust authentication, no fsync); yields the URL of its `postgres` database."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found (apt-get install postgresql; "
                    ".ci/run installs it)")
    pytest.importorskip("psycopg", reason="the postgres extra is not installed (pip install 'speechbot[postgres]')")
    prefix = _as_postgres_user()
    folder = Path(tempfile.mkdtemp(prefix="speechbot-pg-"))
    if prefix:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    run = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=folder)
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", PG_USER, "-E", "UTF8",
                        "--no-sync", "--locale", "C"], **run)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -F"
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60",
                        "start"], **run)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr.decode(errors='replace')[-500:]}") from exc
    try:
        yield f"postgresql://{PG_USER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], **{**run, "check": False})
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """Create an empty database `name` on the server and return its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
