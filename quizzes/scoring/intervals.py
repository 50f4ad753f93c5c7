"""Integer interval arithmetic over code-point offsets: the measuring tape of span scoring.

An interval is a ``(start, end)`` pair of ints, half-open ``[start, end)``, ``start < end``.
A *set* of intervals is a sorted tuple of disjoint, non-touching intervals (the output of
:func:`merge`). Everything here is pure integer work so that span scoring stays fast; fractions
are formed only once the character counts are known.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["Interval", "IntervalSet", "merge", "total", "intersect_length", "intersect", "subtract", "overlaps_any"]

Interval = tuple[int, int]
IntervalSet = tuple[Interval, ...]


def merge(intervals: Iterable[Interval]) -> IntervalSet:
    """Sort and merge overlapping or touching intervals; idempotent (``merge(merge(x)) == merge(x)``)."""
    if type(intervals) is list and len(intervals) == 1:  # the common case of one mark per label
        start, end = intervals[0]
        return ((start, end),)
    ordered = sorted(intervals)
    if not ordered:
        return ()
    merged: list[Interval] = []
    cur_start, cur_end = ordered[0]
    for start, end in ordered[1:]:
        if start <= cur_end:
            if end > cur_end:
                cur_end = end
        else:
            merged.append((cur_start, cur_end))
            cur_start, cur_end = start, end
    merged.append((cur_start, cur_end))
    return tuple(merged)


def total(intervals: IntervalSet) -> int:
    """Number of code points covered by a merged interval set."""
    return sum(end - start for start, end in intervals)


def intersect_length(span: Interval, intervals: IntervalSet) -> int:
    """Code points of ``span`` covered by the merged set ``intervals``."""
    start, end = span
    covered = 0
    for other_start, other_end in intervals:
        if other_start >= end:
            break
        if other_end > start:
            covered += min(end, other_end) - max(start, other_start)
    return covered


def intersect(a: IntervalSet, b: IntervalSet) -> IntervalSet:
    """The intersection of two merged sets, merged."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract(a: IntervalSet, b: IntervalSet) -> IntervalSet:
    """The code points of merged set ``a`` that are not in merged set ``b``."""
    out: list[Interval] = []
    j = 0
    for start, end in a:
        cursor = start
        while j < len(b) and b[j][1] <= cursor:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                out.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            if cursor >= end:
                break
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return tuple(out)


def overlaps_any(span: Interval, intervals: IntervalSet) -> bool:
    """Whether ``span`` shares at least one code point with the merged set ``intervals``."""
    start, end = span
    for other_start, other_end in intervals:
        if other_start >= end:
            return False
        if other_end > start:
            return True
    return False
