"""``python -m api``: start the teacher-run server and print its URL and (once) the administrator
token and the first teacher account's token; ``python -m api teachers ...`` and ``python -m api
admin ...`` manage accounts instead (``api.admin_commands``).

Options override ``MEDIALIT_HOST``, ``MEDIALIT_PORT`` and ``MEDIALIT_WORKERS``; ``--reset-teacher-token``
replaces the first account's lost token with a new one (printed once) and then starts as usual.
``--workers N`` starts N server processes on the one port (:mod:`api.serving`); on SQLite more than
one is refused unless ``--allow-sqlite-workers`` (or ``MEDIALIT_SQLITE_WORKERS``) says otherwise.
Exit codes: 2 usage, unusable settings (such as a teacher token under 22 characters, or several
workers on SQLite) or an unusable LTI registration file, 3 an invalid lesson pack, 4 a database that
cannot be opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

import uvicorn
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.admin_commands import add_commands, run_command
from api.app import API_PREFIX, create_app
from api.connections import guarded_protocol
from api.serving import APP, PROTOCOL, sqlite_workers_refusal
from api.settings import Settings
from api.store import audit
from api.store.teachers import first_account, reset_teacher_token
from api.lti.platform import LtiNotConfigured
from lesson.errors import PackInvalid

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api", description="Start the medialit classroom server, or manage teacher accounts.",
                                     epilog='accounts: python -m api teachers list | teachers add "Ms Okafor" | teachers reset-token ID | admin reset-token')
    parser.add_argument("--host", help="address to listen on (default: MEDIALIT_HOST or 127.0.0.1; 0.0.0.0 for the whole network)")
    parser.add_argument("--port", type=int, help="port (default: MEDIALIT_PORT or 8000)")
    parser.add_argument("--workers", type=int, help="server processes sharing the port (default: MEDIALIT_WORKERS or 1); more than one needs PostgreSQL")
    parser.add_argument("--allow-sqlite-workers", action="store_true", default=None,
                        help="start several workers on SQLite anyway (they take turns for its write lock)")
    parser.add_argument("--reset-teacher-token", action="store_true", help="replace the first teacher account's token with a new one, printed once")
    add_commands(parser.add_subparsers(dest="command", metavar="{teachers,admin}", help="manage accounts instead of serving"))
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port), ("workers", args.workers),
                                   ("sqlite_workers", args.allow_sqlite_workers)) if v is not None}
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors())
        print(f"medialit: the settings are not usable: {problems}", file=sys.stderr)
        return 2
    if args.command is not None:
        return run_command(args, settings)
    refusal = sqlite_workers_refusal(settings)
    if refusal:
        print(f"medialit: not starting: {refusal}.", file=sys.stderr)
        return 2
    try:
        app = create_app(settings)
    except PackInvalid as error:
        print(f"medialit: a lesson pack is invalid; fix it (see `medialit lint`):\n{error.detail}", file=sys.stderr)
        return 3
    except LtiNotConfigured as error:
        print(f"medialit: the LTI registration file is not usable: {error.detail}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        print(f"medialit: cannot open the database {settings.database!r}: {error.__class__.__name__}: {error.args[0] if error.args else ''}", file=sys.stderr)
        return 4
    token = app.state.new_teacher_token
    if args.reset_teacher_token:
        if settings.teacher_token:
            print("medialit: MEDIALIT_TEACHER_TOKEN is set; change it there instead", file=sys.stderr)
            return 2
        with Session(app.state.engine) as session:
            first = first_account(session)
            assert first is not None  # create_app makes it
            audit.set_actor(session, "command line")
            token = reset_teacher_token(session, first.id).token
    shown_host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    api_doc = f"{API_PREFIX}/docs" if settings.api_docs else f"{API_PREFIX}/openapi.json"
    print(f"medialit: serving on http://{shown_host}:{settings.port}/ (API: http://{shown_host}:{settings.port}{api_doc})", flush=True)
    admin = app.state.new_admin_token
    if admin:
        print(f"medialit: administrator token (shown only now, store it safely; it creates teacher accounts): {admin}", flush=True)
    elif not settings.admin_token:
        print("medialit: administrator token: as printed on first start (lost it? python -m api admin reset-token)", flush=True)
    if token:
        print(f"medialit: teacher token of the first account (shown only now, store it safely): {token}", flush=True)
    elif settings.teacher_token:
        print("medialit: teacher token of the first account: the value of MEDIALIT_TEACHER_TOKEN", flush=True)
    else:
        print("medialit: teacher tokens: as printed when each account was made (lost one? python -m api teachers reset-token ID)", flush=True)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print("medialit: listening beyond this computer; put a reverse proxy in front (docs/api.md, 'Serving a network')", flush=True)
    if settings.workers > 1:
        return _serve_workers(app, settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                http=guarded_protocol(settings.header_timeout_s, settings.max_connections),
                timeout_keep_alive=settings.keep_alive_timeout_s,
                proxy_headers=False)  # X-Forwarded-For is read only from MEDIALIT_TRUSTED_PROXIES (api.deps)  # type: ignore[arg-type]  # a float works
    return 0


def _serve_workers(app: object, settings: Settings) -> int:
    """Hand over to uvicorn's process manager: ``settings.workers`` processes, restarted if one dies."""
    app.state.engine.dispose()  # type: ignore[attr-defined]  # the workers open their own
    app.state.answer_writer.engine.dispose()  # type: ignore[attr-defined]
    # The workers read their settings from the environment; the command-line options go there too.
    os.environ.update({"MEDIALIT_HOST": settings.host, "MEDIALIT_PORT": str(settings.port), "MEDIALIT_WORKERS": str(settings.workers),
                       "MEDIALIT_SQLITE_WORKERS": "true" if settings.sqlite_workers else "false"})
    print(f"medialit: starting {settings.workers} worker processes", flush=True)
    uvicorn.run(APP, factory=True, workers=settings.workers, host=settings.host, port=settings.port, log_level="warning",
                http=PROTOCOL, timeout_keep_alive=settings.keep_alive_timeout_s,  # type: ignore[arg-type]  # a float works
                proxy_headers=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
