"""The validator (``medialit lint``): passes the fixture and shipped packs, fails broken ones clearly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lesson.errors import PackInvalid
from quizzes.commands import main
from quizzes.loading import load_bank


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizzes.commands", "lint", *args], capture_output=True, text=True, timeout=120
    )


def test_tiny_bank_loads_every_exercise_type(tiny_pack_dir):
    bank = load_bank(tiny_pack_dir)
    assert {e.type for e in bank.exercises.values()} == {
        "highlight", "label_spans", "single_choice", "multi_choice", "match",
        "attribution_roles", "short_answer", "rewrite",
    }
    assert [e.id for e in bank.quiz_exercises("tiny-a")] == ["t-highlight", "t-single"]


def test_lint_passes_the_shipped_packs():
    result = _lint()
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_lint_exits_non_zero_and_names_file_and_location(pack_copy):
    def leak(data):
        data["exercises"][0]["prompt"] = "Mark words such as reckless gamble in the body."

    folder = pack_copy("exercises/all.json", leak)
    result = _lint(str(folder))
    assert result.returncode == 1
    assert "tiny/exercises/all.json:line 4 (t-highlight).prompt: quotes its own answer" in result.stderr
    assert "Traceback" not in result.stderr


def test_incomplete_highlight_key_is_an_error(pack_copy):
    def drop(data):
        data["exercises"][0]["key"] = ["frm-gamble"]

    with pytest.raises(PackInvalid, match="key is incomplete: 'frm-everyone'"):
        load_bank(pack_copy("exercises/all.json", drop))


def test_key_outside_scope_and_unknown_item_are_errors(pack_copy):
    def break_scope(data):
        data["exercises"][0]["scope"] = ["b2"]
        data["exercises"][2]["refs"] = ["fun-nowhere"]

    with pytest.raises(PackInvalid) as error:
        load_bank(pack_copy("exercises/all.json", break_scope))
    message = "\n".join(map(str, error.value.problems))
    assert "'frm-everyone' lies outside the exercise's scope" in message
    assert "unknown annotation item 'fun-nowhere'" in message


def test_single_choice_with_two_correct_options_is_rejected(pack_copy):
    def two(data):
        for option in data["exercises"][2]["options"]:
            option["correct"] = True

    with pytest.raises(PackInvalid, match="exactly one correct option"):
        load_bank(pack_copy("exercises/all.json", two))


def test_unused_item_must_say_why(pack_copy):
    def unreason(data):
        for item in data["items"]:
            item.pop("unused_reason", None)

    with pytest.raises(PackInvalid, match="frm-saves: not used by any exercise"):
        load_bank(pack_copy("annotations/items.json", unreason))


def test_quiz_naming_unknown_exercise_is_rejected(pack_copy):
    def unknown(data):
        data["quizzes"][0]["exercises"] = ["t-single", "t-nothing"]

    with pytest.raises(PackInvalid, match="unknown exercise 't-nothing'"):
        load_bank(pack_copy("quizzes.json", unknown))


def test_anchor_command_prints_offsets(tiny_pack_dir, capsys):
    assert main(["anchor", str(tiny_pack_dir), "reckless gamble"]) == 0
    start, end = map(int, capsys.readouterr().out.split())
    assert (tiny_pack_dir / "article.txt").read_text(encoding="utf-8")[start:end] == "reckless gamble"


def test_anchor_command_fails_on_missing_quote(tiny_pack_dir):
    assert main(["anchor", str(tiny_pack_dir), "no such words"]) == 1


def _add_form_b(exercises):
    def add(data):
        data["quizzes"].append({"id": "tiny-b", "title": "Form B", "kind": "pre_post", "form": "B", "exercises": exercises})

    return add


def test_parallel_pre_post_forms_pass(pack_copy):
    bank = load_bank(pack_copy("quizzes.json", _add_form_b(["t-highlight", "t-single"])))
    assert bank.quiz("tiny-b").form == "B"


def test_pre_post_forms_with_other_skills_and_types_are_rejected(pack_copy):
    folder = pack_copy("quizzes.json", _add_form_b(["t-label", "t-multi"]))
    with pytest.raises(PackInvalid, match=r"quiz tiny-b: not parallel to tiny-a: points per skill differ"):
        load_bank(folder)


def test_pre_post_forms_differing_only_in_difficulty_are_rejected(pack_copy):
    def harder_twin(data):
        twin = dict(next(e for e in data["exercises"] if e["id"] == "t-single"), id="t-single-hard", difficulty=3)
        data["exercises"].append(twin)

    pack_copy("exercises/all.json", harder_twin)
    folder = pack_copy("quizzes.json", _add_form_b(["t-highlight", "t-single-hard"]))
    with pytest.raises(PackInvalid, match=r"difficulty profile differ \(1: 1, 3: 1 against 1: 1, 2: 1\)"):
        load_bank(folder)
