"""Certainty-based marking (CBM) as Moodle does it, reported beside the plain score.

With certainty ``c`` in 1..3 and the answer's score ratio ``f = earned / possible``::

    mark = possible * (RIGHT[c] * f)   when f > 0     RIGHT = {1: 1, 2: 2, 3: 3}
    mark = possible * WRONG[c]         when f == 0    WRONG = {1: 0, 2: -2, 3: -6}

(Moodle ``qbehaviour_deferredcbm::adjust_fraction``), so a mark lies in ``[-6, 3] * possible``.
Invalid answers get no certainty mark; provisional (``needs_review``) ones use the provisional score
until a review replaces it.
"""

from __future__ import annotations

from fractions import Fraction

from quizzes.outcome import CertaintyScore

__all__ = ["RIGHT", "WRONG", "certainty_mark"]

RIGHT = {1: Fraction(1), 2: Fraction(2), 3: Fraction(3)}
WRONG = {1: Fraction(0), 2: Fraction(-2), 3: Fraction(-6)}


def certainty_mark(certainty: int, earned: Fraction, possible: Fraction) -> CertaintyScore:
    """The CBM mark, in the exercise's points, for a score of ``earned`` out of ``possible``."""
    if certainty not in RIGHT:
        raise ValueError(f"certainty must be 1, 2 or 3, not {certainty!r}")
    if possible <= 0 or earned <= 0:
        mark = possible * WRONG[certainty]
    else:
        mark = RIGHT[certainty] * earned
    return CertaintyScore(certainty=certainty, mark=mark)
