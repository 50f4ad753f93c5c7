"""The database engine: SQLite (WAL, synchronous=FULL) by default, PostgreSQL by URL; migrated at start-up.

``synchronous=FULL`` in WAL mode makes SQLite fsync the log on every commit, so an answer the API
acknowledged with 2xx survives ``kill -9`` of the server and a power cut.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["make_engine", "migrate", "is_sqlite", "is_writable", "probe_writable", "BUSY_TIMEOUT_S"]

_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


POOL_SIZE = 20
"""Connections kept open: enough for the server's thread pool (40 threads) with overflow."""


BUSY_TIMEOUT_S = 5.0
"""How long a request waits for SQLite's write lock before it gets ``503 store-unavailable``."""


def make_engine(url: str, pool_size: int = POOL_SIZE, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Engine:
    """An engine for ``url``; a relative SQLite path's folder is created if missing.

    ``busy_timeout_s`` bounds the wait for another writer's lock (SQLite), or for a lock or a
    statement (PostgreSQL ``lock_timeout``): a student's request fails fast with a 503 instead of
    hanging for half a minute."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        options = f"-c lock_timeout={int(busy_timeout_s * 1000)}"
        return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size, connect_args={"options": options})
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # No ceiling on SQLite connections (they are file handles): a checkout never waits, which
    # matters because the autosave check runs on the event loop (see api.store.attempts).
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s}, pool_size=pool_size, max_overflow=-1)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


MIN_FREE_BYTES = 2 * 1024 * 1024
"""Free space below which a SQLite store counts as full: a few autosaves' worth, with the WAL."""


_PROBE_OK_FOR_S = 0.5
_probes: "weakref.WeakKeyDictionary[Engine, tuple[threading.Lock, list[Any]]]" = weakref.WeakKeyDictionary()


def is_writable(connection: Connection) -> str:
    """:func:`probe_writable`, shared: an ``ok`` stands for ``_PROBE_OK_FOR_S`` seconds, and while one
    request probes, the others take the last answer instead of queueing for the write lock (32
    health checks at once would otherwise wait on each other, up to the probe's timeout)."""
    lock, last = _probes.setdefault(connection.engine, (threading.Lock(), [0.0, "ok"]))
    if last[1] == "ok" and time.monotonic() - last[0] < _PROBE_OK_FOR_S:
        return last[1]
    if not lock.acquire(blocking=False):
        return last[1]
    try:
        last[1] = probe_writable(connection)
        last[0] = time.monotonic()
        return last[1]
    finally:
        lock.release()


def probe_writable(connection: Connection) -> str:
    """``ok``, ``busy`` (another writer holds the lock), ``full`` (under ``MIN_FREE_BYTES`` free
    beside the SQLite file) or ``read-only`` (PostgreSQL in recovery or read-only)."""
    if connection.dialect.name != "sqlite":
        read_only = connection.exec_driver_sql("SHOW transaction_read_only").scalar()
        return "read-only" if read_only == "on" else "ok"
    database = connection.engine.url.database
    if database and database != ":memory:" and shutil.disk_usage(Path(database).resolve().parent).free < MIN_FREE_BYTES:
        return "full"
    raw = connection.connection.driver_connection
    previous = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        raw.execute("PRAGMA busy_timeout=100")
        if raw.in_transaction:
            return "ok"  # this connection already writes; the lock is ours
        raw.execute("BEGIN IMMEDIATE")  # takes the write lock, writes nothing
        raw.execute("ROLLBACK")
        return "ok"
    except sqlite3.OperationalError:
        return "busy"
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(previous)}")
