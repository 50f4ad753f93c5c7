"""Scoring free-text answers: ``short_answer`` by rubric and ``rewrite`` by loaded and kept terms.

Both give a *provisional* score and the status ``needs_review``: a teacher's review
(:func:`quizzes.review.apply_review`) makes it final and keeps the provisional score beside it.
An empty answer scores 0 (``incorrect``, nothing to review); an answer with no words at all (only
punctuation) is ``invalid``.

Matching (both types): case-insensitive, curly and straight quotes, dashes and whitespace runs
folded, whole words only.

``short_answer``: a criterion is met when **every** concept group has a phrase that occurs in the
answer and is not negated. A ``*`` ends a word with any letters (``fund*`` matches "funded",
"funding"). An occurrence is negated when ``not``, ``no``, ``never`` or a word ending in ``n't``
is among the three words before it in the same sentence. ``provisional = points * (points of the
met criteria) / (rubric total)``.

``rewrite``: one part per loaded term (the quote of each ``loaded`` item), earned when the term no
longer occurs, and one per ``keep`` term, earned when it still occurs;
``provisional = points * earned parts / all parts``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from lesson.bundle import LessonPack
from lesson.text import normalise_for_matching
from quizzes.exercises import Criterion, RewriteExercise, ShortAnswerExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome, Status
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring.common import invalid_outcome, status_for

__all__ = ["NEGATORS", "fold", "phrase_pattern", "find_phrase", "criterion_met", "score_short_answer", "score_rewrite"]

NEGATORS = frozenset({"not", "no", "never"})
_WORDS = re.compile(r"[\w']+")
_SENTENCE_END = re.compile(r"[.!?;:]")
_ZERO = Fraction(0)


def fold(text: str) -> str:
    """Lower-case text with quotes, dashes and whitespace runs folded, for matching."""
    return normalise_for_matching(text)[0].casefold()


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A compiled whole-word pattern for a rubric phrase or a term (``*`` ends a word with any letters)."""
    words = fold(phrase).split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w']*")
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<![\w'])" + r"\s+".join(parts) + r"(?![\w])")


def _negated(folded: str, at: int) -> bool:
    before = folded[:at]
    cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
    words = _WORDS.findall(before[cut:])[-3:]
    return any(w in NEGATORS or w.endswith("n't") for w in words)


def find_phrase(folded: str, phrase: str, *, negation_guard: bool = True) -> bool:
    """Whether ``phrase`` occurs in the ``fold()``-ed answer (not negated, when ``negation_guard``)."""
    for match in phrase_pattern(phrase).finditer(folded):
        if not negation_guard or not _negated(folded, match.start()):
            return True
    return False


def criterion_met(criterion: Criterion, folded: str) -> bool:
    """Met when every concept group has a non-negated phrase in the ``fold()``-ed answer."""
    return all(any(find_phrase(folded, phrase) for phrase in group) for group in criterion.concepts)


def _blank_or_wordless(exercise_id: str, points: int, text: str) -> Outcome | None:
    if not text.strip():
        possible = Fraction(points)
        return Outcome(
            exercise_id=exercise_id,
            status=status_for(_ZERO, possible),
            earned=_ZERO,
            possible=possible,
            feedback=(FeedbackItem(kind=FeedbackKind.SUMMARY, message="No answer given."),),
        )
    if not any(ch.isalnum() for ch in text):
        return invalid_outcome(exercise_id, points, ["The answer holds no words, only spaces or punctuation."])
    return None


def _provisional(exercise_id: str, earned: Fraction, possible: Fraction, parts: tuple[PartOutcome, ...], feedback: list[FeedbackItem]) -> Outcome:
    return Outcome(
        exercise_id=exercise_id,
        status=Status.NEEDS_REVIEW,
        earned=earned,
        possible=possible,
        parts=parts,
        feedback=tuple(feedback),
        provisional=earned,
    )


def score_short_answer(exercise: ShortAnswerExercise, response: ShortAnswerResponse) -> Outcome:
    """Propose a provisional rubric score and list the criteria met (status ``needs_review``)."""
    early = _blank_or_wordless(exercise.id, exercise.points, response.text)
    if early is not None:
        return early
    folded = fold(response.text)
    possible = Fraction(exercise.points)
    total = exercise.rubric.total
    met = [c for c in exercise.rubric.criteria if criterion_met(c, folded)]
    earned = possible * sum(c.points for c in met) / total
    parts = tuple(
        PartOutcome(id=c.id, earned=possible * c.points / total if c in met else _ZERO, possible=possible * c.points / total)
        for c in exercise.rubric.criteria
    )
    feedback = [
        FeedbackItem(
            kind=FeedbackKind.SUMMARY,
            message=f"Provisional: {len(met)} of {len(exercise.rubric.criteria)} criteria met. A teacher will review this answer.",
        )
    ]
    for c in exercise.rubric.criteria:
        state = "Met" if c in met else "Not yet met"
        feedback.append(FeedbackItem(kind=FeedbackKind.CRITERION, message=f"{state}: {c.description}", item_id=c.id))
    return _provisional(exercise.id, earned, possible, parts, feedback)


def score_rewrite(exercise: RewriteExercise, response: RewriteResponse, pack: LessonPack) -> Outcome:
    """Propose a provisional score: loaded terms gone, kept terms present (status ``needs_review``)."""
    early = _blank_or_wordless(exercise.id, exercise.points, response.text)
    if early is not None:
        return early
    folded = fold(response.text)
    possible = Fraction(exercise.points)
    n = len(exercise.loaded) + len(exercise.keep)
    share = possible / n
    parts: list[PartOutcome] = []
    feedback: list[FeedbackItem] = []
    for item_id in exercise.loaded:
        item = pack.annotation.get(item_id)
        gone = not find_phrase(folded, item.quote, negation_guard=False)
        parts.append(PartOutcome(id=item_id, earned=share if gone else _ZERO, possible=share))
        message = f"“{item.quote}” is gone." if gone else f"“{item.quote}” is still there. {item.rationale}"
        feedback.append(FeedbackItem(kind=FeedbackKind.REWRITE, message=message, item_id=item_id, start=item.start, end=item.end, quote=item.quote))
    for term in exercise.keep:
        kept = find_phrase(folded, term, negation_guard=False)
        parts.append(PartOutcome(id=f"keep:{term}", earned=share if kept else _ZERO, possible=share))
        message = f"“{term}” is kept." if kept else f"Keep “{term}”: a neutral rewrite keeps the names, places and figures."
        feedback.append(FeedbackItem(kind=FeedbackKind.REWRITE, message=message))
    earned = sum((p.earned for p in parts), _ZERO)
    gone_count = sum(1 for p in parts[: len(exercise.loaded)] if p.earned)
    kept_count = sum(1 for p in parts[len(exercise.loaded):] if p.earned)
    summary = FeedbackItem(
        kind=FeedbackKind.SUMMARY,
        message=(
            f"Provisional: {gone_count} of {len(exercise.loaded)} loaded terms removed, "
            f"{kept_count} of {len(exercise.keep)} facts kept. A teacher will review this rewrite."
        ),
    )
    return _provisional(exercise.id, earned, possible, tuple(parts), [summary, *feedback])
