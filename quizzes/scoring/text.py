"""What the two free-text scorers share: empty and wordless answers, flags, provisional outcomes, prose.

``short_answer`` is scored by rubric (:mod:`quizzes.scoring.short_answer`) and ``rewrite`` by loaded
and kept terms (:mod:`quizzes.scoring.rewrite`). Both give a *provisional* score and the status
``needs_review``: a teacher's review (:func:`quizzes.scoring.review.apply_review`) makes it final and keeps
the provisional score beside it. An empty answer scores 0 (``incorrect``, nothing to review); an
answer with no words at all (only punctuation) is ``invalid``. An answer that does not read as
prose is **flagged** (provisional 0, for the teacher to read); :func:`flag_reason` reads the
reason back. Word matching (lemmas, acronyms, negation) is :mod:`quizzes.scoring.words`.
"""

from __future__ import annotations

from fractions import Fraction

from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome, Status
from quizzes.scoring.common import invalid_outcome, status_for
from quizzes.scoring.words import Token, function_share

__all__ = [
    "MIN_FUNCTION_SHARE",
    "MAX_REPETITION",
    "FLAG_PREFIX",
    "ZERO",
    "blank_or_wordless",
    "flag_reason",
    "flagged_outcome",
    "provisional_outcome",
    "reads_as_list",
    "words_text",
]

MIN_FUNCTION_SHARE = 0.2
"""Sentences hold at least this share of function words (the, of, is ...); a keyword list does not."""

MAX_REPETITION = 0.25
"""An answer in which more than this share of its three-word sequences repeat earlier ones is padding
(the shipped model and sample answers repeat at most 0.03)."""

ZERO = Fraction(0)

FLAG_PREFIX = "Flagged for your teacher: "
"""How the summary of a flagged text answer begins (see :func:`flag_reason`)."""


def blank_or_wordless(exercise_id: str, points: int, text: str) -> Outcome | None:
    """The outcome of an empty answer (0 points, ``incorrect``) or of one with no words (``invalid``); ``None`` otherwise."""
    if not text.strip():
        possible = Fraction(points)
        return Outcome(
            exercise_id=exercise_id,
            status=status_for(ZERO, possible),
            earned=ZERO,
            possible=possible,
            feedback=(FeedbackItem(kind=FeedbackKind.SUMMARY, message="No answer given."),),
        )
    if not any(ch.isalnum() for ch in text):
        return invalid_outcome(exercise_id, points, ["The answer holds no words, only spaces or punctuation."])
    return None


def provisional_outcome(exercise_id: str, earned: Fraction, possible: Fraction, parts: tuple[PartOutcome, ...], feedback: list[FeedbackItem]) -> Outcome:
    """A ``needs_review`` outcome whose provisional score is ``earned`` (a teacher's review makes it final)."""
    return Outcome(
        exercise_id=exercise_id,
        status=Status.NEEDS_REVIEW,
        earned=earned,
        possible=possible,
        parts=parts,
        feedback=tuple(feedback),
        provisional=earned,
    )


def flag_reason(outcome: Outcome) -> str | None:
    """Why a text answer was flagged (too short, a list, padding, stuffing, not a rewrite), or ``None``."""
    for item in outcome.feedback:
        if item.kind is FeedbackKind.SUMMARY and item.message.startswith(FLAG_PREFIX):
            return item.message[len(FLAG_PREFIX):].split(" No provisional points")[0]
    return None


def flagged_outcome(exercise_id: str, possible: Fraction, parts: tuple[PartOutcome, ...], reason: str) -> Outcome:
    """A flagged answer: provisional 0 with every part zeroed, and a summary that gives ``reason`` (a sentence) to the student."""
    zeroed = tuple(p.model_copy(update={"earned": ZERO}) if p.earned else p for p in parts)  # a zero part is its own copy
    message = f"{FLAG_PREFIX}{reason} No provisional points are given; your teacher will read it."
    return provisional_outcome(exercise_id, ZERO, possible, zeroed, [FeedbackItem(kind=FeedbackKind.SUMMARY, message=message)])


def words_text(n: int) -> str:
    """"1 word", "12 words"."""
    return f"{n} word" if n == 1 else f"{n} words"


def reads_as_list(words: tuple[Token, ...]) -> bool:
    """Four words or more with fewer than :data:`MIN_FUNCTION_SHARE` function words: a keyword list, not sentences."""
    return len(words) >= 4 and function_share(words) < MIN_FUNCTION_SHARE
