"""Scoring ``short_answer`` by rubric (provisional, for a teacher's review; see :mod:`quizzes.scoring.text`).

``short_answer``: a criterion is met when **every** concept group has a phrase that occurs in the
answer, is not negated, does not occur in the prompt (echoing the question earns nothing) and is
not listed beside another criterion's phrase (:class:`RubricMatches`).
``provisional = points * (points of the met criteria) / (rubric total)``. An answer shorter than
the exercise's ``min_words``, one that reads as a list of words rather than sentences (fewer
than :data:`quizzes.scoring.text.MIN_FUNCTION_SHARE` function words), one that repeats itself (more than
:data:`quizzes.scoring.text.MAX_REPETITION` of its word trigrams), or one whose content words are mostly the rubric's
own phrases (more than :data:`MAX_RUBRIC_SHARE` of at least eight: keyword stuffing) is
**flagged**: provisional 0, for the teacher to read.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from quizzes.exercises import Criterion, ShortAnswerExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome
from quizzes.responses import ShortAnswerResponse
from quizzes.scoring.memo import memoised
from quizzes.scoring.text import MAX_REPETITION, ZERO, blank_or_wordless, flagged_outcome, provisional_outcome, reads_as_list, words_text
from quizzes.scoring.words import FUNCTION_WORDS, Token, WordIndex, first_keys, is_negated, occurs, phrase_tokens, repetition, tokens

__all__ = [
    "MAX_RUBRIC_SHARE",
    "STUFFING_MIN_CONTENT",
    "RubricMatches",
    "criterion_met",
    "echoes_prompt",
    "min_words",
    "rubric_share",
    "score_short_answer",
]

MAX_RUBRIC_SHARE = Fraction(2, 3)
"""An answer whose content words are more than this share the rubric's own phrases is keyword-stuffed.
On the shipped samples, answers that argue reach at most 0.62 and stuffed ones at least 0.71.
Applied to answers of at least :data:`STUFFING_MIN_CONTENT` content words."""

STUFFING_MIN_CONTENT = 8


def min_words(exercise: ShortAnswerExercise) -> int:
    """The fewest words an answer needs to be credited: ``min_words``, or a third of the model answer's (at least 12)."""
    if exercise.min_words is not None:
        return exercise.min_words
    return max(12, len(tokens(exercise.model_answer)) // 5)


@lru_cache(maxsize=4096)
def echoes_prompt(prompt: str, phrase: str) -> bool:
    """Whether a rubric ``phrase`` already occurs in the exercise's ``prompt`` (so it earns nothing)."""
    return occurs(tokens(prompt), phrase, negation_guard=False)


_LIST_WORDS = frozenset({"and", "or"})


class RubricMatches:
    """Where each concept group's phrases occur in one answer (not negated, not echoing the prompt).

    A phrase **listed** next to a phrase of another criterion, with only a comma, a semicolon,
    a slash, ``and`` or ``or`` between them ("former, stance, president"), does not count: a list
    of rubric words is not an argument. (Phrases of one criterion may stand side by side: "read
    his arguments and test them".)
    """

    __slots__ = ("index", "spans", "listed")

    def __init__(self, exercise: ShortAnswerExercise, index: WordIndex) -> None:
        self.index = index
        words = index.words
        self.spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for slot, phrases in _rubric_plan(exercise):
            found = self.spans[slot] = []
            for want, n, keys in phrases:
                if not index.may_start(keys):
                    continue
                for i in index.starts_of(want):
                    if not is_negated(words, i):
                        found.append((i, i + n))
        listed: set[tuple[int, int]] = set()
        if sum(map(len, self.spans.values())) > 1:
            flat = sorted((a, b, key) for key, spans in self.spans.items() for a, b in spans)
            for a1, b1, k1 in flat:
                for a2, b2, k2 in flat:
                    if k1[0] == k2[0] or a2 < b1 or a2 > b1 + 1:
                        continue
                    if (a2 == b1 and any(ch in words[a2].gap for ch in ",;/")) or (a2 == b1 + 1 and words[b1].lower in _LIST_WORDS):
                        listed.update({(a1, b1), (a2, b2)})
        self.listed = listed

    def met(self, criterion: Criterion) -> bool:
        """Every concept group of ``criterion`` has an occurrence that is not listed."""
        return all(
            any(span not in self.listed for span in self.spans[(criterion.id, g)])
            for g in range(len(criterion.concepts))
        )


_Plan = tuple[tuple[tuple[str, int], tuple[tuple[tuple[Token, ...], int, frozenset[str]], ...]], ...]


def _build_rubric_plan(exercise: ShortAnswerExercise, _pack: None) -> _Plan:
    """Per concept group ``(criterion id, group number)``, its phrases that do not echo the prompt, tokenised."""
    plan = []
    for criterion in exercise.rubric.criteria:
        for g, group in enumerate(criterion.concepts):
            phrases = tuple(
                (phrase_tokens(phrase), len(phrase_tokens(phrase)), first_keys(phrase_tokens(phrase)))
                for phrase in group
                if not echoes_prompt(exercise.prompt, phrase)
            )
            plan.append(((criterion.id, g), phrases))
    return tuple(plan)


def _rubric_plan(exercise: ShortAnswerExercise) -> _Plan:
    """:func:`_build_rubric_plan`, once per exercise object (the rubric and prompt are fixed)."""
    return memoised("rubric-plan", exercise, None, _build_rubric_plan)


def _build_every_phrase(exercise: ShortAnswerExercise, _pack: None) -> tuple[tuple[tuple[Token, ...], int, frozenset[str]], ...]:
    phrases = (phrase for criterion in exercise.rubric.criteria for group in criterion.concepts for phrase in group)
    return tuple((phrase_tokens(p), len(phrase_tokens(p)), first_keys(phrase_tokens(p))) for p in phrases)


def _every_phrase(exercise: ShortAnswerExercise) -> tuple[tuple[tuple[Token, ...], int, frozenset[str]], ...]:
    """Every rubric phrase of ``exercise``, tokenised, echoes of the prompt included (for :func:`rubric_share`)."""
    return memoised("rubric-phrases", exercise, None, _build_every_phrase)


def criterion_met(criterion: Criterion, words: tuple[Token, ...] | WordIndex, prompt: str = "") -> bool:
    """Met when every concept group has a phrase in ``words``, not negated and not an echo of ``prompt``
    (without the list rule of :class:`RubricMatches`, which needs the whole rubric)."""
    index = words if isinstance(words, WordIndex) else WordIndex(words)
    return all(
        any(index.occurs(phrase) for phrase in group if not echoes_prompt(prompt, phrase))
        for group in criterion.concepts
    )


def rubric_share(exercise: ShortAnswerExercise, words: tuple[Token, ...] | WordIndex) -> Fraction:
    """Share (0..1) of the answer's content words that belong to an occurrence of a rubric phrase."""
    index = words if isinstance(words, WordIndex) else WordIndex(words)
    words = index.words
    covered: set[int] = set()
    for want, n, keys in _every_phrase(exercise):
        if index.may_start(keys):
            for start in index.starts_of(want):
                covered.update(range(start, start + n))
    content = [i for i, w in enumerate(words) if w.lower not in FUNCTION_WORDS]
    return Fraction(sum(1 for i in content if i in covered), len(content)) if content else Fraction(0)


def _stuffed(exercise: ShortAnswerExercise, index: WordIndex) -> bool:
    # a handful of content words is too few to tell stuffing from a terse answer
    content = sum(1 for w in index.words if w.lower not in FUNCTION_WORDS)
    return content >= STUFFING_MIN_CONTENT and rubric_share(exercise, index) > MAX_RUBRIC_SHARE


def score_short_answer(exercise: ShortAnswerExercise, response: ShortAnswerResponse) -> Outcome:
    """Propose a provisional rubric score and list the criteria met (status ``needs_review``)."""
    early = blank_or_wordless(exercise.id, exercise.points, response.text)
    if early is not None:
        return early
    words = tokens(response.text)
    index = WordIndex(words)
    shown = _short_presenter(exercise)
    possible = shown.possible
    matches = RubricMatches(exercise, index)
    met = [matches.met(c) for c in exercise.rubric.criteria]
    parts = tuple(part[is_met] for part, is_met in zip(shown.parts, met))
    needed = shown.needed
    if len(words) < needed:
        return flagged_outcome(exercise.id, possible, shown.zero_parts, f"the answer has {words_text(len(words))}, too few to make the argument (at least {needed} expected).")
    if reads_as_list(words):
        return flagged_outcome(exercise.id, possible, shown.zero_parts, "the answer reads as a list of words, not as sentences that explain.")
    if len(words) >= 12 and repetition(words) > MAX_REPETITION:
        return flagged_outcome(exercise.id, possible, shown.zero_parts, "the answer repeats the same words over and over instead of explaining.")
    if _stuffed(exercise, index):
        return flagged_outcome(exercise.id, possible, shown.zero_parts, "the answer is almost all words a marker looks for, without an argument that links them.")
    earned = possible * sum(c.points for c, is_met in zip(exercise.rubric.criteria, met) if is_met) / exercise.rubric.total
    n_met = sum(met)
    feedback = [
        FeedbackItem(
            kind=FeedbackKind.SUMMARY,
            message=f"Provisional: {n_met} of {len(met)} criteria met. A teacher will review this answer.",
        )
    ]
    feedback.extend(item[is_met] for item, is_met in zip(shown.items, met))
    return provisional_outcome(exercise.id, earned, possible, parts, feedback)


class _ShortPresenter:
    """Per-exercise pieces of short-answer outcomes, built once (outcome parts are immutable): each
    criterion's part and feedback item, unmet (index 0) and met (index 1), and the fewest words."""

    __slots__ = ("possible", "parts", "zero_parts", "items", "needed")

    def __init__(self, exercise: ShortAnswerExercise, _pack: None) -> None:
        possible = self.possible = Fraction(exercise.points)
        total = exercise.rubric.total
        self.parts = tuple(
            (PartOutcome(id=c.id, earned=ZERO, possible=possible * c.points / total),
             PartOutcome(id=c.id, earned=possible * c.points / total, possible=possible * c.points / total))
            for c in exercise.rubric.criteria
        )
        self.zero_parts = tuple(unmet for unmet, _ in self.parts)  # what _flag's zeroing gives
        self.items = tuple(
            tuple(FeedbackItem(kind=FeedbackKind.CRITERION, message=f"{state}: {c.description}", item_id=c.id) for state in ("Not yet met", "Met"))
            for c in exercise.rubric.criteria
        )
        self.needed = min_words(exercise)


def _short_presenter(exercise: ShortAnswerExercise) -> _ShortPresenter:
    return memoised("short-presenter", exercise, None, _ShortPresenter)
