"""A slow, literal implementation of the span measures, kept as the oracle for the fast one.

It follows the definitions of docs/scoring.md with whole interval sets (merge, intersect, subtract)
and no precomputation; ``tests/quizzes/scoring/test_measure_oracle.py`` checks that
``quizzes.scoring.measure.measure`` agrees with it on random answers and keys.
"""

from __future__ import annotations

from fractions import Fraction

from quizzes.scoring.intervals import IntervalSet, intersect, intersect_length, merge, overlaps_any, subtract, total
from quizzes.scoring.keys import Guard, SpanKey
from quizzes.scoring.measure import SpanMeasure, UnitResult

__all__ = ["measure", "free_share"]

_ZERO = Fraction(0)
_ONE = Fraction(1)


def _precision(key: SpanKey, marks: dict[str, IntervalSet]) -> Fraction:
    exact = related = denominator = 0
    for label, spans in marks.items():
        region = key.regions.get(label, ())
        rel = key.related_only.get(label, ())
        candidates = key.candidates_for.get(label, ())
        for s in spans:
            start, end = s
            exact += intersect_length(s, region)
            if rel:
                related += intersect_length(s, rel)
            margins = [m for c in candidates if c.span[0] < end and start < c.span[1] for m in c.margins]
            tolerated = 0
            if margins:
                inside = intersect((s,), merge(margins))
                tolerated = total(subtract(subtract(inside, region), rel))
            denominator += end - start - tolerated
    if denominator == 0:
        return _ZERO
    if related:
        return (exact + key.related_credit * related) / denominator
    return Fraction(exact, denominator)


def _units(key: SpanKey, marks: dict[str, IntervalSet], union: IntervalSet) -> tuple[UnitResult, ...]:
    credit = key.related_credit
    results = []
    for unit in key.units:
        right = unit.accepted | {unit.label}
        own = merge(s for lbl in right for s in marks.get(lbl, ()))
        others: IntervalSet = ()
        if credit and key.related.get(unit.label):
            others = subtract(merge(s for lbl in key.related[unit.label] for s in marks.get(lbl, ())), own)
        best = _ZERO
        best_num, best_den = 0, 1
        for candidate in unit.candidates:
            span = candidate.span
            length = span[1] - span[0]
            covered = intersect_length(span, own)
            if others:
                value = (covered + credit * intersect_length(span, others)) / length
                if value > best:
                    best = value
            elif covered * best_den > best_num * length:
                best_num, best_den = covered, length
        if not others:
            best = Fraction(best_num, best_den)
        hit = any(overlaps_any(c.span, union) for c in unit.candidates)
        same = hit and any(overlaps_any(c.span, own) for c in unit.candidates)
        given = tuple(
            sorted(lbl for lbl, spans in marks.items() if any(overlaps_any(c.span, spans) for c in unit.candidates))
        )
        # the place's credit is shared among the labels marking at least half of one of its
        # boundaries, other overlapping units' labels aside
        if len(marks) > 1 and key.justified:
            position = key.units.index(unit)
            counted = {
                lbl
                for lbl in set(given) - (key.justified[position] - right)
                if any(2 * intersect_length(c.span, marks[lbl]) >= c.span[1] - c.span[0] for c in unit.candidates)
            }
            divisor = len(counted - right) + (1 if counted & right else 0)
            if divisor > 1:
                best /= divisor
        results.append(UnitResult(unit, best, hit, same, given))
    return tuple(results)


def _false_chars(key: SpanKey, union: IntervalSet) -> int:
    """Marked code points outside every key and contested span, less the tolerance margins."""
    false_chars = 0
    for component in union:  # each mark is tolerated only around the key or contested spans it overlaps
        touched = merge(
            m
            for c in (*key.all_candidates, *key.contested)
            if overlaps_any(c.span, (component,))
            for m in c.margins
        )
        false_chars += total(subtract(subtract((component,), key.all_region), touched))
    return false_chars


def free_share(key: SpanKey, union: IntervalSet, clean: int) -> Fraction:
    """Share (0..1) of the ``clean`` technique-free scope code points that the marks ``union`` cover.

    Marked code points outside every key region count, except those within one word of a boundary
    of a key span the marks overlap (the tolerance margins); marks outside the scope count too.
    """
    false_chars = _false_chars(key, union)
    if false_chars == 0:
        return _ZERO
    if clean == 0 or false_chars >= clean:
        return _ONE
    return Fraction(false_chars, clean)


def measure(key: SpanKey, marks: dict[str, IntervalSet], clean_size: int | None = None) -> SpanMeasure:
    """Measure merged student ``marks`` (label -> merged intervals) against ``key`` (see module doc).

    ``clean_size`` overrides ``key.clean_size`` (the technique-free code points of the scope).
    """
    marks = {label: spans for label, spans in marks.items() if spans}
    union = merge(s for spans in marks.values() for s in spans)
    precision = _precision(key, marks)
    units = _units(key, marks, union)
    recall = sum((u.coverage for u in units), _ZERO) / len(units) if units else _ZERO
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else _ZERO
    free = free_share(key, union, key.clean_size if clean_size is None else clean_size)
    if key.guard is Guard.BUDGET:
        penalty = min(_ONE, _false_chars(key, union) / key.budget)
        ratio = recall * (1 - penalty)
    else:
        penalty = free
        ratio = f1 * (1 - free)
    false_alarms = tuple(s for s in union if not overlaps_any(s, key.all_region))
    # A foil counts as marked when a mark touches it outside every key span, even inside one long
    # mark that also covers keys (flagging everything marks every foil); a foil lying wholly inside
    # a key span cannot be told apart from it and never counts.
    foils = tuple(f for f in key.foils if intersect(subtract((f.span,), key.all_region), union))
    return SpanMeasure(
        precision=precision,
        recall=recall,
        f1=f1,
        free_share=free,
        ratio=ratio,
        units=units,
        false_alarms=false_alarms,
        foils_marked=foils,
        penalty=penalty,
        contested_marked=tuple(c for c in key.contested if overlaps_any(c.span, union)),
    )
