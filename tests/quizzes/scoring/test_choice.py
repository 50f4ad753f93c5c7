"""single_choice and multi_choice: correct, incorrect, invalid, and Moodle's multi-choice rule."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizzes.exercises import ChoiceOption, MultiChoiceExercise, SingleChoiceExercise
from quizzes.outcome import FeedbackKind, Status
from quizzes.responses import MultiChoiceResponse, SingleChoiceResponse
from quizzes.scoring import memo, score
from tests.quizzes.scoring.support import PACK


def single() -> SingleChoiceExercise:
    return SingleChoiceExercise(
        id="s", skill="funding", title="t", prompt="p", scope=("b1",), points=2,
        options=(
            ChoiceOption(id="a", text="A", correct=False, feedback="A is a description, not an argument."),
            ChoiceOption(id="b", text="B", correct=True, feedback="B: funding replaces the reply."),
        ),
    )


def multi(penalty: Fraction = Fraction(1)) -> MultiChoiceExercise:
    return MultiChoiceExercise(
        id="m", skill="provenance", title="t", prompt="p", scope=("b1",), points=3, penalty=penalty,
        options=tuple(
            ChoiceOption(id=i, text=i.upper(), correct=i in "abc", feedback=f"about {i}") for i in "abcde"
        ),
    )


def test_single_choice_correct_earns_the_points_and_the_options_feedback():
    outcome = score(single(), SingleChoiceResponse(choice="b"), PACK)
    assert (outcome.status, outcome.earned, outcome.possible) == (Status.CORRECT, 2, 2)
    assert [f.message for f in outcome.feedback if f.kind is FeedbackKind.OPTION] == ["B: funding replaces the reply."]


def test_single_choice_incorrect_earns_nothing_and_explains_why():
    outcome = score(single(), SingleChoiceResponse(choice="a"), PACK)
    assert (outcome.status, outcome.earned) == (Status.INCORRECT, 0)
    assert "A is a description" in [f for f in outcome.feedback if f.kind is FeedbackKind.OPTION][0].message


def test_single_choice_unanswered_is_zero_not_invalid():
    assert score(single(), SingleChoiceResponse(), PACK).status is Status.INCORRECT


def test_single_choice_unknown_option_is_invalid():
    outcome = score(single(), SingleChoiceResponse(choice="z"), PACK)
    assert outcome.status is Status.INVALID and "no option 'z'" in outcome.feedback[0].message


@pytest.mark.parametrize(
    ("choices", "penalty", "expected"),
    [
        (("a", "b", "c"), Fraction(1), Fraction(1)),  # (3 - 0) / 3
        (("a", "b"), Fraction(1), Fraction(2, 3)),  # (2 - 0) / 3
        (("a", "b", "d"), Fraction(1), Fraction(1, 3)),  # (2 - 1) / 3
        (("a", "d", "e"), Fraction(1), Fraction(0)),  # max(0, (1 - 2) / 3)
        (("a", "b", "c", "d", "e"), Fraction(1), Fraction(1, 3)),  # (3 - 2) / 3: ticking everything
        (("a", "b", "d"), Fraction(1, 2), Fraction(1, 2)),  # (2 - 1/2) / 3
        (("a", "d"), Fraction(0), Fraction(1, 3)),  # no penalty
        ((), Fraction(1), Fraction(0)),
    ],
)
def test_multi_choice_follows_moodles_rule(choices, penalty, expected):
    outcome = score(multi(penalty), MultiChoiceResponse(choices=choices), PACK)
    assert outcome.earned == 3 * expected


def test_multi_choice_states_the_rule_with_this_exercises_numbers():
    outcome = score(multi(Fraction(1, 2)), MultiChoiceResponse(choices=("a",)), PACK)
    summary = [f.message for f in outcome.feedback if f.kind is FeedbackKind.SUMMARY][0]
    assert summary == (
        "You chose 1 of the 3 right options and no wrong ones. Each of the 3 right options earns its share of "
        "the points; each wrong choice takes 1/2 share away, and the score never goes below zero."
    )


def test_multi_choice_feedback_covers_chosen_and_missed_options():
    outcome = score(multi(), MultiChoiceResponse(choices=("a", "d")), PACK)
    assert [(f.kind, f.item_id) for f in outcome.feedback if f.item_id] == [
        (FeedbackKind.OPTION, "a"), (FeedbackKind.OPTION, "d"), (FeedbackKind.MISSED, "b"), (FeedbackKind.MISSED, "c"),
    ]


def test_multi_choice_same_option_twice_counts_once():
    twice = score(multi(), MultiChoiceResponse(choices=("a", "a")), PACK)
    assert twice.earned == score(multi(), MultiChoiceResponse(choices=("a",)), PACK).earned


def test_multi_choice_unknown_options_are_invalid_parts_or_an_invalid_answer():
    assert score(multi(), MultiChoiceResponse(choices=("x", "y")), PACK).status is Status.INVALID
    mixed = score(multi(), MultiChoiceResponse(choices=("a", "x")), PACK)
    assert mixed.earned == 1 and any(f.kind is FeedbackKind.INVALID and "'x'" in f.message for f in mixed.feedback)


def test_wrong_response_type_is_invalid_not_a_crash():
    outcome = score(multi(), SingleChoiceResponse(choice="a"), PACK)
    assert outcome.status is Status.INVALID and "does not answer" in outcome.feedback[0].message


def test_multi_choice_order_of_choices_does_not_matter():
    a = score(multi(), MultiChoiceResponse(choices=("d", "a", "zz", "b")), PACK)
    memo.clear()  # score afresh: a remembered outcome would hide an order dependence
    b = score(multi(), MultiChoiceResponse(choices=("b", "zz", "a", "d")), PACK)
    assert a == b
