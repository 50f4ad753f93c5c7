"""Small pieces every scorer shares: statuses from scores, invalid outcomes, number formatting."""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable

from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, Status

__all__ = ["status_for", "invalid_outcome", "invalid_item", "percent", "points_of", "count"]

_ZERO = Fraction(0)


def status_for(earned: Fraction, possible: Fraction) -> Status:
    """``correct`` at full credit, ``incorrect`` at zero, ``partial`` in between."""
    if earned >= possible:
        return Status.CORRECT
    if earned <= 0:
        return Status.INCORRECT
    return Status.PARTIAL


def points_of(exercise_points: int) -> Fraction:
    return Fraction(exercise_points)


def invalid_item(message: str, start: int | None = None, end: int | None = None) -> FeedbackItem:
    return FeedbackItem(kind=FeedbackKind.INVALID, message=message, start=start, end=end)


def invalid_outcome(exercise_id: str, points: int, messages: Iterable[str]) -> Outcome:
    """An answer that could not be read at all: 0 points, status ``invalid``, a message for each reason."""
    return Outcome(
        exercise_id=exercise_id,
        status=Status.INVALID,
        earned=_ZERO,
        possible=Fraction(points),
        feedback=tuple(invalid_item(m) for m in messages),
    )


def percent(value: Fraction) -> str:
    """A ratio as a whole percentage for messages (rounded half up; exact values stay in the outcome)."""
    return f"{(200 * value.numerator + value.denominator) // (2 * value.denominator)}%"


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` with its noun for messages a student reads: "1 mark", "3 marks", "no marks"."""
    noun = one if n == 1 else (many or f"{one}s")
    return f"{n if n else 'no'} {noun}"
