"""Everything a teacher or developer uses is documented: techniques, exercise types, commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quizzes.exercises import ExerciseType

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "lesson" / "packs" / "central-asia-2022"


def _read(*parts: str) -> str:
    return (ROOT.joinpath(*parts)).read_text(encoding="utf-8")


def test_teacher_guide_explains_every_technique_of_the_glossary():
    guide = _read("lesson", "packs", "central-asia-2022", "guide", "teacher.md")
    techniques = json.loads((PACK / "techniques.json").read_text(encoding="utf-8"))
    missing = [t["id"] for t in techniques if f"`{t['id']}`" not in guide]
    assert not missing


@pytest.mark.parametrize("doc", ["docs/pack-format.md", "docs/scoring.md"])
def test_every_exercise_type_is_documented(doc):
    text = _read(doc)
    assert [t.value for t in ExerciseType if f"`{t.value}`" not in text] == []


def _subcommands(parser) -> list[str]:
    import argparse

    for action in parser._actions:  # argparse keeps subparsers here; there is no public accessor
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def test_readme_names_every_cli_subcommand():
    from quizzes.grader.cli import build_parser as quiz_grade_parser
    from api.commands import build_parser as medialit_parser  # the authoring commands plus serve

    readme = _read("README.md")
    commands = [f"medialit {c}" for c in _subcommands(medialit_parser())]
    commands += [f"quiz-grade {c}" for c in _subcommands(quiz_grade_parser())]
    assert len(commands) >= 6
    assert [c for c in commands if c not in readme] == []


def test_readme_opens_with_the_serve_and_test_commands():
    head = _read("README.md").split("\n## ", 1)[0]
    assert "python3 run.py serve" in head and "python3 run.py test" in head
    assert "python3 run.py test" in _read(".ci", "run")


_GRADED_EXAMPLE = re.compile(
    r"<!-- graded by tests/test_docs.py: quiz-grade grade FILE --quiz (?P<quiz>[\w-]+) -->\n```(?P<kind>json|csv)\n(?P<body>.*?)```",
    re.S,
)


def _grading_examples() -> list[tuple[str, str, str]]:
    return [(m["quiz"], m["kind"], m["body"]) for m in _GRADED_EXAMPLE.finditer(_read("docs", "grading-script.md"))]


def _grade_strictly(tmp_path: Path, quiz: str, kind: str, body: str) -> subprocess.CompletedProcess[str]:
    answers = tmp_path / ("answers.jsonl" if kind == "json" else "answers.csv")
    answers.write_text(body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "quizzes.grader.cli", "grade", str(answers), "--quiz", quiz, "--strict"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def test_the_grading_guide_has_an_example_of_every_input_form():
    examples = _grading_examples()
    assert {kind for _, kind, _ in examples} == {"json", "csv"}
    assert len(examples) >= 5


@pytest.mark.parametrize(("quiz", "kind", "body"), _grading_examples())
def test_every_grading_example_is_graded_without_a_rejected_record(tmp_path, quiz, kind, body):
    result = _grade_strictly(tmp_path, quiz, kind, body)
    assert result.returncode == 0, result.stderr
    assert "0 record(s) rejected" in result.stderr


def test_every_quiz_the_grading_guide_and_help_name_ships():
    from quizzes.grader.cli import build_parser
    from quizzes.loading import load_shipped_banks

    shipped = {quiz_id for bank in load_shipped_banks().values() for quiz_id in bank.quizzes}
    texts = [_read("docs", "grading-script.md"), build_parser().format_help()]
    texts += [parser.format_help() for parser in _subcommand_parsers(build_parser())]
    named = {m for text in texts for m in re.findall(r"--quiz ([a-z][\w-]*)", text)}
    assert named and named - {"QUIZ_ID"} <= shipped, named - shipped


def test_the_help_examples_of_quiz_grade_grade_are_graded(tmp_path):
    from quizzes.grader.cli import build_parser

    grade = dict(zip(_subcommands(build_parser()), _subcommand_parsers(build_parser())))["grade"]
    lines = [line.strip() for line in (grade.epilog or "").splitlines() if line.strip().startswith('{"student"')]
    assert len(lines) == 2
    result = _grade_strictly(tmp_path, "final", "json", "\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr


def _subcommand_parsers(parser) -> list:
    import argparse

    for action in parser._actions:  # as in _subcommands
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices.values())
    return []
