"""Stored answers follow the renamed option ids of the shipped pack's choice and match exercises.

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-02

The option ids of ten ``single_choice`` and ``multi_choice`` exercises of ``central-asia-2022``
gave the answer away (the correct option was ``a`` in most single choices, the correct options of a
multiple choice came first in the alphabet; in the match att-08 row ``l1`` went with ``r1``, ``l2``
with ``r2`` …), and students see the ids in the page. The pack now has other ids for the same
options (and right items); this revision renames the ids an answer names in what is stored:

- ``answers.response``: ``"choice"`` (single), ``"choices"`` (multi) and the right items of
  ``"pairs"`` (match; the left ids keep theirs);
- ``answers.outcome``: the option ids in ``parts[].id`` and ``feedback[].item_id``, so a stored
  outcome stays the one scoring the renamed answer gives (nothing else in it names an option);
- ``attempts.option_orders``: the order each attempt showed the options (or right items) in
  (revision 0002). A match outcome names only left ids, so it stays as it is.

The mapping is written out here: a migration must not depend on the pack as it is today.
Values that are not the old ids are left alone: an id outside the exercise's old ids (it scored
``invalid`` and still does), and every answer of an attempt whose stored option order is not a
permutation of the old ids (that attempt saw some other version of the exercise). Each rename is
a permutation of the exercise's own ids, so the data cannot tell old from new: the revision must
run once, which Alembic's version table ensures.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_IDS: dict[str, frozenset[str]] = {
    "att-01": frozenset("abcd"),
    "att-07": frozenset("abcdef"),
    "att-13": frozenset("abcd"),
    "att-17": frozenset("abcd"),
    "att-21": frozenset("abcdefg"),
    "frm-11": frozenset("abcd"),
    "frm-12": frozenset("abcdef"),
    "frm-22": frozenset("abcd"),
    "fun-08": frozenset("abcd"),
    "fun-16": frozenset("abcd"),
    "att-08": frozenset(f"r{k}" for k in range(1, 8)),
}
"""Every option (or right-item) id each renamed exercise had before (and, renamed, still has)."""

RENAMED: dict[str, dict[str, str]] = {
    "att-01": {"a": "d", "d": "a"},
    "att-07": {"a": "e", "e": "a"},
    "att-13": {"a": "b", "b": "a"},
    "att-17": {"a": "c", "c": "a"},
    "att-21": {"a": "g", "g": "a"},
    "frm-11": {"a": "d", "d": "a"},
    "frm-12": {"b": "e", "e": "b"},
    "frm-22": {"a": "b", "b": "a"},
    "fun-08": {"a": "b", "b": "a"},
    "fun-16": {"a": "d", "d": "a"},
    "att-08": {"r1": "r4", "r2": "r5", "r3": "r1", "r4": "r6", "r5": "r2", "r6": "r7", "r7": "r3"},
}
"""Old option (or right-item) id -> new id; ids not listed kept theirs."""

_answers = sa.table(
    "answers", sa.column("id", sa.Integer), sa.column("attempt_id", sa.Integer), sa.column("exercise_id", sa.String),
    sa.column("response", sa.JSON), sa.column("outcome", sa.JSON),
)
_attempts = sa.table("attempts", sa.column("id", sa.Integer), sa.column("option_orders", sa.JSON))


def _renamer(exercise_id: str, forward: bool) -> dict[str, str]:
    mapping = RENAMED[exercise_id]
    return mapping if forward else {new: old for old, new in mapping.items()}


def _rename_id(value: Any, mapping: dict[str, str]) -> Any:
    return mapping.get(value, value) if isinstance(value, str) else value


def _renamed_response(response: dict[str, Any] | None, mapping: dict[str, str]) -> dict[str, Any] | None:
    if not isinstance(response, dict):
        return response
    renamed = dict(response)
    if "choice" in renamed:
        renamed["choice"] = _rename_id(renamed["choice"], mapping)
    if isinstance(renamed.get("choices"), list):
        renamed["choices"] = [_rename_id(c, mapping) for c in renamed["choices"]]
    if isinstance(renamed.get("pairs"), dict):
        renamed["pairs"] = {left: _rename_id(right, mapping) for left, right in renamed["pairs"].items()}
    return renamed


def _renamed_outcome(outcome: dict[str, Any] | None, mapping: dict[str, str]) -> dict[str, Any] | None:
    if not isinstance(outcome, dict):
        return outcome
    renamed = dict(outcome)
    if isinstance(renamed.get("parts"), list):
        renamed["parts"] = [{**p, "id": _rename_id(p.get("id"), mapping)} if isinstance(p, dict) else p for p in renamed["parts"]]
    if isinstance(renamed.get("feedback"), list):
        renamed["feedback"] = [
            {**f, "item_id": _rename_id(f["item_id"], mapping)} if isinstance(f, dict) and f.get("item_id") is not None else f
            for f in renamed["feedback"]
        ]
    return renamed


def _rename(forward: bool) -> None:
    """Rename every stored id of the listed exercises, old to new (``forward``) or back."""
    bind = op.get_bind()
    foreign: set[tuple[int, str]] = set()  # (attempt, exercise) whose stored order is some other exercise's
    for attempt_id, orders in bind.execute(sa.select(_attempts.c.id, _attempts.c.option_orders)).all():
        if not isinstance(orders, dict) or not orders.keys() & RENAMED.keys():
            continue
        renamed = dict(orders)
        for exercise_id in orders.keys() & RENAMED.keys():
            order = orders[exercise_id]
            if not isinstance(order, list) or len(order) != len(OLD_IDS[exercise_id]) or set(order) != OLD_IDS[exercise_id]:
                foreign.add((attempt_id, exercise_id))
                continue
            renamed[exercise_id] = [_rename_id(i, _renamer(exercise_id, forward)) for i in order]
        if renamed != orders:
            bind.execute(_attempts.update().where(_attempts.c.id == attempt_id).values(option_orders=renamed))
    rows = bind.execute(
        sa.select(_answers.c.id, _answers.c.attempt_id, _answers.c.exercise_id, _answers.c.response, _answers.c.outcome)
        .where(_answers.c.exercise_id.in_(sorted(RENAMED)))
    ).all()
    for answer_id, attempt_id, exercise_id, response, outcome in rows:
        if (attempt_id, exercise_id) in foreign:
            continue
        mapping = _renamer(exercise_id, forward)
        new_response, new_outcome = _renamed_response(response, mapping), _renamed_outcome(outcome, mapping)
        if (new_response, new_outcome) != (response, outcome):
            bind.execute(_answers.update().where(_answers.c.id == answer_id).values(response=new_response, outcome=new_outcome))


def upgrade() -> None:
    _rename(forward=True)


def downgrade() -> None:
    _rename(forward=False)
