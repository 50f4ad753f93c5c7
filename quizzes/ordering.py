"""The order in which a student sees the options of one exercise (pure: the draw itself is made in ``api``).

``single_choice`` and ``multi_choice`` options, and the right-hand column of ``match``, are shown in
an order drawn once per attempt; the left column of ``match`` and every other type keep the file's
order. An order is a tuple of ids (option ids, or right-item ids), a permutation of the exercise's
ids in which every ``pinned`` item sits at its place in the file. Scoring never looks at it: an
answer names ids, so the same choice scores the same in any order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from quizzes.exercises import ChoiceOption, Exercise, MatchExercise, MatchItem, MultiChoiceExercise, SingleChoiceExercise

__all__ = ["OptionOrder", "orderable_items", "movable_ids", "arrange", "draw_order", "in_order", "position_of"]

OptionOrder = tuple[str, ...]
"""Ids of an exercise's options (or right items), in the order they are shown."""

Item = TypeVar("Item", ChoiceOption, MatchItem)


def orderable_items(exercise: Exercise) -> tuple[ChoiceOption, ...] | tuple[MatchItem, ...] | None:
    """The items whose order is drawn per attempt, in file order; ``None`` for types that keep one order."""
    match exercise:
        case SingleChoiceExercise() | MultiChoiceExercise():
            return exercise.options
        case MatchExercise():
            return exercise.right
        case _:
            return None


def movable_ids(exercise: Exercise) -> list[str]:
    """Ids of the items that may move (not pinned), in file order; empty when nothing moves."""
    items = orderable_items(exercise) or ()
    return [i.id for i in items if not i.pinned]


def arrange(exercise: Exercise, moved: Sequence[str]) -> OptionOrder:
    """Put the pinned items at their file places and ``moved`` (a permutation of :func:`movable_ids`) in the rest.

    Raises ``ValueError`` when ``moved`` is not such a permutation.
    """
    items = orderable_items(exercise) or ()
    if sorted(moved) != sorted(movable_ids(exercise)):
        raise ValueError(f"{exercise.id}: {list(moved)} is not an order of the unpinned items {movable_ids(exercise)}")
    rest = iter(moved)
    return tuple(i.id if i.pinned else next(rest) for i in items)


def draw_order(exercise: Exercise, shuffle: Callable[[list[str]], None]) -> OptionOrder | None:
    """An order for ``exercise`` drawn with ``shuffle`` (an in-place shuffle such as ``random.shuffle``).

    The caller supplies the randomness, so this module stays deterministic; ``None`` for types whose
    order is fixed.
    """
    if orderable_items(exercise) is None:
        return None
    moved = movable_ids(exercise)
    shuffle(moved)
    return arrange(exercise, moved)


def in_order(items: Sequence[Item], order: Sequence[str] | None) -> list[Item]:
    """``items`` in ``order``; without one, the file order.

    Tolerant of an order stored before the exercise was edited: ids no longer present are dropped
    and items the order does not name follow in file order, so a stored attempt always shows every
    current option exactly once.
    """
    if not order:
        return list(items)
    by_id = {i.id: i for i in items}
    named = [by_id[i] for i in dict.fromkeys(order) if i in by_id]
    seen = {i.id for i in named}
    return named + [i for i in items if i.id not in seen]


def position_of(order: Sequence[str] | None) -> Mapping[str, int]:
    """Each id's place in ``order`` (for sorting feedback the way the student saw the options)."""
    return {item_id: k for k, item_id in enumerate(order or ())}
