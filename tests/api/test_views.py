"""``quizzes.views``: student views carry no key, on the tiny pack and on every shipped exercise.

(These test ``quizzes/views.py``, which exists for the API; they live beside the API tests.)
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.bank import Bank
from quizzes.exercises import ChoiceOption, FeedbackPolicy, MatchExercise, RewriteExercise, ShortAnswerExercise
from quizzes.loading import load_bank, load_shipped_banks
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, SpanCounts, Status
from quizzes.views import exercise_view, lesson_view, outcome_view, quiz_view
from tests.api.conftest import TINY_PACK

FORBIDDEN_KEYS = {"correct", "key", "foils", "pairs", "model_answer", "rubric", "loaded", "keep", "claim", "refs", "feedback", "related_credit", "contested"}


def _banks() -> list[Bank]:
    return [load_bank(TINY_PACK), *load_shipped_banks().values()]


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _secrets(bank: Bank) -> list[str]:
    found = [item.rationale for item in bank.pack.annotation.items]
    found += [item.feedback for item in bank.pack.annotation.items if item.feedback]
    for exercise in bank.exercises.values():
        for option in getattr(exercise, "options", ()):
            assert isinstance(option, ChoiceOption)
            found.append(option.feedback)
        if isinstance(exercise, (ShortAnswerExercise, RewriteExercise)):
            found.append(exercise.model_answer)
        if isinstance(exercise, MatchExercise):
            found += list(exercise.feedback.values())
    return [s for s in found if len(s) >= 20]


@pytest.mark.parametrize("bank", _banks(), ids=lambda b: b.pack.id)
def test_views_exercises_carry_no_key(bank: Bank) -> None:
    secrets = _secrets(bank)
    for exercise in bank.exercises.values():
        view = exercise_view(exercise, bank.pack.id).model_dump(mode="json")
        assert not _keys(view) & FORBIDDEN_KEYS, exercise.id
        text = json.dumps(view, ensure_ascii=False)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{exercise.id} shows {leaked[0][:60]!r}"


@pytest.mark.parametrize("bank", _banks(), ids=lambda b: b.pack.id)
def test_views_lessons_and_quizzes_carry_no_annotation(bank: Bank) -> None:
    lesson = json.dumps(lesson_view(bank.pack).model_dump(mode="json"), ensure_ascii=False)
    leaked = [item.id for item in bank.pack.annotation.items if item.rationale in lesson]
    assert not leaked, f"the lesson view shows the rationale of {leaked[:3]}"
    assert "rationale" not in _keys(json.loads(lesson))
    for quiz in bank.quizzes.values():
        view = quiz_view(quiz, bank.quiz_exercises(quiz.id), bank.pack.id)
        assert [e.id for e in view.exercises] == list(quiz.exercises)


def test_views_choice_options_keep_text_but_not_correctness() -> None:
    bank = load_bank(TINY_PACK)
    view = exercise_view(bank.exercise("mc-01"), "tiny-api")
    assert [(o.id, o.text) for o in view.options or []] == [("a", "Funding is used to discredit"), ("b", "The donors are named"), ("c", "No evidence is given")]
    assert view.scoring_rule and "1" in view.scoring_rule


_items = st.lists(st.builds(FeedbackItem, kind=st.sampled_from(list(FeedbackKind)), message=st.text(min_size=1, max_size=20)), max_size=6)


@given(items=_items, policy=st.sampled_from(list(FeedbackPolicy)), earned=st.integers(0, 4))
def test_views_outcome_never_shows_more_than_the_policy(items: list[FeedbackItem], policy: FeedbackPolicy, earned: int) -> None:
    outcome = Outcome(exercise_id="x", status=Status.PARTIAL, earned=Fraction(earned, 2), possible=Fraction(2),
                      feedback=tuple(items), counts=SpanCounts(hits=1, misses=2))
    view = outcome_view(outcome, policy)
    assert view.earned == earned / 2 and view.possible == 2
    if policy is FeedbackPolicy.NONE:
        assert view.feedback == [] and view.counts is None
    if policy is FeedbackPolicy.SUMMARY:
        assert {f.kind for f in view.feedback} <= {"summary", "invalid"}
    if policy is FeedbackPolicy.FULL:
        assert [f.message for f in view.feedback] == [i.message for i in items]
