"""The span presenter's identity shortcuts for no and whole coverage change nothing: an equal
fraction that is not measure's shared constant gets an equal part and an equal feedback item."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from quizzes.scoring.measure import ALL_COVERED, NOTHING_COVERED
from quizzes.scoring.spans import _presenter, span_key
from tests.quizzes.scoring.support import PACK, highlight

EXERCISE = highlight()
KEY = span_key(EXERCISE, PACK)
PRESENTER = _presenter(EXERCISE, PACK)


def test_shared_constants_are_the_fractions_zero_and_one():
    assert NOTHING_COVERED == 0 and ALL_COVERED == 1


def test_equal_fractions_get_the_parts_and_items_of_the_shortcuts():
    for position, unit in enumerate(KEY.units):
        assert PRESENTER.part(position, Fraction(0)) == PRESENTER.part(position, NOTHING_COVERED)
        assert PRESENTER.part(position, Fraction(3, 3)) == PRESENTER.part(position, ALL_COVERED)
        assert PRESENTER.found(position, unit, Fraction(2, 2)) == PRESENTER.found(position, unit, ALL_COVERED)


@given(st.fractions(min_value=0, max_value=1))
def test_part_earns_its_share_of_the_unit_points(coverage):
    part = PRESENTER.part(0, coverage)
    assert part.earned == PRESENTER.share * coverage and part.possible == PRESENTER.share
