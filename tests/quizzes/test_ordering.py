"""Option order per attempt (``quizzes.ordering``): pins stay, every option is shown once, scoring ignores order."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from quizzes.exercises import MatchExercise, MultiChoiceExercise, SingleChoiceExercise
from quizzes.ordering import arrange, draw_order, in_order, movable_ids
from quizzes.responses import MultiChoiceResponse
from quizzes.scoring.choice import score_multi_choice
from quizzes.views import exercise_view, outcome_view


def _multi(pins: tuple[str, ...] = ("none",)) -> MultiChoiceExercise:
    options = [
        {"id": i, "text": f"Option {i}", "correct": i in ("b", "d"), "feedback": f"Why {i}.", "pinned": i in pins}
        for i in ("a", "b", "c", "d", "none")
    ]
    return MultiChoiceExercise(id="m", skill="funding", title="T", prompt="P", scope=("b1",), options=options)


def _match() -> MatchExercise:
    return MatchExercise(
        id="x", skill="attribution", title="T", prompt="P", scope=("b1",),
        left=[{"id": f"l{k}", "text": f"Row {k}"} for k in range(3)],
        right=[{"id": f"r{k}", "text": f"Option {k}", "pinned": k == 0} for k in range(3)],
        pairs={"l0": "r1", "l1": "r2", "l2": "r0"},
    )


@given(st.randoms(use_true_random=False))
def test_drawn_order_is_a_permutation_with_pins_in_place(rng: random.Random):
    exercise = _multi(pins=("a", "none"))
    order = draw_order(exercise, rng.shuffle)
    assert order is not None
    assert sorted(order) == sorted(o.id for o in exercise.options)
    assert order[0] == "a" and order[-1] == "none"


def test_every_unpinned_option_reaches_every_free_place():
    exercise = _multi()
    rng = random.Random(7)
    seen = {draw_order(exercise, rng.shuffle)[k] for _ in range(200) for k in range(4)}  # type: ignore[index]
    assert seen == {"a", "b", "c", "d"}
    assert {draw_order(exercise, rng.shuffle)[4] for _ in range(50)} == {"none"}  # type: ignore[index]


def test_match_shuffles_the_right_column_only_and_left_items_cannot_be_pinned():
    exercise = _match()
    assert movable_ids(exercise) == ["r1", "r2"]
    assert arrange(exercise, ["r2", "r1"]) == ("r0", "r2", "r1")
    view = exercise_view(exercise, "p", ("r0", "r2", "r1"))
    assert [i.id for i in view.left] == ["l0", "l1", "l2"]  # type: ignore[union-attr]
    assert [i.id for i in view.right] == ["r0", "r2", "r1"]  # type: ignore[union-attr]
    data = exercise.model_dump()
    data["left"][0]["pinned"] = True
    with pytest.raises(ValidationError, match="left items never move"):
        MatchExercise.model_validate(data)


def test_pinned_must_be_a_real_boolean():
    data = _multi().model_dump()
    data["options"][0]["pinned"] = "yes"
    with pytest.raises(ValidationError, match="pinned"):
        MultiChoiceExercise.model_validate(data)


def test_arrange_refuses_an_order_that_moves_a_pin_or_drops_an_option():
    exercise = _multi()
    with pytest.raises(ValueError):
        arrange(exercise, ["a", "b", "c"])
    with pytest.raises(ValueError):
        arrange(exercise, ["a", "b", "c", "none"])


def test_types_with_a_fixed_order_have_no_order():
    single = SingleChoiceExercise(
        id="s", skill="funding", title="T", prompt="P", scope=("b1",),
        options=[{"id": "a", "text": "A", "correct": True, "feedback": "f"}, {"id": "b", "text": "B", "correct": False, "feedback": "f"}],
    )
    assert draw_order(single, random.Random(1).shuffle) is not None
    from quizzes.exercises import ShortAnswerExercise

    short = ShortAnswerExercise(id="t", skill="funding", title="T", prompt="P", scope=("b1",), model_answer="m",
                                rubric={"criteria": [{"id": "c", "description": "d", "points": 1, "concepts": [["x"]]}]})
    assert draw_order(short, random.Random(1).shuffle) is None


def test_a_stale_order_still_shows_every_current_option_once():
    options = _multi().options
    shown = in_order(options, ["d", "gone", "b", "d"])
    assert [o.id for o in shown] == ["d", "b", "a", "c", "none"]


@given(st.permutations(["a", "b", "c", "d"]))
def test_score_does_not_depend_on_the_order_shown(moved: list[str]):
    exercise = _multi()
    order = arrange(exercise, moved)
    response = MultiChoiceResponse(choices=("b", "c"))
    outcome = score_multi_choice(exercise, response)
    assert outcome == score_multi_choice(_multi(), response)
    view = outcome_view(outcome, exercise.feedback_policy, order)
    shown = [f.message for f in view.feedback if f.kind == "option"]
    assert shown == [f"Why {i}." for i in order if i in ("b", "c")]
    assert [o.id for o in exercise_view(exercise, "p", order).options] == list(order)  # type: ignore[union-attr]
