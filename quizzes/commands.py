"""The ``medialit`` authoring command: ``lint`` a pack, find ``anchor`` offsets, ``export`` quizzes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from lesson.errors import PackInvalid
from lesson.loading import shipped_packs_dir
from lesson.text import QuoteAmbiguous, QuoteNotFound

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medialit",
        description="Author and check medialit lesson packs.",
        epilog="example: medialit lint lesson/packs/central-asia-2022",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    lint = commands.add_parser(
        "lint",
        help="validate lesson packs: anchors, ids, keys, scopes, leaks, coverage",
        epilog="example: medialit lint lesson/packs/central-asia-2022   (no folder: every shipped pack)",
    )
    lint.add_argument("packs", nargs="*", type=Path, help="pack folders (default: the shipped packs)")
    anchor = commands.add_parser(
        "anchor",
        help="print the [start, end) offsets of an exact quote",
        epilog='example: medialit anchor lesson/packs/central-asia-2022 "Kiev regime" --occurrence 2',
    )
    anchor.add_argument("pack", type=Path)
    anchor.add_argument("quote")
    anchor.add_argument("--occurrence", type=int, default=None, help="1-based occurrence when the quote recurs")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    match args.command:
        case "lint":
            return _lint(args.packs or sorted(p for p in shipped_packs_dir().iterdir() if (p / "pack.json").is_file()))
        case "anchor":
            return _anchor(args.pack, args.quote, args.occurrence)
    return EXIT_USAGE


def _lint(folders: list[Path]) -> int:
    from quizzes.loading import load_bank

    status = EXIT_OK
    for folder in folders:
        try:
            bank = load_bank(folder)
        except PackInvalid as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print(f"{folder}: {len(error.problems)} problem(s)", file=sys.stderr)
            status = EXIT_INVALID
            continue
        print(
            f"{folder}: ok — {len(bank.pack.annotation.items)} annotation items, "
            f"{len(bank.exercises)} exercises, {len(bank.quizzes)} quizzes"
        )
    return status


def _anchor(folder: Path, quote: str, occurrence: int | None) -> int:
    from lesson.text import find_quote

    text_path = folder / "article.txt"
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"{text_path}: {error}", file=sys.stderr)
        return EXIT_USAGE
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    if not starts:
        try:
            span = find_quote(text, quote)
        except (QuoteNotFound, QuoteAmbiguous) as error:
            print(f"not found exactly: {error}", file=sys.stderr)
            return EXIT_INVALID
        print(f"not found exactly; after folding quotes and spaces: {span.start} {span.end} {text[span.start:span.end]!r}")
        return EXIT_INVALID
    chosen = starts if occurrence is None else starts[occurrence - 1 : occurrence]
    for start in chosen:
        print(f"{start} {start + len(quote)}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
