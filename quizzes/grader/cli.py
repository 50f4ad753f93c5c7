"""``quiz-grade``: grade a class's answers from a file or a running server, and print answer keys.

Thin over ``quizzes``: parse arguments, load the bank, call one domain function, write files
atomically, map the result to an exit code. Exit codes: 0 every record graded; 1 some records
rejected (with ``--strict``: any, and then no output is written); 2 usage error (including an
unreadable input or output path, or an unreachable server); 3 invalid quiz or lesson pack.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Sequence

from quizzes.bank import Bank, Quiz
from quizzes.exports.gradebook_formats import FORMATS
from quizzes.grader.shared import EXIT_INVALID_QUIZ, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, CommandFailed, find_quiz, write_output

__all__ = ["main", "build_parser"]

PROGRESS_AFTER = 5000
"""Records read before a progress bar appears (only when standard error is a terminal)."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(**kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="quiz-grade",
        description="Grade whole classes offline with the same engine as the medialit API.",
        epilog=(
            "examples:\n"
            "  quiz-grade grade answers.jsonl --quiz final --out grades.csv --report report.md\n"
            "  quiz-grade key --quiz final > key.md\n"
            "  quiz-grade pull --server http://localhost:8000 --token $TOKEN --assignment 3 --out grades.csv\n"
            "\nexit codes: 0 all graded, 1 some records rejected, 2 usage error, 3 invalid quiz or pack\n"
            "input formats and gradebook columns: docs/grading-script.md"
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    grade = commands.add_parser(
        "grade",
        help="grade a JSON Lines or CSV file of answers",
        description="Grade a JSON Lines or CSV file of answers; write a gradebook and a Markdown report.",
        epilog=(
            "example:\n"
            "  quiz-grade grade class-9b.csv --quiz final --out grades.csv --report report.md --format canvas\n"
            "\n"
            "input, one answer per line (JSON Lines):\n"
            '  {"student": "ana", "exercise": "frm-03", "response": {"spans": [{"exact": "fascists and collaborators"}]}}\n'
            "or one attempt per line:\n"
            '  {"student": "ana", "answers": {"frm-03": {"spans": [{"start": 5140, "end": 5160}]}, "prv-03": {"choice": "law"}}}\n'
            "CSV: student,exercise,response (JSON) or convenience columns (choice, choices, pairs, quotes,\n"
            "labels, source, cue, content, text, certainty), or one row per student with a column per exercise.\n"
            "Bad records are reported as FILE:LINE: REASON on standard error; the rest are graded."
        ),
    )
    grade.add_argument("submissions", help="answers file (.jsonl or .csv; '-' reads standard input)")
    _quiz_arguments(grade)
    grade.add_argument("--out", type=Path, help="gradebook file to write (default: standard output)")
    grade.add_argument("--report", type=Path, help="Markdown report to write: item analysis, answers to review, common misses")
    grade.add_argument("--format", choices=FORMATS, default="plain", help="gradebook shape (default: plain)")
    grade.add_argument("--input-format", choices=("jsonl", "csv"), help="override detection by file name")
    grade.add_argument("--strict", action="store_true", help="write nothing if any record is rejected")

    key = commands.add_parser(
        "key",
        help="print a quiz's answer key with rationales (teachers only)",
        description="Print the printable answer key of a quiz: every answer with its rationale.",
        epilog="example:\n  quiz-grade key --quiz final --format md > key.md",
    )
    _quiz_arguments(key)
    key.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    key.add_argument("--out", type=Path, help="file to write (default: standard output)")

    gain = commands.add_parser(
        "gain",
        help="pair each student's pre- and post-check and report the learning gain per skill",
        description=(
            "Grade a first-attempt and a second-attempt answers file, pair each student's attempts and report,\n"
            "per skill and for the class, the scores before and after, the raw gain and the normalised gain\n"
            "(Hake's g), and discernment (hits and false alarms) in the marking exercises."
        ),
        epilog=(
            "example (counterbalanced: half the class took A first):\n"
            "  quiz-grade gain before.jsonl after.jsonl --pre check-a,check-b --post check-a,check-b \\\n"
            "      --out gain.md --plot gain.svg\n"
            "Each student's answers in a file are graded against the listed quiz they answered."
        ),
    )
    gain.add_argument("before", help="answers file of the first attempt (.jsonl or .csv)")
    gain.add_argument("after", help="answers file of the second attempt (.jsonl or .csv)")
    gain.add_argument("--pre", required=True, help="quiz id(s) of the first attempt, comma-separated")
    gain.add_argument("--post", required=True, help="quiz id(s) of the second attempt, comma-separated")
    gain.add_argument("--pack", type=Path, help="lesson pack folder (default: search the shipped packs)")
    gain.add_argument("--out", type=Path, help="Markdown report to write (default: standard output)")
    gain.add_argument("--plot", type=Path, help="SVG bar chart to write, for projecting")

    pull = commands.add_parser(
        "pull",
        help="fetch an assignment's stored answers from a running server and grade them",
        description=(
            "Fetch an assignment's stored answers from a running medialit server (teacher token) and grade\n"
            "them like a file. If the server has no answers export, the server's own gradebook CSV is saved."
        ),
        epilog=(
            "example:\n"
            "  quiz-grade pull --server http://localhost:8000 --token $MEDIALIT_TEACHER_TOKEN --assignment 3 \\\n"
            "      --out grades.csv --report report.md"
        ),
    )
    pull.add_argument("--server", required=True, help="base URL, e.g. http://localhost:8000")
    pull.add_argument("--token", required=True, help="the teacher token")
    pull.add_argument("--assignment", required=True, type=int, help="assignment id")
    pull.add_argument("--pack", type=Path, help="lesson pack folder (default: the shipped packs)")
    pull.add_argument("--out", type=Path, help="gradebook file to write (default: standard output)")
    pull.add_argument("--report", type=Path, help="Markdown report to write")
    pull.add_argument("--format", choices=FORMATS, default="plain", help="gradebook shape (default: plain)")
    pull.add_argument("--save-answers", type=Path, help="also save the fetched answers as JSON Lines")
    pull.add_argument("--strict", action="store_true", help="write nothing if any record is rejected")
    return parser


def _quiz_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiz", required=True, help="quiz id, e.g. final")
    parser.add_argument("--pack", type=Path, help="lesson pack folder (default: search the shipped packs)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        match args.command:
            case "grade":
                return _grade(args)
            case "key":
                return _key(args)
            case "gain":
                return _gain(args)
            case "pull":
                from quizzes.grader.pulling import pull_answers_or_results

                return pull_answers_or_results(args, _grade_stream)
    except CommandFailed as failure:
        print(f"quiz-grade: {failure.message}", file=sys.stderr)
        return failure.code
    except KeyboardInterrupt:
        print("quiz-grade: interrupted; no output file was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `quiz-grade key ... | head`: the reader went away, nothing to report
        sys.stderr.close()
        return EXIT_OK
    return EXIT_USAGE  # pragma: no cover - argparse requires a command


def _attempts(path: str, forms: list[str], pack: Path | None) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """Each student's outcomes in ``path`` on the listed quiz they answered most of; exercise skills."""
    from quizzes.grader.parallel import grade_file

    if not Path(path).is_file():
        raise CommandFailed(EXIT_USAGE, f"{path}: no such file")
    best: dict[str, list[Any]] = {}
    skill_of: dict[str, str] = {}
    for quiz_id in forms:
        bank, quiz = find_quiz(quiz_id, pack)
        skill_of.update({e.id: e.skill.value for e in bank.quiz_exercises(quiz.id)})
        try:
            grades = grade_file(bank, quiz, path, None, lambda error: None, None, detail=False)
        except OSError as error:
            raise CommandFailed(EXIT_USAGE, f"{path}: {error}")
        for student, answers in grades.answers.items():
            outcomes = [outcome for _response, outcome in answers.values()]
            if len(outcomes) > len(best.get(student, [])):
                best[student] = outcomes
    return best, skill_of


def _gain(args: argparse.Namespace) -> int:
    from quizzes.analysis.gain import learning_gain
    from quizzes.analysis.gain_report import render_gain_markdown, render_gain_svg

    pre_forms, post_forms = args.pre.split(","), args.post.split(",")
    before, skills_pre = _attempts(args.before, pre_forms, args.pack)
    after, skills_post = _attempts(args.after, post_forms, args.pack)
    result = learning_gain(before, after, {**skills_pre, **skills_post})
    if not result.students:
        raise CommandFailed(EXIT_REJECTED, "no student has answers in both files; nothing to compare")
    pre_name, post_name = " or ".join(pre_forms), " or ".join(post_forms)
    report = render_gain_markdown(result, pre_name, post_name)
    if args.out is None:
        sys.stdout.write(report)
    else:
        write_output(args.out, lambda stream: stream.write(report))
    if args.plot is not None:
        svg = render_gain_svg(result, pre_name, post_name)
        write_output(args.plot, lambda stream: stream.write(svg))
    print(f"{len(result.students)} student(s) paired; {len(result.only_pre)} with only a first attempt, "
          f"{len(result.only_post)} with only a second", file=sys.stderr)
    return EXIT_OK


def _key(args: argparse.Namespace) -> int:
    from quizzes.exports.answer_key import key_document, render_key_markdown

    bank, quiz = find_quiz(args.quiz, args.pack)
    if args.format == "json":
        text = json.dumps(key_document(bank, quiz), ensure_ascii=False, indent=1) + "\n"
    else:
        text = render_key_markdown(bank, quiz)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_output(args.out, lambda stream: stream.write(text))
    return EXIT_OK


def _grade(args: argparse.Namespace) -> int:
    from quizzes.grader.parallel import grade_file

    bank, quiz = find_quiz(args.quiz, args.pack)
    source = str(args.submissions)
    if source != "-" and not Path(source).is_file():
        raise CommandFailed(EXIT_USAGE, f"{source}: no such file")
    return _grade_and_write(bank, quiz, lambda on_error, on_record: grade_file(bank, quiz, source, args.input_format, on_error, on_record, detail=args.report is not None), source, args)


def _grade_stream(bank: Bank, quiz: Quiz, records: Iterable[Any], source: str, args: argparse.Namespace) -> int:
    """Grade ``records`` (e.g. streamed from a server) like a file; the exit code."""
    from quizzes.grader.grading import grade_records

    return _grade_and_write(bank, quiz, lambda on_error, on_record: grade_records(bank, quiz, records, on_error, on_record, args.report is not None), source, args)


def _grade_and_write(bank: Bank, quiz: Quiz, grade: Callable[..., Any], source: str, args: argparse.Namespace) -> int:
    """Run ``grade(on_error, on_record)``, report rejections on stderr, write the outputs; the exit code."""
    from quizzes.grader.parallel import gradebook_text
    from quizzes.grader.reports import render_report

    progress = _Progress() if sys.stderr.isatty() else None
    try:
        grades = grade(_print_error, progress.tick if progress else None)
        if progress is not None:
            progress.count = max(progress.count, grades.records)  # a forked child read the second half
    except OSError as error:
        raise CommandFailed(EXIT_USAGE, f"{source}: {error}")
    finally:
        if progress is not None:
            progress.close()
    summary = (
        f"{source}: {grades.graded} answer(s) graded for {len(grades.answers)} student(s); "
        f"{grades.rejected} record(s) rejected"
    )
    if args.strict and grades.rejected:
        print(summary + "; --strict: nothing written", file=sys.stderr)
        return EXIT_REJECTED
    exercises = list(grades.exercises.values())
    parts = gradebook_text(grades, quiz, exercises, args.format)
    if args.out is None:
        sys.stdout.writelines(parts)
    else:
        write_output(args.out, lambda stream: stream.writelines(parts), newline="")
    if args.report is not None:
        report = render_report(grades, source)
        write_output(args.report, lambda stream: stream.write(report))
    written = ", ".join(str(p) for p in (args.out, args.report) if p is not None)
    print(summary + (f" → {written}" if written else ""), file=sys.stderr)
    return EXIT_REJECTED if grades.rejected else EXIT_OK


def _print_error(error: Any) -> None:
    from tqdm import tqdm

    tqdm.write(str(error), file=sys.stderr)  # keeps a progress bar, if any, below the messages


class _Progress:
    """A tqdm bar on stderr that appears only once more than ``PROGRESS_AFTER`` records were read."""

    def __init__(self) -> None:
        self.count = 0
        self.bar: Any = None

    def tick(self) -> None:
        self.count += 1
        if self.count % 1000:
            return
        if self.bar is None:
            if self.count < PROGRESS_AFTER:
                return
            from tqdm import tqdm

            self.bar = tqdm(unit=" records", file=sys.stderr, initial=self.count)
            return
        self.bar.update(1000)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.count - self.bar.n)
            self.bar.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
