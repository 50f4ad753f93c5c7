"""apply_review: a teacher's score becomes final, the provisional score is kept beside it."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizzes.outcome import Review, Status
from quizzes.responses import ShortAnswerResponse, SingleChoiceResponse
from quizzes.scoring.review import ReviewOutOfRange, apply_review
from quizzes.scoring import score
from tests.quizzes.scoring.support import PACK
from tests.quizzes.scoring.test_choice import single
from tests.quizzes.scoring.test_text import short


def provisional():
    return score(short(), ShortAnswerResponse(text="The claim is funded by the developers, says the text.", certainty=2), PACK)


def test_review_makes_the_teachers_score_final_and_keeps_the_provisional_one():
    outcome = provisional()
    assert outcome.status is Status.NEEDS_REVIEW and outcome.provisional == 2
    reviewed = apply_review(outcome, Review(earned=Fraction(3), comment="Good point on sourcing too.", reviewer="t1"))
    assert (reviewed.status, reviewed.earned, reviewed.provisional) == (Status.CORRECT, 3, 2)
    assert reviewed.review.comment == "Good point on sourcing too."
    assert outcome.earned == 2  # pure: the original is untouched


def test_review_sets_partial_and_incorrect():
    assert apply_review(provisional(), Review(earned=Fraction(1))).status is Status.PARTIAL
    assert apply_review(provisional(), Review(earned=Fraction(0))).status is Status.INCORRECT


def test_second_review_replaces_the_first_but_not_the_provisional_score():
    once = apply_review(provisional(), Review(earned=Fraction(3)))
    twice = apply_review(once, Review(earned=Fraction(1), comment="on reflection"))
    assert (twice.earned, twice.provisional, twice.review.comment) == (1, 2, "on reflection")


def test_review_recomputes_the_certainty_mark():
    reviewed = apply_review(provisional(), Review(earned=Fraction(0)))
    assert reviewed.certainty.mark == -2 * 3  # certainty 2, wrong: -2 times the points


def test_review_of_an_automatic_score_keeps_it_as_provisional():
    outcome = score(single(), SingleChoiceResponse(choice="a"), PACK)
    reviewed = apply_review(outcome, Review(earned=Fraction(1)))
    assert (reviewed.provisional, reviewed.earned) == (0, 1)


@pytest.mark.parametrize("earned", [Fraction(-1), Fraction(4)])
def test_review_outside_the_points_is_rejected(earned):
    with pytest.raises(ReviewOutOfRange, match="not between 0 and 3"):
        apply_review(provisional(), Review(earned=earned))
