"""Compiled span keys: everything about a span exercise's key that does not depend on the answer.

Compiling turns annotation ids into integer intervals once per (exercise, pack) pair: key units
(overlapping key items of one label merged, as SemEval-2020 Task 11 merges them), their acceptable
boundaries, the one-word tolerance margins around each boundary, the key region of every label,
the foils, the contested items, the size of the scope's technique-free text and the budget of
false marking. Scoring an answer then only walks a few short integer lists.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction
from itertools import accumulate
from typing import Iterable, Sequence

from lesson.annotations import AnnotationItem
from lesson.bundle import LessonPack
from lesson.text import is_word_char, trim_to_words
from quizzes.exercises import HighlightExercise, LabelSpansExercise
from quizzes.scoring.intervals import Interval, IntervalSet, merge, subtract, total

__all__ = [
    "ANY_LABEL", "Candidate", "KeyUnit", "Foil", "Contested", "Guard", "SpanKey", "compile_span_key", "word_margins",
    "compile_regions", "trimmed", "scope_intervals", "clean_size", "KeyIndex", "with_index", "sentences",
    "budget_for", "BUDGET_KEY_FACTOR", "BUDGET_SENTENCE_FACTOR",
]

BUDGET_KEY_FACTOR = Fraction(5, 4)
"""The false-marking budget is at least this many times the key's length (see :func:`budget_for`)."""
BUDGET_SENTENCE_FACTOR = Fraction(7, 2)
"""... and at least this many of the scope's longest sentence: one extra sentence costs at most 2/7."""

ANY_LABEL = ""
"""The single label group of a ``highlight`` exercise, where the kind is given by the exercise."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One acceptable boundary of a key unit and its tolerance margins (one word outside each end)."""

    span: Interval
    margins: IntervalSet


@dataclass(frozen=True, slots=True)
class KeyUnit:
    """A key span to be found: its items, expected label and acceptable boundaries (main one first)."""

    item_ids: tuple[str, ...]
    label: str
    candidates: tuple[Candidate, ...]
    rationale: str
    accepted: frozenset[str] = frozenset()
    """Every label that counts as right here: ``label`` and the items' other labels the exercise offers."""


@dataclass(frozen=True, slots=True)
class Foil:
    """A look-alike a student should leave alone, with what to tell them if they mark it."""

    item_id: str
    span: Interval
    feedback: str


@dataclass(frozen=True, slots=True)
class Contested:
    """An item careful readers disagree about: marking it is neither rewarded nor punished."""

    item_id: str
    span: Interval
    margins: IntervalSet
    reason: str


class Guard(StrEnum):
    """How marking text the key leaves alone is charged (``quizzes.scoring.measure``).

    ``budget``: ``ratio = recall * (1 - min(1, false / budget))``, the rule of ``highlight`` and
    ``label_spans``; ``scope_share``: ``ratio = F1 * (1 - free share)``, kept for the one-span roles of
    ``attribution_roles``, where a role is a boundary task and F1 is the Citron measure.
    """

    BUDGET = "budget"
    SCOPE_SHARE = "scope_share"


@dataclass(frozen=True, slots=True)
class SpanKey:
    """The compiled key of a ``highlight`` or ``label_spans`` exercise (see module docstring)."""

    units: tuple[KeyUnit, ...]
    regions: dict[str, IntervalSet]
    related: dict[str, frozenset[str]]
    related_only: dict[str, IntervalSet]
    related_credit: Fraction
    candidates_for: dict[str, tuple[Candidate, ...]]
    all_region: IntervalSet
    all_candidates: tuple[Candidate, ...]
    clean_size: int
    foils: tuple[Foil, ...]
    labels: frozenset[str]
    guard: Guard = Guard.SCOPE_SHARE
    budget: Fraction = Fraction(1)
    """Code points of false marking that cost the whole score (``Guard.BUDGET``)."""
    justified: tuple[frozenset[str], ...] = ()
    """Per key unit, the labels of the key units overlapping it: giving one of them is no extra label."""
    contested: tuple[Contested, ...] = ()
    index: "KeyIndex | None" = None


@dataclass(frozen=True, slots=True)
class KeyIndex:
    """Lookup tables that make measuring an answer cheap (built once per compiled key).

    ``cum[label][i]`` is the number of code points of the label's key region before offset ``i``
    (a prefix sum), so a span's code points inside the region are ``cum[end] - cum[start]``;
    likewise ``cum_related`` and ``cum_all``. ``starts``/``ends``/``owners``/``margins`` list every
    acceptable boundary sorted by start, ``owners`` giving its key unit's position in ``units`` (or
    ``-1 - i`` for contested item ``i``, whose margins are tolerated too); ``positions[u]`` lists unit
    ``u``'s boundaries. ``reach[i]`` is the largest end among boundaries ``0..i``: a backward scan
    for boundaries overlapping ``[start, end)`` stops at the first ``i`` with ``reach[i] <= start``,
    since no boundary before it ends after ``start`` (one long key unit then no longer makes every
    scan walk back over its whole length).
    """

    cum: dict[str, array]
    cum_related: dict[str, array]
    cum_all: array
    starts: list[int]
    ends: list[int]
    owners: list[int]
    margins: list[IntervalSet]
    longest: int
    positions: tuple[tuple[int, ...], ...]
    reach: tuple[int, ...] = ()
    several: frozenset[int] = frozenset()
    """Positions of the key units with more than one right label (their own coverage is a union)."""

    def overlapping(self, start: int, end: int) -> list[int]:
        """Positions (in the sorted boundary lists) of the boundaries that overlap ``[start, end)``."""
        found = []
        i = bisect_left(self.starts, end) - 1
        ends, reach = self.ends, self.reach
        while i >= 0 and reach[i] > start:
            if ends[i] > start:
                found.append(i)
            i -= 1
        return found


def _prefix(size: int, intervals: IntervalSet) -> array:
    marked = bytearray(size)
    for start, end in intervals:
        marked[start:end] = b"\x01" * (end - start)
    return array("I", accumulate(marked, initial=0))


def with_index(key: SpanKey, text_length: int) -> SpanKey:
    """``key`` with its :class:`KeyIndex` built (see there) for a text of ``text_length`` code points."""
    rows = [(c.span[0], c.span[1], position, c.margins) for position, u in enumerate(key.units) for c in u.candidates]
    rows += [(c.span[0], c.span[1], -1 - i, c.margins) for i, c in enumerate(key.contested)]
    order = sorted(rows, key=lambda row: (row[0], row[1], row[2]))
    cum = {label: _prefix(text_length, region) for label, region in key.regions.items()}
    # A label whose region is the whole key region (every highlight key) shares its array with
    # ``cum_all``: ``measure`` recognises that by identity and skips a duplicate count.
    cum_all = next((cum[label] for label, region in key.regions.items() if region == key.all_region), None)
    index = KeyIndex(
        cum=cum,
        cum_related={label: _prefix(text_length, rel) for label, rel in key.related_only.items() if rel},
        cum_all=cum_all if cum_all is not None else _prefix(text_length, key.all_region),
        starts=[row[0] for row in order],
        ends=[row[1] for row in order],
        owners=[row[2] for row in order],
        margins=[row[3] for row in order],
        longest=max((row[1] - row[0] for row in order), default=0),
        positions=tuple(tuple(i for i, row in enumerate(order) if row[2] == u) for u in range(len(key.units))),
        reach=tuple(accumulate((row[1] for row in order), max)),
        several=frozenset(u for u, unit in enumerate(key.units) if len(unit.accepted) > 1),
    )
    return replace(key, index=index)


_HYPHENS = "-\u2010\u2011"


def _in_word(text: str, k: int) -> bool:
    """Letters, digits, in-word apostrophes, and a hyphen between two of those (``so-called`` is one word)."""
    char = text[k]
    if is_word_char(char):
        return True
    return char in _HYPHENS and 0 < k < len(text) - 1 and is_word_char(text[k - 1]) and is_word_char(text[k + 1])


def word_margins(text: str, span: Interval) -> IntervalSet:
    """The word just before and the word just after ``span`` (with the gap to it), within its line."""
    start, end = span
    out: list[Interval] = []
    i = start
    while i > 0 and not _in_word(text, i - 1) and text[i - 1] != "\n":
        i -= 1
    while i > 0 and _in_word(text, i - 1):
        i -= 1
    if i < start:
        out.append((i, start))
    j, n = end, len(text)
    while j < n and not _in_word(text, j) and text[j] != "\n":
        j += 1
    while j < n and _in_word(text, j):
        j += 1
    if j > end:
        out.append((end, j))
    return tuple(out)


def trimmed(text: str, span: Interval) -> Interval:
    """``span`` trimmed to words like a student's span, so edge punctuation never counts on either side."""
    return trim_to_words(text, span[0], span[1]) or span


def _candidates(text: str, spans: Iterable[Interval]) -> tuple[Candidate, ...]:
    seen: list[Interval] = []
    for span in spans:
        span = trimmed(text, span)
        if span not in seen:
            seen.append(span)
    return tuple(Candidate(span, word_margins(text, span)) for span in seen)


def _unit(text: str, label: str, items: Sequence[AnnotationItem], relation: bool = False, options: Iterable[str] = ()) -> KeyUnit:
    """Merge overlapping items of one label: the main boundary is the union of main spans, and
    each alternative of each item gives one more boundary with that item's span swapped.

    With ``relation`` (attribution exercises), the source, the cue and the content of an item with
    roles are acceptable boundaries too: an attribution is one relation, and marking any of its
    parts finds it."""
    mains = [(i.start, i.end) for i in items]
    offered = set(options)
    spans: list[Interval] = [_hull(mains)]
    for index, item in enumerate(items):
        others: list = list(item.alternatives)
        if relation and item.roles is not None:
            others += [r for r in (item.roles.source, item.roles.cue, item.roles.content) if r is not None]
        for alt in others:
            swapped = mains[:index] + [(alt.start, alt.end)] + mains[index + 1:]
            spans.append(_hull(swapped))
    return KeyUnit(
        item_ids=tuple(i.id for i in items),
        label=label,
        candidates=_candidates(text, spans),
        rationale=" ".join(i.rationale for i in items),
        accepted=frozenset({label} | {lbl for i in items for lbl in i.labels if lbl in offered}),
    )


def _hull(spans: list[Interval]) -> Interval:
    return (min(s for s, _ in spans), max(e for _, e in spans))


def _group_overlapping(items: list[AnnotationItem]) -> list[list[AnnotationItem]]:
    groups: list[list[AnnotationItem]] = []
    for item in sorted(items, key=lambda i: (i.start, i.end)):
        if groups and item.start < max(g.end for g in groups[-1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def compile_regions(
    units: Sequence[KeyUnit], contested: Sequence[Contested] = ()
) -> tuple[dict[str, IntervalSet], IntervalSet, IntervalSet]:
    """Per-label key regions, the all-label key region (contested items included: marking them
    is not false) and every tolerance margin, merged."""
    by_label: dict[str, list[Interval]] = {}
    margins: list[Interval] = []
    for unit in units:
        for candidate in unit.candidates:
            by_label.setdefault(unit.label, []).append(candidate.span)
            margins.extend(candidate.margins)
    for item in contested:
        margins.extend(item.margins)
    regions = {label: merge(spans) for label, spans in by_label.items()}
    all_region = merge([s for spans in by_label.values() for s in spans] + [c.span for c in contested])
    return regions, all_region, merge(margins)


_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s)|\n")


def sentences(text: str, span: Interval) -> list[Interval]:
    """The sentences of ``text[span]``, each trimmed to words: a sentence ends at ``.``, ``!``, ``?``
    or ``…`` (with any closing quotes or brackets) before whitespace, and at a line break."""
    start, end = span
    out: list[Interval] = []
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        piece = trim_to_words(text, begin, match.end())
        if piece:
            out.append(piece)
        begin = match.end()
    piece = trim_to_words(text, begin, end)
    if piece:
        out.append(piece)
    return out


def budget_for(key_size: int, longest_sentence: int) -> Fraction:
    """Code points of false marking that cost the whole score: the larger of ``5/4`` of the key's
    length and ``7/2`` of the scope's longest sentence (never below 1)."""
    return max(BUDGET_KEY_FACTOR * key_size, BUDGET_SENTENCE_FACTOR * longest_sentence, Fraction(1))


def _justified(units: Sequence[KeyUnit]) -> tuple[frozenset[str], ...]:
    out = []
    for unit in units:
        labels = {
            other.label
            for other in units
            if other is not unit
            and any(a.span[0] < b.span[1] and b.span[0] < a.span[1] for a in unit.candidates for b in other.candidates)
        }
        out.append(frozenset(labels))
    return tuple(out)


def scope_intervals(pack: LessonPack, scope: Iterable[str]) -> IntervalSet:
    """The code points of the exercise's scope blocks, each trimmed to words as a student's mark is."""
    text = pack.article.text
    blocks = (pack.article.block(block_id) for block_id in scope)
    return merge(trimmed(text, (b.start, b.end)) for b in blocks)


def clean_size(scope: IntervalSet, all_region: IntervalSet, all_margins: IntervalSet) -> int:
    """Scope code points that are neither key nor within one word of a key boundary."""
    return total(subtract(subtract(scope, all_region), all_margins))


def compile_span_key(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> SpanKey:
    """Compile the key of a span exercise against its pack (ids must exist: the loader checks them)."""
    text = pack.article.text
    annotation = pack.annotation
    if isinstance(exercise, HighlightExercise):
        options: tuple[str, ...] = exercise.labels
        labelled = {ANY_LABEL: [annotation.get(i) for i in exercise.key]}
        credit = Fraction(0)
    else:
        options = exercise.label_options
        labelled = {}
        for item_id in exercise.key:
            item = annotation.get(item_id)
            label = next((lbl for lbl in item.labels if lbl in options), item.labels[0])
            labelled.setdefault(label, []).append(item)
        credit = exercise.related_credit
    relation = exercise.skill == "attribution"  # an attribution is one relation: source, cue and content
    units = tuple(
        sorted(
            (_unit(text, label, group, relation, options) for label, items in labelled.items() for group in _group_overlapping(items)),
            key=lambda u: (u.candidates[0].span, u.label),
        )
    )
    contested = []
    for item_id in exercise.contested:
        item = annotation.get(item_id)
        span = trimmed(text, (item.start, item.end))
        contested.append(Contested(item_id, span, word_margins(text, span), item.contested or item.rationale))
    regions, all_region, all_margins = compile_regions(units, contested)
    scope = scope_intervals(pack, exercise.scope)
    key_size = total(merge(s for region in regions.values() for s in region))
    longest = max((b - a for piece in scope for a, b in sentences(text, piece)), default=0)
    label_groups = [ANY_LABEL] if isinstance(exercise, HighlightExercise) else list(options)
    related: dict[str, frozenset[str]] = {}
    for label in label_groups:
        if credit > 0:
            related[label] = frozenset(o for o in label_groups if pack.glossary.are_related(label, o))
        else:
            related[label] = frozenset()
    related_only = {
        label: subtract(merge(s for o in related[label] for s in regions.get(o, ())), regions.get(label, ()))
        for label in label_groups
    }
    candidates_for = {
        label: tuple(c for u in units if u.label == label or u.label in related[label] for c in u.candidates)
        for label in label_groups
    }
    foils = tuple(
        Foil(f, trimmed(text, (annotation.get(f).start, annotation.get(f).end)), annotation.get(f).feedback or annotation.get(f).rationale)
        for f in exercise.foils
    )
    key = SpanKey(
        units=units,
        regions=regions,
        related=related,
        related_only=related_only,
        related_credit=credit,
        candidates_for=candidates_for,
        all_region=all_region,
        all_candidates=tuple(c for u in units for c in u.candidates),
        clean_size=clean_size(scope, all_region, all_margins),
        foils=foils,
        labels=frozenset(options),
        guard=Guard.BUDGET,
        budget=budget_for(key_size, longest),
        justified=_justified(units),
        contested=tuple(contested),
    )
    return with_index(key, len(text))
