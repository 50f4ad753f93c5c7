r"""Span recall (SemEval-2020 Task 11) less a false-marking budget, with a one-word tolerance.

Notation: ``S_l`` is the student's spans of label ``l`` (word-trimmed, overlapping ones merged),
``K_l`` the key region of label ``l`` (every acceptable boundary of every key unit of that label,
merged), ``|x|`` a length in code points. ``rc`` is the exercise's ``related_credit`` (0 for
``highlight``), ``Rel_l`` the key region of the labels related to ``l`` minus ``K_l``. A unit's
*right labels* are its label and its items' other labels the exercise offers.

Recall (per key unit, as SemEval-2020 normalises by key-span length)::

    R = mean over key units u of  max over boundaries c of u of
        ( |c & S_right(u)| + rc * |c & (S_related(u) - S_right(u))| ) / |c|  /  k(u)

so the best-matching acceptable boundary counts and each key unit weighs the same however long.
``k(u)`` is the number of labels marking at least half of one of ``u``'s boundaries, the right
labels counted once and the labels of overlapping key units not at all (1 when only right labels
are given): one place labelled with every label earns a share of it.

False marking: ``false`` is the marked code points outside every key and contested region, less
those within one word of a boundary of a key span (or contested item) that the same mark
overlaps. With ``Guard.BUDGET`` (``highlight``, ``label_spans``)::

    ratio = R * (1 - min(1, false / budget)),   budget = max(5/4 |K|, 7/2 * longest sentence)

so one extra sentence costs at most 2/7 and marking the whole scope costs all of it wherever the
scope's technique-free text is at least 4/5 of the budget (``medialit lint`` enforces it). With
``Guard.SCOPE_SHARE`` (the one-span roles of ``attribution_roles``)::

    ratio = F1 * (1 - free),   free = min(1, false / technique-free code points of the scope)

Precision is reported as SemEval defines it, length-weighted over student spans (``tol(s)``: the
tolerated code points of ``s``)::

    P = sum_l sum_{s in S_l} ( |s & K_l| + rc * |s & Rel_l| )  /  sum_l sum_{s in S_l} ( |s| - tol(s) )

and ``F1 = 2PR / (P + R)`` (0 when both are 0); weighting by length keeps "a false mark never
raises precision" true when it merges into a good one.

Implementation: exact integer counts from prefix sums and a sorted boundary index
(:class:`~quizzes.scoring.keys.KeyIndex`); every measure is one fraction of two integers.
``tests/quizzes/scoring/reference_measure.py`` is a literal interval-set implementation of the same
definitions, and a property test keeps the two in agreement.
"""

from __future__ import annotations

from bisect import bisect_left
from fractions import Fraction
from typing import NamedTuple, assert_never

from quizzes.scoring.intervals import Interval, IntervalSet, merge
from quizzes.scoring.keys import Contested, Foil, Guard, KeyIndex, KeyUnit, SpanKey
from quizzes.scoring.memo import memoised

__all__ = ["NOTHING_COVERED", "ALL_COVERED", "UnitResult", "SpanMeasure", "measure", "free_share"]

_ZERO = Fraction(0)
_ONE = Fraction(1)

NOTHING_COVERED = Fraction(0)
"""The coverage of a unit none of whose characters were found: :func:`measure` gives this very
object, so a caller may test identity as a shortcut (an equal fraction must mean the same)."""
ALL_COVERED = Fraction(1)
"""The coverage of a unit found whole: this very object (see :data:`NOTHING_COVERED`)."""


class UnitResult(NamedTuple):
    """How one key unit fared: best coverage (0..1), whether any mark touched it, and with which labels.

    A named tuple rather than a frozen dataclass: one is built per key unit of every answer, and a
    frozen dataclass's ``__init__`` costs several times as much (one ``object.__setattr__`` a field).
    """

    unit: KeyUnit
    coverage: Fraction
    hit: bool
    same_label: bool
    labels_given: tuple[str, ...]


class SpanMeasure(NamedTuple):
    """All measures of one span answer against one compiled key (all fractions lie in [0, 1]).

    A named tuple for the reason :class:`UnitResult` is one: one is built per answer.
    """

    precision: Fraction
    recall: Fraction
    f1: Fraction
    free_share: Fraction
    ratio: Fraction
    units: tuple[UnitResult, ...]
    false_alarms: tuple[Interval, ...]
    foils_marked: tuple[Foil, ...]
    penalty: Fraction = Fraction(0)
    """What marking text the key leaves alone cost: ``false / budget`` (capped at 1) or the free share."""
    contested_marked: tuple[Contested, ...] = ()


def _tolerated(margins, start: int, end: int, cum, extra=None, merged: bool = False) -> int:
    """Code points of ``[start, end)`` inside the ``margins`` (merged first unless ``merged``) but
    outside the region(s) of ``cum`` (and ``extra``)."""
    if not margins:
        return 0
    count = 0
    for x, y in margins if merged or len(margins) == 1 else merge(margins):
        if x < start:
            x = start
        if y > end:
            y = end
        if x < y:
            count += y - x
            if cum is not None:
                count -= cum[y] - cum[x]
            if extra is not None:
                count -= extra[y] - extra[x]
    return count


def _false_chars(index: KeyIndex, start: int, end: int) -> int:
    """Marked code points of one merged mark outside every key region and its tolerance margins."""
    cum_all = index.cum_all
    # Margins clipped to the mark first (as in ``measure``): most lie outside it, so the few
    # pieces left rarely need merging.
    pieces: list[Interval] = []
    for pos in index.overlapping(start, end):
        for x, y in index.margins[pos]:
            if x < start:
                x = start
            if y > end:
                y = end
            if x < y:
                pieces.append((x, y))
    tolerated = _tolerated(pieces, start, end, cum_all, merged=len(pieces) < 2)
    return end - start - (cum_all[end] - cum_all[start]) - tolerated


def _share(false_chars: int, clean: int) -> tuple[int, int]:
    if false_chars == 0:
        return 0, 1
    if clean == 0 or false_chars >= clean:
        return 1, 1
    return false_chars, clean


def free_share(key: SpanKey, union: IntervalSet, clean: int) -> Fraction:
    """Share (0..1) of the ``clean`` technique-free scope code points that the merged marks cover.

    A marked code point counts unless it lies in a key region or within one word of a boundary of a
    key span that the same mark overlaps (the tolerance margins); marks outside the scope count too.
    """
    assert key.index is not None
    numerator, denominator = _share(sum(_false_chars(key.index, a, b) for a, b in union), clean)
    return Fraction(numerator, denominator)


def measure(key: SpanKey, marks: dict[str, IntervalSet]) -> SpanMeasure:
    """Measure merged student ``marks`` (label -> merged intervals) against ``key`` (see module doc)."""
    index = key.index
    assert index is not None, "compile keys with keys.with_index"
    marks = {label: spans for label, spans in marks.items() if spans}
    units = key.units
    starts, ends, owners, margins = index.starts, index.ends, index.owners, index.margins
    credit = key.related_credit
    credit_n, credit_d = credit.numerator, credit.denominator
    own = [0] * len(starts)
    own_clips: dict[int, list[Interval]] = {}
    rel_clips: dict[int, list[Interval]] = {}
    hit = [False] * len(units)
    same = [False] * len(units)
    given: list[set[str] | None] = [None] * len(units)
    exact = related = denominator = 0
    single = len(marks) == 1  # then the marks of that label are the union: count false chars on the way
    cum_all = index.cum_all
    reach = index.reach
    false_chars = 0
    false_alarms: list[Interval] = []
    contested_hit: set[int] = set()
    cover: dict[int, dict[str, int]] = {}  # boundary position -> label -> code points marked with it
    # With several labels, a mark's false chars (a function of its bounds alone, see ``_false_chars``)
    # are counted on the way too, and reused for every mark of the union that is one mark unchanged
    false_of: dict[Interval, int] = {}
    # units with more than one right label: marks of two of them may overlap, so their own coverage is a union
    several = index.several if not single else frozenset()
    for label, spans in marks.items():
        cum = index.cum.get(label)
        cum_rel = index.cum_related.get(label)
        related_labels = key.related.get(label, frozenset()) if credit_n else frozenset()
        # When this label's region is the whole key region (``with_index`` then shares one prefix-sum
        # array) and a mark overlaps only this label's boundaries, the precision tolerance equals the
        # false-chars tolerance: count it once (the common highlight case; the oracle test pins it).
        shares_region = single and cum is cum_all and cum_rel is None
        for a, b in spans:
            if cum is not None:
                exact += cum[b] - cum[a]
            if cum_rel is not None:
                related += cum_rel[b] - cum_rel[a]
            # index.overlapping(a, b), inlined: this loop runs for every mark of every answer
            found = []
            i = bisect_left(starts, b) - 1
            while i >= 0 and reach[i] > a:
                if ends[i] > a:
                    found.append(i)
                i -= 1
            if not found:  # no tolerance margins apply
                denominator += b - a
                inside_all = cum_all[b] - cum_all[a]
                if single:
                    false_chars += b - a - inside_all
                    if inside_all == 0:
                        false_alarms.append((a, b))
                else:
                    false_of[(a, b)] = b - a - inside_all
                continue
            # Margins count only where they lie inside the mark, so they are clipped to it first: a
            # mark on a key boundary usually leaves no piece, and the pieces rarely need merging.
            everywhere: list[Interval] = []  # clipped margins of every boundary found
            tolerance: list[Interval] = []  # those of boundaries of this label or a related one
            tolerant = 0  # boundaries of this label or a related one
            for pos in found:
                u = owners[pos]
                if u < 0:  # a contested item: neither key nor false, its margins tolerated
                    contested_hit.add(-1 - u)
                    for start, end in margins[pos]:
                        if start < a:
                            start = a
                        if end > b:
                            end = b
                        if start < end:
                            everywhere.append((start, end))
                    continue
                hit[u] = True
                if not single:  # with one label, every hit unit was given just that one
                    labels = given[u]
                    if labels is None:
                        given[u] = {label}
                    else:
                        labels.add(label)
                unit_label = units[u].label
                x = a if a > starts[pos] else starts[pos]
                y = b if b < ends[pos] else ends[pos]
                if not single:
                    per_label = cover.setdefault(pos, {})
                    per_label[label] = per_label.get(label, 0) + y - x
                counts_here = True  # its margins count in this mark's precision tolerance
                if unit_label == label or label in units[u].accepted:
                    own[pos] += y - x
                    same[u] = True
                    if credit_n or u in several:
                        own_clips.setdefault(pos, []).append((x, y))
                elif unit_label in related_labels:
                    rel_clips.setdefault(pos, []).append((x, y))
                else:
                    counts_here = False
                if counts_here:
                    tolerant += 1
                for start, end in margins[pos]:
                    if start < a:
                        start = a
                    if end > b:
                        end = b
                    if start < end:
                        everywhere.append((start, end))
                        if counts_here:
                            tolerance.append((start, end))
            tolerated_all = _tolerated(everywhere, a, b, cum_all, merged=len(everywhere) < 2)
            if single:
                false_chars += b - a - (cum_all[b] - cum_all[a]) - tolerated_all
                if shares_region and tolerant == len(found):
                    denominator += b - a - tolerated_all
                    continue
            else:
                false_of[(a, b)] = b - a - (cum_all[b] - cum_all[a]) - tolerated_all
            denominator += b - a - _tolerated(tolerance, a, b, cum, cum_rel, merged=len(tolerance) < 2)
    # precision as p_num / p_den
    if denominator == 0:
        p_num, p_den = 0, 1
    else:
        p_num, p_den = exact * credit_d + credit_n * related, denominator * credit_d
    # recall: mean over units of the best boundary's coverage; fully covered units add 1 exactly
    results = []
    only_label = tuple(marks) if single else ()
    whole = 0
    r_num, r_den = 0, 1
    missed, plan = memoised("measure-plan", key, None, _plan)
    justified = not single and key.justified
    for u, unit in enumerate(units):
        if not hit[u]:
            results.append(missed[u])
            continue
        best_n, best_d = 0, 1
        boundaries, right, others = plan[u]
        for pos, length in boundaries:
            own_here = own[pos] if u not in several else sum(b - a for a, b in merge(own_clips.get(pos, ())))
            if credit_n and pos in rel_clips:
                extra = _outside(merge(rel_clips[pos]), merge(own_clips.get(pos, ())))
                n, d = own_here * credit_d + credit_n * extra, length * credit_d
            else:
                n, d = own_here, length
            if n * best_d > best_n * d:
                best_n, best_d = n, d
        if justified:
            # The credit is divided among the labels that mark at least half of this place (a label
            # of an overlapping key unit is no extra label here; a word of overshoot from a
            # neighbouring mark is not a label given): one place labelled with every label earns a share.
            wrong = 0  # counted labels that are not right
            any_right = False
            for label in given[u] or ():
                if label in others:
                    continue
                for pos, length in boundaries:
                    per_label = cover.get(pos)
                    if per_label is not None and 2 * per_label.get(label, 0) >= length:
                        if label in right:
                            any_right = True
                        else:
                            wrong += 1
                        break
            divisor = wrong + (1 if any_right else 0)  # the right labels count once
            if divisor > 1:
                best_d *= divisor
        if best_n == best_d:
            coverage = ALL_COVERED
            whole += 1
        elif best_n == 0:
            coverage = NOTHING_COVERED
        else:
            coverage = Fraction(best_n, best_d)
            r_num, r_den = r_num * coverage.denominator + coverage.numerator * r_den, r_den * coverage.denominator
        labels_given = only_label if single else tuple(sorted(given[u] or ()))
        results.append(UnitResult(unit, coverage, True, same[u], labels_given))
    if units:
        r_num, r_den = r_num + whole * r_den, r_den * len(units)
    else:
        r_num, r_den = 0, 1
    # marks as one set, for the flag-everything guard, false alarms and foils
    if single:
        union = next(iter(marks.values()))
    else:
        union = merge([s for spans in marks.values() for s in spans])
        for a, b in union:
            counted = false_of.get((a, b))
            false_chars += _false_chars(index, a, b) if counted is None else counted
            if cum_all[b] == cum_all[a]:
                false_alarms.append((a, b))
    free_n, free_d = _share(false_chars, key.clean_size)
    foils = tuple(f for f in key.foils if _touches_outside_keys(f.span, union, cum_all))
    # F1 = 2PR / (P + R), each one fraction of integers; every measure below is formed from integer
    # numerators and denominators and made a Fraction once (Fraction arithmetic is slow Python)
    f1_den = p_num * r_den + r_num * p_den
    f1 = _ZERO if f1_den == 0 else Fraction(2 * p_num * r_num, f1_den)
    recall = Fraction(r_num, r_den)
    match key.guard:
        case Guard.BUDGET:
            # penalty = false / budget (capped at 1), ratio = recall * (1 - penalty)
            budget_n, budget_d = key.budget.numerator, key.budget.denominator
            false_n = false_chars * budget_d
            if false_n >= budget_n:
                penalty, ratio = _ONE, _ZERO
            elif false_chars == 0:
                penalty, ratio = _ZERO, recall
            else:
                penalty = Fraction(false_n, budget_n)
                ratio = Fraction(r_num * (budget_n - false_n), r_den * budget_n)
        case Guard.SCOPE_SHARE:
            penalty = Fraction(free_n, free_d)
            ratio = Fraction(f1.numerator * (free_d - free_n), f1.denominator * free_d) if free_n else f1
        case _:
            assert_never(key.guard)
    return SpanMeasure(
        precision=Fraction(p_num, p_den),
        recall=recall,
        f1=f1,
        free_share=Fraction(free_n, free_d),
        ratio=ratio,
        units=tuple(results),
        false_alarms=tuple(false_alarms),
        foils_marked=foils,
        penalty=penalty,
        contested_marked=tuple(key.contested[i] for i in sorted(contested_hit)),
    )


def _plan(key: SpanKey, _none: None) -> tuple[tuple[UnitResult, ...], tuple[tuple[tuple[tuple[int, int], ...], frozenset[str], frozenset[str]], ...]]:
    """Per key unit, compiled once per key: its result when no mark touches it (immutable, so shared
    by every answer), and for the recall loop its boundaries as ``(position, length)`` pairs, its
    right labels and the labels of the key units overlapping it that are not right."""
    assert key.index is not None
    index = key.index
    missed = tuple(UnitResult(unit, NOTHING_COVERED, False, False, ()) for unit in key.units)
    plan = []
    for u, unit in enumerate(key.units):
        right = unit.accepted | {unit.label}
        others = key.justified[u] - right if key.justified else frozenset()
        boundaries = tuple((pos, index.ends[pos] - index.starts[pos]) for pos in index.positions[u])
        plan.append((boundaries, right, others))
    return missed, tuple(plan)


def _outside(a: IntervalSet, b: IntervalSet) -> int:
    """Code points of merged set ``a`` outside merged set ``b``."""
    count = 0
    for start, end in a:
        count += end - start
        for x, y in b:
            if x < end and start < y:
                count -= min(end, y) - max(start, x)
    return count


def _touches_outside_keys(span: Interval, union: IntervalSet, cum_all) -> bool:
    """Whether a merged mark covers a code point of ``span`` that lies outside every key region."""
    start, end = span
    for a, b in union:
        if b <= start:
            continue
        if a >= end:  # the union is sorted: no later mark reaches the span
            return False
        x, y = max(a, start), min(b, end)
        if (y - x) - (cum_all[y] - cum_all[x]) > 0:
            return True
    return False
