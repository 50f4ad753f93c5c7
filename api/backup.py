"""Backups of the server's database, taken while it runs, and their restore.

- SQLite: the sqlite3 online-backup API copies the database in one step, as one consistent
  snapshot; in WAL mode a reader never blocks the server's writers, so students keep saving.
  The copy is checked (``PRAGMA integrity_check``), switched to a single self-contained file
  (rollback journal) and moved into place atomically.
- PostgreSQL: ``pg_dump --format=custom`` reads one snapshot of the database (a repeatable-read
  transaction: consistent, and writers are not blocked); ``pg_restore --single-transaction`` puts
  it back all or nothing. ``pg_dump``/``pg_restore`` come with PostgreSQL (Debian: ``postgresql-client``).

A restore refuses a database that already holds classes unless told to replace it. It does not
migrate: the server (or ``medialit restore``) brings an older backup up to date on start.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import URL, make_url

from api.store.tables import AnswerRow, ClassRow, StudentRow

__all__ = ["BackupError", "Summary", "backup", "restore", "summarise", "SQLITE_MAGIC", "PG_MAGIC"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
BUSY_TIMEOUT_MS = 30_000
"""How long the SQLite backup waits for a writer's lock, milliseconds (a write lasts milliseconds)."""


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in plain words."""


@dataclass(frozen=True)
class Summary:
    classes: int
    students: int
    answers: int

    def describe(self) -> str:
        return f"{self.classes} class(es), {self.students} student(s), {self.answers} stored answer(s)"


def summarise(url: str) -> Summary:
    """What the database at ``url`` holds, in counts (zeros for a database without medialit's tables)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("classes"):
                return Summary(0, 0, 0)
            count = lambda table: connection.scalar(select(func.count()).select_from(table)) or 0  # noqa: E731
            return Summary(count(ClassRow), count(StudentRow), count(AnswerRow))
    finally:
        engine.dispose()


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _magic(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(16)
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None


def _replace_atomically(tmp: Path, out: Path) -> None:
    with tmp.open("rb") as stream:
        os.fsync(stream.fileno())
    os.replace(tmp, out)
    directory = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _temp_beside(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    return Path(name)


def backup(database_url: str, out: Path) -> Summary:
    """Write a consistent backup of ``database_url`` to ``out`` (replaced atomically); return what it holds."""
    url = make_url(database_url)
    tmp = _temp_beside(out)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), tmp)
            summary = summarise(f"sqlite:///{tmp}")
        elif url.get_backend_name() == "postgresql":
            summary = _pg_dump(database_url, url, tmp)
        else:
            raise BackupError(f"cannot back up a {url.get_backend_name()} database (SQLite and PostgreSQL only)")
        _replace_atomically(tmp, out)
        return summary
    finally:
        tmp.unlink(missing_ok=True)


def _sqlite_backup(source: Path, tmp: Path) -> None:
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if _magic(source) != SQLITE_MAGIC:
        raise BackupError(f"{source} is not a SQLite database")
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(tmp)
    try:
        src.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # pages=-1 (the default): every page in one step, under one read snapshot. Stepping in
        # smaller pieces would restart whenever the server writes in between.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        status = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise BackupError(f"the copy failed its integrity check: {status}")
    finally:
        dst.close()
        src.close()


def _pg_dump(database_url: str, url: URL, tmp: Path) -> Summary:
    """pg_dump of one exported snapshot, counted in that same snapshot (so the summary is the dump's)."""
    engine = create_engine(database_url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            tables = inspect(connection).get_table_names()
            count = lambda table: (connection.scalar(select(func.count()).select_from(table)) or 0) if table.name in tables else 0  # noqa: E731
            summary = Summary(count(ClassRow.__table__), count(StudentRow.__table__), count(AnswerRow.__table__))
            # the transaction stays open while pg_dump reads its snapshot
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={tmp}", _libpq(url)], url)
            connection.rollback()
        return summary
    finally:
        engine.dispose()


def restore(database_url: str, source: Path, replace: bool = False) -> Summary:
    """Put the backup ``source`` into ``database_url``; return what the database then holds.

    Refuses (``BackupError``) a file that is not a backup for this kind of database, and a database
    that already holds classes unless ``replace``: then its content is replaced by the backup's."""
    url = make_url(database_url)
    magic = _magic(source)
    existing = summarise(database_url) if _exists(url) else Summary(0, 0, 0)
    if existing.classes and not replace:
        raise BackupError(f"the database already holds {existing.describe()}; restore into an empty one, or pass --replace to overwrite it")
    if url.get_backend_name() == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup" + (" (it is a PostgreSQL dump)" if magic.startswith(PG_MAGIC) else ""))
        _sqlite_restore(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        if not magic.startswith(PG_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup" + (" (it is a SQLite file)" if magic.startswith(SQLITE_MAGIC) else ""))
        if replace:
            _drop_tables(database_url)
        _run([_tool("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
              f"--dbname={_libpq(url)}", str(source)], url)
    else:
        raise BackupError(f"cannot restore into a {url.get_backend_name()} database (SQLite and PostgreSQL only)")
    return summarise(database_url)


def _exists(url: URL) -> bool:
    return url.get_backend_name() != "sqlite" or _sqlite_path(url).is_file()


def _sqlite_restore(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        status = src.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise BackupError(f"{source} is damaged: {status}")
        if src.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone() is None:
            raise BackupError(f"{source} is a SQLite file but not a medialit database")
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            src.backup(dst)  # one transaction on the target: all of the backup, or the old content
            dst.execute("PRAGMA journal_mode=WAL")  # as the server keeps it
        finally:
            dst.close()
    finally:
        src.close()


def _drop_tables(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            for table in inspect(connection).get_table_names():
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        engine.dispose()


def _tool(name: str) -> str:
    """``name`` from PATH, else the newest in Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if versions:
        return str(versions[-1])
    raise BackupError(f"{name} is not installed; it comes with PostgreSQL (Debian: apt-get install postgresql-client)")


def _libpq(url: URL) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver name, no password (that goes in PGPASSWORD)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: URL) -> None:
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` would show it
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} failed: {message[-1] if message else f'exit code {result.returncode}'}")
