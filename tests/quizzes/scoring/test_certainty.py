"""Certainty-based marking beside the plain score (Moodle: +1/+2/+3 right, 0/-2/-6 wrong)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizzes.responses import HighlightResponse, SingleChoiceResponse, SpanAnswer
from quizzes.scoring import score
from quizzes.scoring.certainty import certainty_mark
from tests.quizzes.scoring.support import PACK, highlight
from tests.quizzes.scoring.test_choice import single


@pytest.mark.parametrize(("certainty", "right", "wrong"), [(1, 1, 0), (2, 2, -2), (3, 3, -6)])
def test_certainty_marks_follow_moodle(certainty, right, wrong):
    assert score(single(), SingleChoiceResponse(choice="b", certainty=certainty), PACK).certainty.mark == 2 * right
    assert score(single(), SingleChoiceResponse(choice="a", certainty=certainty), PACK).certainty.mark == 2 * wrong


def test_certainty_scales_partial_credit():
    assert certainty_mark(3, Fraction(1, 2), Fraction(1)).mark == Fraction(3, 2)


def test_certainty_does_not_change_the_plain_score():
    plain = score(single(), SingleChoiceResponse(choice="b"), PACK)
    sure = score(single(), SingleChoiceResponse(choice="b", certainty=3), PACK)
    assert plain.certainty is None and sure.earned == plain.earned


def test_invalid_answers_get_no_certainty_mark():
    outcome = score(highlight(), HighlightResponse(spans=(SpanAnswer(exact="nowhere to be found"),), certainty=3), PACK)
    assert outcome.certainty is None


def test_certainty_out_of_range_is_rejected():
    with pytest.raises(ValueError, match="certainty must be 1, 2 or 3"):
        certainty_mark(4, Fraction(1), Fraction(1))
