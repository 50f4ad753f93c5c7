"""Grading a whole submission: every exercise of a quiz scored, totalled per skill, with discernment.

``grade_submission(bank, quiz, submission)`` scores each exercise of the quiz in quiz order. An
exercise the submission does not answer is scored as an empty answer (0 points, not ``invalid``);
answering an exercise that is not in the quiz is an error (:class:`UnknownExercise`). Optional
teacher reviews are applied (:func:`quizzes.scoring.review.apply_review`). Discernment (balanced accuracy,
see :class:`quizzes.outcome.Discernment`) is computed from the full span counts *before* each
outcome is cut down to its exercise's feedback policy. The certainty total is the sum of the
certainty-based marks of the answers that gave a certainty (``None`` if none did).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from lesson.errors import MedialitError, NotFound
from quizzes.bank import Bank, Quiz
from quizzes.reference_responses import empty_response
from quizzes.scoring.feedback_policy import apply_feedback_policy
from quizzes.outcome import Discernment, Outcome, QuizResult, Review, SkillTotal, SpanCounts, Status
from quizzes.responses import Response
from quizzes.scoring.review import apply_review
from quizzes.scoring import score_unfiltered

__all__ = ["UnknownExercise", "grade_submission", "discernment_of"]

_ZERO = Fraction(0)


class UnknownExercise(MedialitError):
    slug = "unknown-exercise"
    title = "The submission answers an exercise that is not in the quiz."


def discernment_of(counts: list[SpanCounts]) -> Discernment | None:
    """Balanced accuracy of a set of span outcomes' counts; ``None`` when no key span was asked for."""
    hits = sum(c.hits for c in counts)
    misses = sum(c.misses for c in counts)
    if hits + misses == 0:
        return None
    foils_total = sum(c.foils_total for c in counts)
    foils_marked = sum(c.foils_marked for c in counts)
    rejected = (foils_total - foils_marked) + sum((1 - c.free_marked for c in counts), _ZERO)
    negatives = foils_total + len(counts)
    sensitivity = Fraction(hits, hits + misses)
    specificity = rejected / negatives
    return Discernment(
        hits=hits,
        misses=misses,
        false_alarms=sum(c.false_alarms for c in counts),
        foils_marked=foils_marked,
        foils_total=foils_total,
        sensitivity=sensitivity,
        specificity=specificity,
        balanced_accuracy=(sensitivity + specificity) / 2,
    )


def grade_submission(
    bank: Bank,
    quiz: Quiz | str,
    submission: Mapping[str, Response | None],
    reviews: Mapping[str, Review] | None = None,
) -> QuizResult:
    """Score ``submission`` (exercise id -> response) against ``quiz`` of ``bank`` (see module doc)."""
    if isinstance(quiz, str):
        if quiz not in bank.quizzes:
            raise NotFound(f"no quiz {quiz!r} in pack {bank.pack.id!r}")
        quiz = bank.quiz(quiz)
    extra = sorted(set(submission) - set(quiz.exercises))
    if extra:
        raise UnknownExercise(f"quiz {quiz.id!r} has no exercise {', '.join(map(repr, extra))}")
    reviews = reviews or {}
    outcomes: list[Outcome] = []
    counts: list[SpanCounts] = []
    skills: dict[str, list[Fraction]] = {}
    marks: list[Fraction] = []
    for exercise_id in quiz.exercises:
        exercise = bank.exercise(exercise_id)
        response = submission.get(exercise_id) or empty_response(exercise)
        outcome = score_unfiltered(exercise, response, bank.pack)
        if exercise_id in reviews:
            outcome = apply_review(outcome, reviews[exercise_id])
        if outcome.counts is not None:
            counts.append(outcome.counts)
        if outcome.certainty is not None:
            marks.append(outcome.certainty.mark)
        total = skills.setdefault(exercise.skill.value, [_ZERO, _ZERO])
        total[0] += outcome.earned
        total[1] += outcome.possible
        outcomes.append(apply_feedback_policy(outcome, exercise.feedback_policy))
    return QuizResult(
        quiz_id=quiz.id,
        earned=sum((o.earned for o in outcomes), _ZERO),
        possible=sum((o.possible for o in outcomes), _ZERO),
        outcomes=tuple(outcomes),
        by_skill=tuple(SkillTotal(skill=s, earned=e, possible=p) for s, (e, p) in skills.items()),
        discernment=discernment_of(counts),
        needs_review=sum(1 for o in outcomes if o.status is Status.NEEDS_REVIEW),
        invalid=sum(1 for o in outcomes if o.status is Status.INVALID),
        certainty_mark=sum(marks, _ZERO) if marks else None,
    )
