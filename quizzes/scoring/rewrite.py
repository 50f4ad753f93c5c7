"""Scoring ``rewrite`` by loaded and kept terms (provisional, for a teacher's review; see :mod:`quizzes.scoring.text`).

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
from quizzes.exercises import RewriteExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome
from quizzes.responses import RewriteResponse
from quizzes.scoring.memo import memoised
from quizzes.scoring.text import ZERO, blank_or_wordless, flagged_outcome, provisional_outcome, reads_as_list, words_text
from quizzes.scoring.words import FUNCTION_WORDS, Token, WordIndex, date_forms, first_keys, phrase_tokens, tokens

__all__ = [
    "MIN_KEPT_SHARE",
    "RewriteCheck",
    "rewrite_check",
    "score_rewrite",
]

MIN_KEPT_SHARE = Fraction(1, 2)
"""A rewrite keeps at least this share of the target's content words outside the loaded terms."""


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
            return f"the rewrite has {words_text(self.length)}; a rewrite of this sentence needs at least {self.low}."
        if self.length > self.high:
            return f"the rewrite has {words_text(self.length)}; a rewrite of this sentence has at most {self.high}."
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
                PartOutcome(id=item.id, earned=ZERO, possible=share), PartOutcome(id=item.id, earned=share, possible=share), still, gone,
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
            part = self._keep_parts[slot] = PartOutcome(id=f"keep:{fact}", earned=share * r if present else ZERO, possible=share)
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
    return RewriteCheck(kept, len(plan.content), len(words), plan.low, plan.high, not reads_as_list(words), shared, new)


def score_rewrite(exercise: RewriteExercise, response: RewriteResponse, pack: LessonPack) -> Outcome:
    """Propose a provisional score: still a rewrite, loaded terms gone, kept facts present (``needs_review``)."""
    early = blank_or_wordless(exercise.id, exercise.points, response.text)
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
        return flagged_outcome(exercise.id, possible, parts, f"this does not read as a rewrite of the sentence: {problem}")
    earned = possible * (r / 2 + r * k / 2)
    summary = FeedbackItem(
        kind=FeedbackKind.SUMMARY,
        message=(
            f"Provisional: {removed} of {n_loaded} loaded terms removed, "
            f"{kept} of {n_keep} facts kept. A teacher will review this rewrite."
        ),
    )
    return provisional_outcome(exercise.id, earned, possible, parts, [summary, *feedback])
