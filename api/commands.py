"""The installed ``medialit`` command: ``serve``, the authoring commands of :mod:`quizzes.authoring.cli`, and
the server's ``backup``, ``restore`` and ``retention``, which work on the server's database (its
settings: ``MEDIALIT_DATABASE_URL``, or the SQLite file in ``MEDIALIT_DATA_DIR``; ``--database``
overrides).

The authoring commands (``lint``, ``anchor``, ``export``, ``print``) live in ``quizzes.authoring``, which may
not import the server (``api → quizzes → lesson``); this module sits on top of both.
``medialit serve [OPTIONS]`` is ``python -m api [OPTIONS]``, which is what ``python3 run.py serve``
runs, so an installed copy (a wheel from ``pipx install``) and a source checkout serve the same way,
from the working folder.

Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage or unusable settings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from pydantic import ValidationError

from quizzes.authoring import cli as authoring

if TYPE_CHECKING:
    from api.settings import Settings

__all__ = ["main", "build_parser", "SERVER_COMMANDS"]

SERVER_COMMANDS = ("backup", "restore", "retention")


def build_parser() -> argparse.ArgumentParser:
    parser = authoring.build_parser()
    parser.description = "Serve the medialit classroom, author and check its lesson packs, and back up, restore and tidy its database."
    parser.epilog = "examples: medialit serve --port 8000   |   medialit lint lesson/packs/central-asia-2022"
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # argparse has no public accessor
    commands.add_parser(
        "serve", add_help=False,
        help="start the classroom server (SQLite in ./data unless MEDIALIT_DATABASE_URL is set); see medialit serve --help",
    )
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--database", metavar="URL", help="database URL (default: the server's, from MEDIALIT_DATABASE_URL or MEDIALIT_DATA_DIR)")
    backup = commands.add_parser(
        "backup", parents=[database],
        help="write a consistent backup of the server's database while it runs (SQLite backup API, or pg_dump)",
        epilog="example: medialit backup backups/medialit-$(date +%%F).db",
    )
    backup.add_argument("out", type=Path, help="file to write (replaced atomically)")
    restore = commands.add_parser(
        "restore", parents=[database],
        help="put a backup back into the server's database (stop the server first)",
        epilog="example: medialit restore backups/medialit-2026-06-30.db",
    )
    restore.add_argument("backup", type=Path, help="a file `medialit backup` wrote")
    restore.add_argument("--replace", action="store_true", help="overwrite a database that already holds classes")
    commands.add_parser(
        "retention", parents=[database],
        help="delete what is past MEDIALIT_RETENTION_DAYS / MEDIALIT_AUDIT_RETENTION_DAYS now (the server also does, hourly)",
        epilog="example: MEDIALIT_RETENTION_DAYS=365 medialit retention",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        from api.__main__ import main as serve  # uvicorn and the app load only for this command

        return serve(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.command not in SERVER_COMMANDS:
        return authoring.main(arguments)
    from api.settings import Settings

    try:
        settings = Settings(**({"database_url": args.database} if args.database else {}))
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors())
        print(f"medialit {args.command}: the settings are not usable: {problems}", file=sys.stderr)
        return 2
    match args.command:
        case "backup":
            return _backup(settings.database, args.out)
        case "restore":
            return _restore(settings.database, args.backup, args.replace)
        case _:
            return _retention(settings)


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _backup(database: str, out: Path) -> int:
    from api.backup import BackupError, backup

    try:
        summary = backup(database, out)
    except BackupError as error:
        print(f"medialit backup: {error}", file=sys.stderr)
        return 1
    print(f"{out}: backup of {_shown(database)}: {summary.describe()}, {out.stat().st_size} bytes")
    return 0


def _restore(database: str, source: Path, replace: bool) -> int:
    from sqlalchemy.orm import Session

    from api.backup import BackupError, restore
    from api.store import audit
    from api.store.db import make_engine, migrate

    try:
        summary = restore(database, source, replace)
    except BackupError as error:
        print(f"medialit restore: {error}", file=sys.stderr)
        return 1
    engine = make_engine(database)
    try:
        migrate(engine)  # a backup from an older version is brought up to date
        with Session(engine) as session:
            audit.set_actor(session, "command line")
            audit.record(session, "database-restored", file=source.name)
            session.commit()
    finally:
        engine.dispose()
    print(f"{_shown(database)}: restored from {source}: {summary.describe()}")
    return 0


def _retention(settings: Settings) -> int:
    from api.store.db import make_engine, migrate
    from api.store.retention import sweep_engine

    if settings.retention_days is None and settings.audit_retention_days is None:
        print("medialit retention: off (set MEDIALIT_RETENTION_DAYS and/or MEDIALIT_AUDIT_RETENTION_DAYS); nothing deleted")
        return 0
    engine = make_engine(settings.database)
    try:
        migrate(engine)
        print(f"medialit retention: {sweep_engine(engine, settings).describe()}")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
