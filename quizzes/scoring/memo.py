"""Memoising per-exercise key structures, keyed by object identity.

Exercises and packs are immutable once loaded, so a structure compiled from them is valid for as
long as they live. Entries keep the objects they were built from, so an ``id()`` can never be reused
while its entry exists; the table is bounded and simply cleared when full. Deterministic: a cache
hit returns exactly what a fresh compilation would.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

__all__ = ["memoised", "remembered", "clear", "clear_outcomes"]

T = TypeVar("T")
E = TypeVar("E")
P = TypeVar("P")

_MAX_ENTRIES = 4096
_TABLE: dict[tuple[str, int, int], tuple[Any, Any, Any]] = {}


def memoised(kind: str, exercise: E, pack: P, build: Callable[[E, P], T]) -> T:
    """``build(exercise, pack)``, computed once per (kind, exercise object, pack object)."""
    slot = (kind, id(exercise), id(pack))
    entry = _TABLE.get(slot)
    if entry is not None and entry[0] is exercise and entry[1] is pack:
        return entry[2]  # type: ignore[no-any-return]
    value = build(exercise, pack)
    if len(_TABLE) >= _MAX_ENTRIES:
        _TABLE.clear()
    _TABLE[slot] = (exercise, pack, value)
    return value


_MAX_OUTCOMES = 8192  # a class's answers to a quiz; an outcome with feedback is a few kB
_OUTCOMES: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}


def remembered(kind: str, exercise: E, pack: P, answer: Any, compute: Callable[[], T]) -> T:
    """``compute()``, remembered per (kind, exercise object, pack object, hashable ``answer``).

    For outcomes: scoring is a pure function of its inputs and outcomes are immutable, so an answer
    seen before (students' answers repeat, more so once trimmed to words) gets the same object back.
    """
    slot = (kind, id(exercise), id(pack), answer)
    entry = _OUTCOMES.get(slot)
    if entry is not None and entry[0] is exercise and entry[1] is pack:
        return entry[2]  # type: ignore[no-any-return]
    value = compute()
    if len(_OUTCOMES) >= _MAX_OUTCOMES:
        _OUTCOMES.clear()
    _OUTCOMES[slot] = (exercise, pack, value)
    return value


def clear_outcomes() -> None:
    """Forget every remembered outcome (for benchmarks measuring scoring of new answers)."""
    _OUTCOMES.clear()


def clear() -> None:
    """Forget every compiled structure and remembered outcome (for benchmarks measuring cold scoring)."""
    _TABLE.clear()
    _OUTCOMES.clear()
