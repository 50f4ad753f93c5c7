"""Scoring ``single_choice`` and ``multi_choice`` answers.

``single_choice``: full points for the correct option, 0 otherwise; the chosen option's feedback.

``multi_choice`` (Moodle's rule, with the penalty set per exercise, default 1)::

    ratio = max(0, (right - penalty * wrong) / |correct options|)

where ``right``/``wrong`` count the chosen correct/incorrect options. The rule, with this exercise's
numbers, is stated in the feedback so the student can check it. Choosing the same option twice counts
once, and the order of choices does not matter. Unknown option ids are ``invalid`` parts; if every
chosen id is unknown the outcome is ``invalid``.
"""

from __future__ import annotations

from fractions import Fraction

from quizzes.exercises import MultiChoiceExercise, SingleChoiceExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome
from quizzes.responses import MultiChoiceResponse, SingleChoiceResponse
from quizzes.scoring.common import count, invalid_item, invalid_outcome, status_for

__all__ = ["score_single_choice", "score_multi_choice", "multi_choice_rule"]

_ZERO = Fraction(0)


def score_single_choice(exercise: SingleChoiceExercise, response: SingleChoiceResponse) -> Outcome:
    """Score one chosen option id (``None`` = unanswered, 0 points)."""
    possible = Fraction(exercise.points)
    if response.choice is None:
        return Outcome(
            exercise_id=exercise.id,
            status=status_for(_ZERO, possible),
            earned=_ZERO,
            possible=possible,
            feedback=(FeedbackItem(kind=FeedbackKind.SUMMARY, message="No option chosen."),),
        )
    option = next((o for o in exercise.options if o.id == response.choice), None)
    if option is None:
        return invalid_outcome(exercise.id, exercise.points, [f"There is no option {response.choice!r} in this exercise."])
    earned = possible if option.correct else _ZERO
    verdict = "Correct." if option.correct else "Not the best answer."
    return Outcome(
        exercise_id=exercise.id,
        status=status_for(earned, possible),
        earned=earned,
        possible=possible,
        parts=(PartOutcome(id=option.id, earned=earned, possible=possible),),
        feedback=(
            FeedbackItem(kind=FeedbackKind.SUMMARY, message=verdict),
            FeedbackItem(kind=FeedbackKind.OPTION, message=option.feedback, item_id=option.id),
        ),
    )


def multi_choice_rule(exercise: MultiChoiceExercise) -> str:
    """The scoring rule in words, with this exercise's penalty and number of correct options."""
    correct = sum(1 for o in exercise.options if o.correct)
    penalty = exercise.penalty
    shown = str(penalty) if penalty.denominator != 1 else str(penalty.numerator)
    shares = "share" if penalty <= 1 else "shares"
    return (
        f"Each of the {correct} right options earns its share of the points; each wrong choice takes "
        f"{shown} {shares} away, and the score never goes below zero."
    )


def score_multi_choice(exercise: MultiChoiceExercise, response: MultiChoiceResponse) -> Outcome:
    """Score a set of chosen option ids by ``max(0, (right - penalty * wrong) / |correct|)``."""
    possible = Fraction(exercise.points)
    by_id = {o.id: o for o in exercise.options}
    picked = set(response.choices)
    chosen = [o.id for o in exercise.options if o.id in picked]  # in the exercise's order: the outcome
    problems = [  # depends on the set of choices only
        invalid_item(f"There is no option {option_id!r} in this exercise.") for option_id in sorted(picked - set(by_id))
    ]
    if problems and not chosen:
        return invalid_outcome(exercise.id, exercise.points, (p.message for p in problems))
    n_correct = sum(1 for o in exercise.options if o.correct)
    right = sum(1 for c in chosen if by_id[c].correct)
    wrong = len(chosen) - right
    ratio = max(_ZERO, (right - exercise.penalty * wrong) / n_correct)
    earned = possible * ratio
    per_option = possible / n_correct
    # One part per correct option (chosen or not); the penalty for wrong choices shows in ``earned``.
    parts = tuple(
        PartOutcome(id=o.id, earned=per_option if o.id in chosen else _ZERO, possible=per_option)
        for o in exercise.options
        if o.correct
    )
    feedback: list[FeedbackItem] = [
        FeedbackItem(
            kind=FeedbackKind.SUMMARY,
            message=f"You chose {right} of the {count(n_correct, 'right option')} and {count(wrong, 'wrong one')}. {multi_choice_rule(exercise)}",
        )
    ]
    feedback.extend(FeedbackItem(kind=FeedbackKind.OPTION, message=by_id[c].feedback, item_id=c) for c in chosen)
    feedback.extend(
        FeedbackItem(kind=FeedbackKind.MISSED, message=o.feedback, item_id=o.id)
        for o in exercise.options
        if o.correct and o.id not in chosen
    )
    return Outcome(
        exercise_id=exercise.id,
        status=status_for(earned, possible),
        earned=earned,
        possible=possible,
        parts=parts,
        feedback=tuple(feedback) + tuple(problems),
    )
