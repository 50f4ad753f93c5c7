"""Scoring ``match`` answers: pairs of left and right item ids.

Named policies (``MatchExercise.policy``), matched exhaustively:

- ``proportional``: ``ratio = correct pairs / number of left items``;
- ``all_or_nothing``: ``ratio = 1`` only when every left item is paired correctly, else 0.

A left item left unpaired counts as wrong. Unknown left or right ids are ``invalid`` parts; if every
given pair is invalid the outcome is ``invalid``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from quizzes.exercises import MatchExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome
from quizzes.responses import MatchResponse
from quizzes.scoring.common import invalid_item, invalid_outcome, status_for

__all__ = ["score_match"]

_ZERO = Fraction(0)


def score_match(exercise: MatchExercise, response: MatchResponse) -> Outcome:
    """Score the student's ``{left_id: right_id}`` pairs under the exercise's policy."""
    possible = Fraction(exercise.points)
    left = {i.id: i for i in exercise.left}
    right = {i.id: i for i in exercise.right}
    given: dict[str, str] = {}
    problems: list[FeedbackItem] = []
    for left_id, right_id in sorted(response.pairs.items()):  # the outcome must not depend on dict order
        if left_id not in left:
            problems.append(invalid_item(f"There is no left item {left_id!r} in this exercise."))
        elif right_id not in right:
            problems.append(invalid_item(f"There is no right item {right_id!r} in this exercise."))
        else:
            given[left_id] = right_id
    if problems and not given:
        return invalid_outcome(exercise.id, exercise.points, (p.message for p in problems))
    n = len(exercise.left)
    right_pairs = [i.id for i in exercise.left if given.get(i.id) == exercise.pairs[i.id]]
    policy = exercise.policy
    match policy:
        case "proportional":
            ratio = Fraction(len(right_pairs), n)
            rule = "Each correct pair earns an equal share of the points."
        case "all_or_nothing":
            ratio = Fraction(1) if len(right_pairs) == n else _ZERO
            rule = "Points are given only when every pair is correct."
        case _:
            assert_never(policy)
    earned = possible * ratio
    share = possible / n
    parts = tuple(
        PartOutcome(id=i.id, earned=share if i.id in right_pairs else _ZERO, possible=share) for i in exercise.left
    )
    feedback = [FeedbackItem(kind=FeedbackKind.SUMMARY, message=f"{len(right_pairs)} of {n} pairs correct. {rule}")]
    for item in exercise.left:
        chosen = given.get(item.id)
        if item.id in right_pairs:
            message = f"“{item.text}” – “{right[chosen].text}”: correct."  # type: ignore[index]
        elif chosen is None:
            message = f"“{item.text}” was not paired."
        else:
            message = f"“{item.text}” – “{right[chosen].text}”: not a match."
        why = exercise.feedback.get(item.id)
        if why:
            message = f"{message} {why}"
        feedback.append(FeedbackItem(kind=FeedbackKind.PAIR, message=message, item_id=item.id))
    return Outcome(
        exercise_id=exercise.id,
        status=status_for(earned, possible),
        earned=earned,
        possible=possible,
        parts=parts,
        feedback=tuple(feedback) + tuple(problems),
    )
