"""The ``medialit`` authoring command: ``lint`` a pack, find ``anchor`` offsets, ``export`` quizzes,
``print`` a student copy."""

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
        help="validate lesson packs: anchors, ids, keys, scopes, leaks, coverage, option cues",
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
    _add_export(commands)
    printing = commands.add_parser(
        "print",
        help="write a printable student copy: the text with block numbers, then the reading guide (HTML or PDF)",
        epilog="example: medialit print --out student-copy.pdf   (PDF needs the 'print' extra: WeasyPrint)",
    )
    printing.add_argument("--out", required=True, type=Path, help="file to write: .html, or .pdf")
    printing.add_argument("--pack", type=Path, default=None, help="pack folder (default: the shipped pack)")
    return parser


def _add_export(commands: argparse._SubParsersAction) -> None:
    from quizzes.exports.formats import EXPORT_FORMATS, SEMEVAL_FORMS

    export = commands.add_parser(
        "export",
        help="write a quiz as QTI 3.0, Moodle XML, GIFT, or its key as Web Annotation or SemEval",
        epilog="example: medialit export --quiz tiny-all --format qti --out tiny-all.zip --pack tests/fixtures/packs/tiny",
    )
    export.add_argument("--quiz", help="quiz id (optional for webanno and semeval: the whole master key)")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", required=True, type=Path, help="file to write (replaced atomically)")
    export.add_argument("--pack", type=Path, default=None, help="pack folder (default: the shipped pack)")
    export.add_argument(
        "--answers", type=Path, default=None,
        help="webanno only: export students' marks from this answers file (the grading script's JSONL/CSV) instead of the key",
    )
    export.add_argument(
        "--semeval-form", choices=SEMEVAL_FORMS, default=None,
        help="semeval only: tsv (2020 Task 11), json (2021 Task 6) or paragraphs (2023 Task 3); default from --out: .json gives json, else tsv",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    match args.command:
        case "lint":
            return _lint(args.packs or sorted(p for p in shipped_packs_dir().iterdir() if (p / "pack.json").is_file()))
        case "anchor":
            return _anchor(args.pack, args.quote, args.occurrence)
        case "export":
            return _export(args)
        case "print":
            return _print(args.pack, args.out)
    return EXIT_USAGE


def _print(folder: Path | None, out: Path) -> int:
    from lesson.loading import load_pack
    from quizzes.grader.atomic import atomic_writer
    from quizzes.exports.printable import student_copy_html, student_copy_pdf
    from quizzes.loading import DEFAULT_PACK

    if out.suffix not in (".html", ".pdf"):
        print("medialit print: --out must end in .html or .pdf", file=sys.stderr)
        return EXIT_USAGE
    try:
        pack = load_pack(folder or shipped_packs_dir() / DEFAULT_PACK)
    except PackInvalid as error:
        print(f"medialit print: {error.detail}", file=sys.stderr)
        return EXIT_INVALID
    if out.suffix == ".pdf":
        try:
            content = student_copy_pdf(pack)
        except ImportError:
            print("medialit print: PDF needs WeasyPrint: pip install 'medialit[print]' (or write .html and print it)", file=sys.stderr)
            return EXIT_USAGE
    else:
        content = student_copy_html(pack).encode("utf-8")
    try:
        with atomic_writer(out, newline="", encoding="latin-1") as stream:
            stream.write(content.decode("latin-1"))
    except OSError as error:
        print(f"medialit print: cannot write {out}: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{out}: student copy of {pack.id}, {len(pack.article.blocks)} numbered blocks, {len(content)} bytes")
    return EXIT_OK


def _lint(folders: list[Path]) -> int:
    from quizzes.checks.cues import cue_report
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
        print(f"  option cues: {cue_report(bank.exercises.values()).describe()}")
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


def _export(args: argparse.Namespace) -> int:
    from lesson.errors import MedialitError
    from quizzes.grader.atomic import atomic_writer
    from quizzes.grader.reading import read_answers
    from quizzes.exports.formats import export_marks, export_quiz
    from quizzes.loading import DEFAULT_PACK, load_bank

    form = args.semeval_form or ("json" if args.out.suffix == ".json" else "tsv")
    if args.answers is not None and args.format != "webanno":
        print("medialit export: --answers works with --format webanno only", file=sys.stderr)
        return EXIT_USAGE
    try:
        bank = load_bank(args.pack or shipped_packs_dir() / DEFAULT_PACK)
        if args.answers is not None:
            exported = export_marks(bank, args.quiz, read_answers(args.answers))
        else:
            exported = export_quiz(bank, args.quiz, args.format, form)
    except OSError as error:
        print(f"medialit export: cannot read a file: {error}", file=sys.stderr)
        return EXIT_USAGE
    except MedialitError as error:
        print(f"medialit export: {error.detail}", file=sys.stderr)
        return EXIT_INVALID
    try:
        # latin-1 maps every byte to one character and back, so the atomic text writer writes bytes as they are
        with atomic_writer(args.out, newline="", encoding="latin-1") as stream:
            stream.write(exported.content.decode("latin-1"))
    except OSError as error:
        print(f"medialit export: cannot write {args.out}: {error}", file=sys.stderr)
        return EXIT_USAGE
    for note in exported.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{args.out}: {args.format}, {len(exported.content)} bytes, {len(exported.notes)} note(s)")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
