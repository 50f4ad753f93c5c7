"""Memoising per-exercise key structures, keyed by object identity.

Exercises and packs are immutable once loaded, so a structure compiled from them is valid for as
long as they live. Entries keep the objects they were built from, so an ``id()`` can never be reused
while its entry exists; the table is bounded and simply cleared when full. Deterministic: a cache
hit returns exactly what a fresh compilation would.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

__all__ = ["memoised", "clear"]

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


def clear() -> None:
    """Forget every compiled structure (for benchmarks measuring cold scoring)."""
    _TABLE.clear()
