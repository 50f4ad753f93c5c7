"""Everything a teacher or developer uses is documented: techniques, exercise types, commands."""

from __future__ import annotations

import json
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
    from quizzes.cli import build_parser as quiz_grade_parser
    from api.commands import build_parser as medialit_parser

    readme = _read("README.md")
    commands = [f"medialit {c}" for c in _subcommands(medialit_parser())]
    commands += [f"quiz-grade {c}" for c in _subcommands(quiz_grade_parser())]
    assert len(commands) >= 6
    assert [c for c in commands if c not in readme] == []


def test_readme_opens_with_the_serve_and_test_commands():
    head = _read("README.md").split("\n## ", 1)[0]
    assert "python3 run.py serve" in head and "python3 run.py test" in head
    assert "python3 run.py test" in _read(".ci", "run")
