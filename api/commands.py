"""The installed ``medialit`` command: ``medialit serve`` plus the authoring commands of ``quizzes``.

The authoring commands (``lint``, ``anchor``, ``export``, ``print``) live in :mod:`quizzes.commands`,
which may not import the server (``api → quizzes → lesson``). This module sits on top of both: it
adds ``serve`` and hands everything else to ``quizzes``. ``medialit serve [OPTIONS]`` is
``python -m api [OPTIONS]``, which is what ``python3 run.py serve`` runs, so an installed copy (a
wheel from ``pipx install``) and a source checkout serve the same way, from the working folder.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from quizzes import commands as authoring

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The authoring parser with ``serve`` added (its options are those of ``python -m api``)."""
    parser = authoring.build_parser()
    parser.description = "Serve the medialit classroom, and author and check its lesson packs."
    parser.epilog = "examples: medialit serve --port 8000   |   medialit lint lesson/packs/central-asia-2022"
    for action in parser._actions:  # argparse keeps subparsers here; there is no public accessor
        if isinstance(action, argparse._SubParsersAction):
            action.add_parser(
                "serve", add_help=False,
                help="start the classroom server (SQLite in ./data unless MEDIALIT_DATABASE_URL is set); see medialit serve --help",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        from api.__main__ import main as serve  # uvicorn and the app load only for this command

        return serve(arguments[1:])
    if not arguments or arguments[0] in ("-h", "--help"):
        build_parser().parse_args(arguments)  # prints usage (with serve) and exits
    return authoring.main(arguments)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
