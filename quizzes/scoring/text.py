"""Scoring free-text answers: ``short_answer`` by rubric and ``rewrite`` by loaded and kept terms.

Both give a *provisional* score and the status ``needs_review``: a teacher's review
(:func:`quizzes.review.apply_review`) makes it final and keeps the provisional score beside it.
An empty answer scores 0 (``incorrect``, nothing to review); an answer with no words at all (only
punctuation) is ``invalid``. Word matching (lemmas, acronyms, negation) is
:mod:`quizzes.scoring.words`.

``short_answer``: a criterion is met when **every** concept group has a phrase that occurs in the
answer, is not negated, does not occur in the prompt (echoing the question earns nothing) and is
not listed beside another criterion's phrase (:class:`RubricMatches`).
``provisional = points * (points of the met criteria) / (rubric total)``. An answer shorter than
the exercise's ``min_words``, one that reads as a list of words rather than sentences (fewer
than :data:`MIN_FUNCTION_SHARE` function words), one that repeats itself (more than
:data:`MAX_REPETITION` of its word trigrams), or one whose content words are mostly the rubric's
own phrases (more than :data:`MAX_RUBRIC_SHARE` of at least eight: keyword stuffing) is
**flagged**: provisional 0, for the teacher to read.

``rewrite``: the answer must still be a rewrite of the target sentence: at least
:data:`MIN_KEPT_SHARE` of the target's content words outside the loaded terms kept (by lemma, or
by an alias), a length between half the target's words outside the loaded terms and twice the
target's words, prose (as above), two words in a row of the target's own wording (outside the
loaded terms and the facts), and at least one content word the target does not have (deleting
the loaded words is not rewriting them). Otherwise it is flagged (provisional 0). A loaded term is
*removed* when neither its quote nor any of its ``loaded_words`` occurs. A kept fact is *kept*
when it or one of its aliases occurs (dates in either order). With ``R`` the share of loaded terms
removed and ``K`` the share of facts kept (1 without facts)::

    provisional = points * (R / 2 + R * K / 2)

so an unchanged copy earns 0, and facts count only in proportion to what was rewritten.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

from lesson.bundle import LessonPack
from quizzes.exercises import Criterion, RewriteExercise, ShortAnswerExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome, Status
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring.common import invalid_outcome, status_for
from quizzes.scoring.memo import memoised
from quizzes.scoring.words import FUNCTION_WORDS, Token, WordIndex, date_forms, first_keys, function_share, is_negated, occurs, phrase_tokens, repetition, tokens

__all__ = [
    "MIN_KEPT_SHARE",
    "MIN_FUNCTION_SHARE",
    "MAX_RUBRIC_SHARE",
    "STUFFING_MIN_CONTENT",
    "MAX_REPETITION",
    "RubricMatches",
    "rubric_share",
    "min_words",
    "echoes_prompt",
    "criterion_met",
    "rewrite_check",
    "RewriteCheck",
    "score_short_answer",
    "score_rewrite",
    "FLAG_PREFIX",
    "flag_reason",
]

MIN_KEPT_SHARE = Fraction(1, 2)
"""A rewrite keeps at least this share of the target's content words outside the loaded terms."""

MIN_FUNCTION_SHARE = 0.2
"""Sentences hold at least this share of function words (the, of, is ...); a keyword list does not."""

MAX_RUBRIC_SHARE = Fraction(2, 3)
"""An answer whose content words are more than this share the rubric's own phrases is keyword-stuffed.
On the shipped samples, answers that argue reach at most 0.62 and stuffed ones at least 0.71.
Applied to answers of at least :data:`STUFFING_MIN_CONTENT` content words."""

STUFFING_MIN_CONTENT = 8

MAX_REPETITION = 0.25
"""An answer in which more than this share of its three-word sequences repeat earlier ones is padding
(the shipped model and sample answers repeat at most 0.03)."""

_ZERO = Fraction(0)

FLAG_PREFIX = "Flagged for your teacher: "
"""How the summary of a flagged text answer begins (see :func:`flag_reason`)."""


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


def flag_reason(outcome: Outcome) -> str | None:
    """Why a text answer was flagged (too short, a list, padding, stuffing, not a rewrite), or ``None``."""
    for item in outcome.feedback:
        if item.kind is FeedbackKind.SUMMARY and item.message.startswith(FLAG_PREFIX):
            return item.message[len(FLAG_PREFIX):].split(" No provisional points")[0]
    return None


def _flag(exercise_id: str, possible: Fraction, parts: tuple[PartOutcome, ...], reason: str) -> Outcome:
    zeroed = tuple(p.model_copy(update={"earned": _ZERO}) if p.earned else p for p in parts)  # a zero part is its own copy
    message = f"{FLAG_PREFIX}{reason} No provisional points are given; your teacher will read it."
    return _provisional(exercise_id, _ZERO, possible, zeroed, [FeedbackItem(kind=FeedbackKind.SUMMARY, message=message)])


def _words(n: int) -> str:
    return f"{n} word" if n == 1 else f"{n} words"


def _reads_as_list(words: tuple[Token, ...]) -> bool:
    return len(words) >= 4 and function_share(words) < MIN_FUNCTION_SHARE


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
    early = _blank_or_wordless(exercise.id, exercise.points, response.text)
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
        return _flag(exercise.id, possible, shown.zero_parts, f"the answer has {_words(len(words))}, too few to make the argument (at least {needed} expected).")
    if _reads_as_list(words):
        return _flag(exercise.id, possible, shown.zero_parts, "the answer reads as a list of words, not as sentences that explain.")
    if len(words) >= 12 and repetition(words) > MAX_REPETITION:
        return _flag(exercise.id, possible, shown.zero_parts, "the answer repeats the same words over and over instead of explaining.")
    if _stuffed(exercise, index):
        return _flag(exercise.id, possible, shown.zero_parts, "the answer is almost all words a marker looks for, without an argument that links them.")
    earned = possible * sum(c.points for c, is_met in zip(exercise.rubric.criteria, met) if is_met) / exercise.rubric.total
    n_met = sum(met)
    feedback = [
        FeedbackItem(
            kind=FeedbackKind.SUMMARY,
            message=f"Provisional: {n_met} of {len(met)} criteria met. A teacher will review this answer.",
        )
    ]
    feedback.extend(item[is_met] for item, is_met in zip(shown.items, met))
    return _provisional(exercise.id, earned, possible, parts, feedback)


class _ShortPresenter:
    """Per-exercise pieces of short-answer outcomes, built once (outcome parts are immutable): each
    criterion's part and feedback item, unmet (index 0) and met (index 1), and the fewest words."""

    __slots__ = ("possible", "parts", "zero_parts", "items", "needed")

    def __init__(self, exercise: ShortAnswerExercise, _pack: None) -> None:
        possible = self.possible = Fraction(exercise.points)
        total = exercise.rubric.total
        self.parts = tuple(
            (PartOutcome(id=c.id, earned=_ZERO, possible=possible * c.points / total),
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


class RewriteCheck:
    """Whether an answer is still a rewrite of the target: content words kept, length, prose, some of
    the sentence's own wording (``shared``), and something said in place of what was removed (``new``)."""

    __slots__ = ("kept", "content", "length", "low", "high", "prose", "shared", "new")

    def __init__(self, kept: int, content: int, length: int, low: int, high: int, prose: bool, shared: bool = True, new: int = 1) -> None:
        self.kept, self.content, self.length, self.low, self.high, self.prose = kept, content, length, low, high, prose
        self.shared, self.new = shared, new

    @property
    def kept_share(self) -> Fraction:
        return Fraction(self.kept, self.content) if self.content else Fraction(1)

    def problem(self) -> str | None:
        """Why the answer is not a rewrite of the sentence, or ``None`` when it is one."""
        if self.length < self.low:
            return f"the rewrite has {_words(self.length)}; a rewrite of this sentence needs at least {self.low}."
        if self.length > self.high:
            return f"the rewrite has {_words(self.length)}; a rewrite of this sentence has at most {self.high}."
        if not self.prose:
            return "the rewrite reads as a list of words, not as a sentence."
        if self.kept_share < MIN_KEPT_SHARE:
            return (f"it keeps {self.kept} of the sentence's {self.content} content words outside the loaded terms; "
                    "a rewrite keeps at least half of them, so it still reports the same thing.")
        if not self.shared:
            return ("it keeps none of the sentence's own wording (no two words in a row outside the facts); "
                    "a rewrite changes the loaded words and keeps the rest.")
        if not self.new:
            return "it only deletes words; a rewrite says in neutral words what the loaded ones said."
        return None


def _spellings(exercise: RewriteExercise, fact: str) -> tuple[str, ...]:
    return (fact, *exercise.aliases.get(fact, ()), *date_forms(fact))


def _has_any(words: tuple[Token, ...] | WordIndex, phrases: tuple[str, ...]) -> bool:
    index = words if isinstance(words, WordIndex) else WordIndex(words)
    return any(index.occurs(p, negation_guard=False) for p in phrases)


_Wants = tuple[tuple[tuple[Token, ...], frozenset[str]], ...]


def _tokenised(phrases: tuple[str, ...]) -> _Wants:
    return tuple((phrase_tokens(p), first_keys(phrase_tokens(p))) for p in phrases)


def _has_any_of(index: WordIndex, wants: _Wants) -> bool:
    """:func:`_has_any` of phrases tokenised by :func:`_tokenised`."""
    return any(index.may_start(keys) and index.starts_of(want) for want, keys in wants)


@lru_cache(maxsize=256)
def _target_words(text: str, loaded_ranges: tuple[tuple[int, int], ...], start: int) -> tuple[tuple[Token, ...], int]:
    """The target's content words outside the loaded terms, and the number of its words outside them."""
    outside = []
    cursor = 0
    for a, b in sorted(loaded_ranges):
        outside.append(text[cursor:a - start])
        cursor = max(cursor, b - start)
    outside.append(text[cursor:])
    words = tokens(" | ".join(outside))
    content = tuple({w.lemma: w for w in words if w.lower not in FUNCTION_WORDS}.values())
    return content, len(words)


def _bigrams(words: tuple[Token, ...]) -> set[tuple[str, str]]:
    return {(a.lemma, b.lemma) for a, b in zip(words, words[1:])}


@lru_cache(maxsize=256)
def _target_wording(text: str, loaded_ranges: tuple[tuple[int, int], ...], start: int, facts: tuple[str, ...]) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """The target's word pairs (by lemma) outside the loaded terms that hold a content word and are
    not inside a fact, and every lemma and lower-cased form of the target."""
    pairs: set[tuple[str, str]] = set()
    cursor = 0
    segments = []
    for a, b in sorted(loaded_ranges):
        segments.append(text[cursor:a - start])
        cursor = max(cursor, b - start)
    segments.append(text[cursor:])
    for segment in segments:
        words = tokens(segment)
        index = WordIndex(words)
        in_fact = {i for f in facts for s in index.starts(f) for i in range(s, s + len(phrase_tokens(f)) - 1)}
        for i in range(len(words) - 1):
            if i in in_fact or (words[i].lower in FUNCTION_WORDS and words[i + 1].lower in FUNCTION_WORDS):
                continue
            pairs.add((words[i].lemma, words[i + 1].lemma))
    every = tokens(text)
    return frozenset(pairs), frozenset({w.lemma for w in every} | {w.lower for w in every})


class _RewritePlan:
    """What :func:`rewrite_check` and :func:`score_rewrite` need of an exercise and its pack, computed
    once per (exercise, pack) object pair: the loaded terms with the phrases that betray each, the
    kept facts with their spellings, and the target's words, bounds and wording."""

    __slots__ = ("loaded", "facts", "content", "fact_spellings", "low", "high", "pairs", "target_lemmas", "_keep_parts")

    def __init__(self, exercise: RewriteExercise, pack: LessonPack) -> None:
        target = exercise.target
        possible = Fraction(exercise.points)
        n_loaded, n_keep = len(exercise.loaded), len(exercise.keep)
        items = [pack.annotation.get(i) for i in exercise.loaded]
        loaded = []
        for item in items:
            share = possible / (2 * n_loaded) if n_keep else possible / n_loaded
            still = FeedbackItem(kind=FeedbackKind.REWRITE, message=f"“{item.quote}” is still there (or its loaded word is). {item.rationale}",
                                 item_id=item.id, start=item.start, end=item.end, quote=item.quote)
            gone = FeedbackItem(kind=FeedbackKind.REWRITE, message=f"“{item.quote}” is gone.", item_id=item.id, start=item.start, end=item.end, quote=item.quote)
            loaded.append((
                _tokenised((item.quote, *exercise.loaded_words.get(item.id, ()))),
                PartOutcome(id=item.id, earned=_ZERO, possible=share), PartOutcome(id=item.id, earned=share, possible=share), still, gone,
            ))
        self.loaded = tuple(loaded)
        """Per loaded term: its phrases, its part when still there and when gone, its feedback item likewise."""
        self.facts = tuple(
            (fact, _tokenised(_spellings(exercise, fact)), possible / (2 * n_keep),
             FeedbackItem(kind=FeedbackKind.REWRITE, message=f"“{fact}” is kept."),
             FeedbackItem(kind=FeedbackKind.REWRITE, message=f"Keep “{fact}”: a neutral rewrite keeps the names, places and figures."))
            for fact in exercise.keep
        )
        """Per kept fact: the fact, its spellings, its share, its feedback item when kept and when missing."""
        self._keep_parts: dict[tuple[int, bool, Fraction], PartOutcome] = {}
        ranges = tuple((item.start, item.end) for item in items)
        self.content, outside_count = _target_words(target.quote, ranges, target.start)
        # per content word, the spellings of the facts and aliased words holding its lemma
        self.fact_spellings = tuple(
            tuple(_tokenised(_spellings(exercise, f)) for f in (*exercise.keep, *exercise.aliases) if any(t.lemma == word.lemma for t in tokens(f)))
            for word in self.content
        )
        self.low = math.ceil(outside_count / 2)
        self.high = 2 * len(tokens(target.quote))
        self.pairs, self.target_lemmas = _target_wording(target.quote, ranges, target.start, exercise.keep)

    def keep_part(self, number: int, present: bool, r: Fraction) -> PartOutcome:
        """The part of kept fact ``number``: ``share * r`` when present, else 0 (cached; a few values of ``r``)."""
        slot = (number, present, r)
        part = self._keep_parts.get(slot)
        if part is None:
            fact, _, share, _, _ = self.facts[number]
            if len(self._keep_parts) > 1024:
                self._keep_parts.clear()
            part = self._keep_parts[slot] = PartOutcome(id=f"keep:{fact}", earned=share * r if present else _ZERO, possible=share)
        return part


def _rewrite_plan(exercise: RewriteExercise, pack: LessonPack) -> _RewritePlan:
    return memoised("rewrite-plan", exercise, pack, _RewritePlan)


def rewrite_check(exercise: RewriteExercise, words: tuple[Token, ...] | WordIndex, pack: LessonPack) -> RewriteCheck:
    """Measure how far ``words`` still rewrite the target sentence (see the module docstring)."""
    index = words if isinstance(words, WordIndex) else WordIndex(words)
    words = index.words
    plan = _rewrite_plan(exercise, pack)
    kept_lemmas = {w.lemma for w in words} | {w.lower for w in words}
    kept = 0
    for word, spellings in zip(plan.content, plan.fact_spellings):
        if word.lemma in kept_lemmas or word.lower in kept_lemmas:
            kept += 1
            continue
        # a word of a fact or an aliased word counts when one of its spellings is there
        if any(_has_any_of(index, each) for each in spellings):
            kept += 1
    pairs, target_lemmas = plan.pairs, plan.target_lemmas
    shared = bool(_bigrams(words) & pairs) or not pairs
    new = sum(1 for w in words if w.lower not in FUNCTION_WORDS and w.lemma not in target_lemmas and w.lower not in target_lemmas)
    return RewriteCheck(kept, len(plan.content), len(words), plan.low, plan.high, not _reads_as_list(words), shared, new)


def score_rewrite(exercise: RewriteExercise, response: RewriteResponse, pack: LessonPack) -> Outcome:
    """Propose a provisional score: still a rewrite, loaded terms gone, kept facts present (``needs_review``)."""
    early = _blank_or_wordless(exercise.id, exercise.points, response.text)
    if early is not None:
        return early
    words = WordIndex(tokens(response.text))
    possible = Fraction(exercise.points)
    n_loaded, n_keep = len(exercise.loaded), len(exercise.keep)
    removed_parts: list[PartOutcome] = []
    feedback: list[FeedbackItem] = []
    removed = 0
    plan = _rewrite_plan(exercise, pack)
    for wants, part_still, part_gone, item_still, item_gone in plan.loaded:
        still = _has_any_of(words, wants)
        removed += not still
        removed_parts.append(part_still if still else part_gone)
        feedback.append(item_still if still else item_gone)
    r = Fraction(removed, n_loaded)
    keep_parts: list[PartOutcome] = []
    kept = 0
    for number, (_fact, wants, _share, item_kept, item_missing) in enumerate(plan.facts):
        present = _has_any_of(words, wants)
        kept += present
        keep_parts.append(plan.keep_part(number, present, r))
        feedback.append(item_kept if present else item_missing)
    k = Fraction(kept, n_keep) if n_keep else Fraction(1)
    parts = (*removed_parts, *keep_parts)
    problem = rewrite_check(exercise, words, pack).problem()
    if problem is not None:
        return _flag(exercise.id, possible, parts, f"this does not read as a rewrite of the sentence: {problem}")
    earned = possible * (r / 2 + r * k / 2)
    summary = FeedbackItem(
        kind=FeedbackKind.SUMMARY,
        message=(
            f"Provisional: {removed} of {n_loaded} loaded terms removed, "
            f"{kept} of {n_keep} facts kept. A teacher will review this rewrite."
        ),
    )
    return _provisional(exercise.id, earned, possible, parts, [summary, *feedback])
