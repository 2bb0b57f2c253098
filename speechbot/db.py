"""The database conversations and jobs live in: SQLite in the data folder by default, PostgreSQL (or any
SQLAlchemy URL) when SPEECHBOT_DATABASE_URL names one, so every replica of the service reads the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError, ProgrammingError

from speechbot.errors import StoreConfigError

metadata = MetaData()  # the tables of conversations.py and jobs/store.py
DEFAULT_FILE = "conversations.sqlite3"  # the name from before jobs shared it, so existing data is kept
SQLITE_BUSY_S = 30  # how long a writer waits for another process's write to finish
VARIABLE = "SPEECHBOT_DATABASE_URL"


def now_iso() -> str:
    """The time stamps conversations and jobs show: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_url(configured: str, data_dir: Path) -> URL:
    """The URL to open: `configured`, or the SQLite file in `data_dir`.

    A bare `postgresql://` means the psycopg 3 driver (the `postgres` extra), not SQLAlchemy's default psycopg2.
    """
    if not configured:
        return URL.create("sqlite", database=str(data_dir / DEFAULT_FILE))
    try:
        url = make_url(configured)
    except ArgumentError as exc:
        raise StoreConfigError(f"{VARIABLE}: not a database URL: {exc}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(url: URL) -> Engine:
    """An engine for `url` (thread-safe, pooled); SQLite files get foreign keys and a busy timeout."""
    shown = url.render_as_string(hide_password=True)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = (
        {"connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_S}} if sqlite
        else {"pool_pre_ping": True})  # a server restart must not fail the next request
    try:
        engine = create_engine(url, **kwargs)
    except NoSuchModuleError as exc:
        raise StoreConfigError(f"{VARIABLE}: unknown database kind in {shown}: {exc}") from None
    except ImportError as exc:
        extra = "pip install 'speechbot[postgres]'" if url.get_backend_name() == "postgresql" else "its driver"
        raise StoreConfigError(f"{VARIABLE}: the driver for {shown} is not installed ({exc.name}): "
                               f"install {extra}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # SQLite enforces ON DELETE CASCADE only when asked, per connection.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def ensure_schema(engine: Engine, tables: list[Table], upgrades: Sequence[str] = ()) -> None:
    """Create `tables` if absent, then add any column an older file lacks.

    `upgrades` are `table.column DDL-type-and-default` strings, applied when the column is missing. Two replicas
    starting together may race to create the same table; the loser retries and finds it there.
    """
    for attempt in range(3):
        try:
            metadata.create_all(engine, tables=tables)
            with engine.begin() as conn:
                for upgrade in upgrades:
                    _add_column(conn, upgrade)
            return
        except (ProgrammingError, IntegrityError, OperationalError) as exc:
            if attempt == 2:
                shown = engine.url.render_as_string(hide_password=True)
                reason = " ".join(str(exc.orig).split()) if exc.orig else type(exc).__name__
                raise StoreConfigError(f"{VARIABLE}: cannot use the database {shown}: {reason}") from exc
            time.sleep(0.2 * (attempt + 1))


def _add_column(conn: Connection, upgrade: str) -> None:
    target, definition = upgrade.split(" ", 1)
    table, column = target.split(".")
    if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {definition}"))
