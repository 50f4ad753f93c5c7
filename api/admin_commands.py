"""The administrator's commands of ``python -m api``: teacher accounts and the administrator token.

    python -m api teachers list                    # id, name, classes, whether the account can sign in
    python -m api teachers add "Ms Okafor"         # a new account; its token is printed once
    python -m api teachers reset-token 2           # a new token for account 2 (the old one stops working)
    python -m api admin reset-token                # a new administrator token

They work on the database of the settings (``MEDIALIT_DATABASE_URL`` or ``MEDIALIT_DATA_DIR``),
migrating it first, while the server runs or not: whoever can run them on the server's machine
is the administrator. Exit codes: 0 done, 1 refused (a name already used, no such account), 2
unusable settings, 4 a database that cannot be opened.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.errors import Conflict, InvalidInput, NotFound
from api.settings import Settings
from api.store import audit
from api.store.auth import reset_admin_token
from api.store.db import make_engine, migrate
from api.store.teachers import create_teacher, ensure_accounts, list_teachers, reset_teacher_token

__all__ = ["add_commands", "run_command", "COMMANDS"]

COMMANDS = ("teachers", "admin")
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DATABASE = 0, 1, 2, 4


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``teachers`` and ``admin`` to a parser's subcommands."""
    teachers = commands.add_parser("teachers", help="list, add teacher accounts, or reset a teacher's token",
                                   epilog='example: python -m api teachers add "Ms Okafor"')
    actions = teachers.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every account: id, display name, classes, whether it can sign in")
    add = actions.add_parser("add", help="create an account; its token is printed once")
    add.add_argument("display_name", help="what colleagues see (no e-mail is needed)")
    reset = actions.add_parser("reset-token", help="give an account a new token, printed once; the old one stops working")
    reset.add_argument("teacher_id", type=int, help="the account's id, from: python -m api teachers list")
    admin = commands.add_parser("admin", help="replace the administrator token")
    admin_actions = admin.add_subparsers(dest="action", required=True)
    admin_actions.add_parser("reset-token", help="a new administrator token, printed once; the old one stops working")


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run a command that :func:`add_commands` parsed; prints to stdout, problems to stderr."""
    if args.command == "admin" and settings.admin_token is not None:
        print("medialit: MEDIALIT_ADMIN_TOKEN is set; change it there instead", file=sys.stderr)
        return EXIT_USAGE
    try:
        engine = make_engine(settings.database, busy_timeout_s=settings.store_busy_timeout_s)
        migrate(engine)
    except SQLAlchemyError as error:
        print(f"medialit: cannot open the database {settings.database!r}: {error.__class__.__name__}", file=sys.stderr)
        return EXIT_DATABASE
    try:
        with Session(engine, expire_on_commit=False) as session:
            # what the server does at start, so the first account is the one MEDIALIT_TEACHER_TOKEN names
            _announce(*ensure_accounts(session, _secret(settings.admin_token), _secret(settings.teacher_token)))
            audit.set_actor(session, "command line")
            return _run(args, settings, session)
    except (Conflict, NotFound, InvalidInput) as error:
        print(f"medialit: {error.detail}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        engine.dispose()


def _secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


def _announce(admin: str | None, teacher: str | None) -> None:
    if admin:
        print(f"medialit: new administrator token (shown only now): {admin}")
    if teacher:
        print(f"medialit: new token of the first teacher account, 'Teacher' (shown only now): {teacher}")


def _run(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    match args.command, args.action:
        case "teachers", "list":
            for account in list_teachers(session):
                sign_in = "" if account.has_token else "  (no token yet: reset-token gives one)"
                print(f"{account.id:>5}  {account.display_name}  ({account.class_count} classes){sign_in}")
        case "teachers", "add":
            made = create_teacher(session, args.display_name)
            print(f"medialit: teacher account {made.teacher.id}, {made.teacher.display_name!r}; token (shown only now): {made.token}")
        case "teachers", "reset-token":
            made = reset_teacher_token(session, args.teacher_id, env_token_set=settings.teacher_token is not None)
            print(f"medialit: new token for {made.teacher.display_name!r} (shown only now): {made.token}")
        case "admin", "reset-token":
            print(f"medialit: new administrator token (shown only now): {reset_admin_token(session)}")
        case _:
            raise AssertionError(args)
    return EXIT_OK
