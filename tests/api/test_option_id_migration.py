"""Revision 0006: answers stored with the old option (and right-item) ids of the shipped pack score as before.

A database is made at revision 0002 and filled with answers in the old ids, each stored with the
outcome the old exercise gave it; after the upgrade every answer, re-scored on today's pack, gets
the outcome it had (and the stored outcome is that outcome), and every stored option order shows
the same option texts. Values from another version of an exercise stay as they were, and the
downgrade gives back the database as it was.
"""

from __future__ import annotations

import ast
import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import api
from api.store.attempts import score_stored
from api.store.db import make_engine, migrate
from lesson.loading import shipped_packs_dir
from quizzes.exercises import Exercise, MatchExercise, MultiChoiceExercise, SingleChoiceExercise
from quizzes.loading import DEFAULT_PACK, Bank, load_bank

MIGRATIONS = Path(api.__file__).parent / "migrations"
REVISION = MIGRATIONS / "versions" / "0006_option_ids.py"

OLD_FILE_IDS: dict[str, Any] = {
    # The option ids (a match: right-item ids) in file order before the rename, as the pack had them;
    # the correct ones in the comment.
    "att-01": "bacd",  # a
    "att-07": "aebcfd",  # abcd
    "att-13": "bdac",  # a
    "att-14": "bcda",  # a: kept
    "att-17": "acbd",  # a
    "att-18": "acbd",  # acd: kept
    "att-21": "bfacgde",  # bacde
    "frm-11": "cbad",  # a
    "frm-12": "eabfcd",  # abcd
    "frm-22": "bdca",  # a
    "fun-08": "badc",  # a
    "fun-16": "cdab",  # a
    "att-08": ["r3", "r5", "r7", "r1", "r2", "r4", "r6"],  # l1-r1, l2-r2, ... l7-r7
}
UNTOUCHED = "frm-13"
"""A match the revision leaves alone: its stored order must stay as it is."""
WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)

classes = sa.table("classes", sa.column("id"), sa.column("name"), sa.column("join_code"), sa.column("created_at", sa.DateTime))
students = sa.table("students", sa.column("id"), sa.column("class_id"), sa.column("display_name"), sa.column("name_key"),
                    sa.column("token_hash"), sa.column("joined_at", sa.DateTime))
assignments = sa.table("assignments", sa.column("id"), sa.column("class_id"), sa.column("quiz_id"), sa.column("feedback"),
                       sa.column("attempts_allowed"), sa.column("shuffle"), sa.column("created_at", sa.DateTime))
attempts = sa.table("attempts", sa.column("id"), sa.column("assignment_id"), sa.column("student_id"), sa.column("number"),
                    sa.column("exercise_order", sa.JSON), sa.column("option_orders", sa.JSON), sa.column("started_at", sa.DateTime),
                    sa.column("submitted_at", sa.DateTime))
answers = sa.table("answers", sa.column("id"), sa.column("attempt_id"), sa.column("exercise_id"), sa.column("response", sa.JSON),
                   sa.column("saved_at", sa.DateTime), sa.column("outcome", sa.JSON))


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(shipped_packs_dir() / DEFAULT_PACK)


def _alembic(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _items(exercise: Exercise) -> tuple[Any, ...]:
    return exercise.right if isinstance(exercise, MatchExercise) else exercise.options  # type: ignore[union-attr]


def _old(exercise: Exercise) -> Exercise:
    """The exercise as it was: the same options (right items) under their old ids, in the same places."""
    old_ids = list(OLD_FILE_IDS[exercise.id])
    items = _items(exercise)
    assert len(old_ids) == len(items)
    renamed = tuple(i.model_copy(update={"id": old}) for i, old in zip(items, old_ids))
    if isinstance(exercise, MatchExercise):
        old_of = {i.id: old for i, old in zip(items, old_ids)}
        pairs = {left: old_of[right] for left, right in exercise.pairs.items()}
        assert pairs == {f"l{k}": f"r{k}" for k in range(1, 8)}  # the cue the rename took away
        return exercise.model_copy(update={"right": renamed, "pairs": pairs})
    return exercise.model_copy(update={"options": renamed})


def _responses(exercise: Exercise) -> list[dict[str, Any] | None]:
    """Answers in the old ids: every option, none, an unknown id; for multi_choice also sets and mixes."""
    if isinstance(exercise, MatchExercise):
        lefts, rights = [i.id for i in exercise.left], [i.id for i in exercise.right]
        rng = random.Random(8)
        return [
            {"type": "match", "pairs": dict(exercise.pairs)},
            {"type": "match", "pairs": dict(zip(lefts, rights))},  # in file order
            {"type": "match", "pairs": {left: rng.choice(rights) for left in lefts}},
            {"type": "match", "pairs": {left: rng.choice(rights) for left in lefts[:4]}},
            {"type": "match", "pairs": {lefts[0]: exercise.pairs[lefts[0]], lefts[1]: "r9"}},
            {"type": "match", "pairs": {}},
            None,
        ]
    ids = [o.id for o in exercise.options]
    if isinstance(exercise, SingleChoiceExercise):
        return [{"type": "single_choice", "choice": i} for i in ids] + [
            {"type": "single_choice"}, {"type": "single_choice", "choice": "zz"}, {"type": "single_choice", "choice": ids[1], "certainty": 3}, None,
        ]
    assert isinstance(exercise, MultiChoiceExercise)
    correct = [o.id for o in exercise.options if o.correct]
    wrong = [o.id for o in exercise.options if not o.correct]
    return [{"type": "multi_choice", "choices": [i]} for i in ids] + [
        {"type": "multi_choice", "choices": correct},
        {"type": "multi_choice", "choices": list(reversed(ids))},
        {"type": "multi_choice", "choices": correct[:2] + wrong[:1]},
        {"type": "multi_choice", "choices": ["zz", correct[0], wrong[0]]},
        {"type": "multi_choice", "choices": []},
        None,
    ]


def _right_answer(exercise: Exercise) -> dict[str, Any]:
    match exercise:
        case SingleChoiceExercise():
            return {"type": exercise.type, "choice": next(o.id for o in exercise.options if o.correct)}
        case MultiChoiceExercise():
            return {"type": exercise.type, "choices": [o.id for o in exercise.options if o.correct]}
        case MatchExercise():
            return {"type": exercise.type, "pairs": dict(exercise.pairs)}
    raise TypeError(exercise)


def _texts(exercise: Exercise, ids: list[str] | dict[str, str] | str | None) -> Any:
    by_id = {i.id: i.text for i in _items(exercise)}
    if isinstance(ids, dict):
        return {left: by_id.get(right, right) for left, right in ids.items()}
    if isinstance(ids, str):
        return by_id.get(ids, ids)
    return None if ids is None else [by_id.get(i, i) for i in ids]


def _chosen(response: dict[str, Any] | None) -> Any:
    return None if response is None else response.get("choice", response.get("choices", response.get("pairs")))


def _fill(connection: sa.Connection, bank: Bank) -> dict[str, Any]:
    """Old answers at revision 0002; returns what the test needs to know about them."""
    connection.execute(classes.insert().values(id=1, name="9B", join_code="JOIN-1", created_at=WHEN))
    connection.execute(students.insert().values(id=1, class_id=1, display_name="Ada", name_key="ada", token_hash="0" * 64, joined_at=WHEN))
    connection.execute(assignments.insert().values(id=1, class_id=1, quiz_id="final", feedback="after_due", attempts_allowed=99, shuffle=False, created_at=WHEN))
    old = {e: _old(bank.exercises[e]) for e in OLD_FILE_IDS}
    per_exercise = {e: _responses(x) for e, x in old.items()}
    rng = random.Random(2022)
    # One attempt started before 0002 (no stored order), answered right throughout ...
    right = {e: _right_answer(x) for e, x in old.items()}
    _attempt(connection, 1, None, right, old, bank)
    kinds = {1: "unordered"}
    # ... and attempts with a stored order, one per kind of answer.
    for k in range(max(map(len, per_exercise.values()))):
        orders = {e: rng.sample(list(ids), len(ids)) for e, ids in OLD_FILE_IDS.items()}
        orders[UNTOUCHED] = [r.id for r in bank.exercises[UNTOUCHED].right][::-1]  # type: ignore[union-attr]
        _attempt(connection, k + 2, orders, {e: rs[k] for e, rs in per_exercise.items() if k < len(rs)}, old, bank)
        kinds[k + 2] = "ordered"
    # An attempt that saw another exercise under the same id: its order and answers stay as they are.
    number = len(kinds) + 1
    connection.execute(attempts.insert().values(id=number, assignment_id=1, student_id=1, number=number, exercise_order=["att-01", "sc-01"],
                                                option_orders={"att-01": ["p", "q", "a", "d"], "sc-01": ["a", "b"]}, started_at=WHEN, submitted_at=WHEN))
    for exercise_id in ("att-01", "sc-01"):
        connection.execute(answers.insert().values(attempt_id=number, exercise_id=exercise_id, response={"type": "single_choice", "choice": "a"},
                                                   saved_at=WHEN, outcome={"exercise_id": exercise_id, "parts": [{"id": "a"}]}))
    kinds[number] = "foreign"
    return {"kinds": kinds, "old": old}


def _attempt(connection: sa.Connection, number: int, orders: dict[str, list[str]] | None, responses: dict[str, Any], old: dict[str, Exercise], bank: Bank) -> None:
    connection.execute(attempts.insert().values(id=number, assignment_id=1, student_id=1, number=number, exercise_order=list(responses),
                                                option_orders=orders, started_at=WHEN, submitted_at=WHEN))
    for exercise_id, response in responses.items():
        outcome = score_stored(bank, old[exercise_id], response).model_dump(mode="json")
        connection.execute(answers.insert().values(attempt_id=number, exercise_id=exercise_id, response=response, saved_at=WHEN, outcome=outcome))


def _rows(connection: sa.Connection) -> tuple[dict[int, Any], list[tuple[Any, ...]]]:
    orders = dict(connection.execute(sa.select(attempts.c.id, attempts.c.option_orders).order_by(attempts.c.id)).all())
    stored = [tuple(r) for r in connection.execute(sa.select(answers.c.id, answers.c.attempt_id, answers.c.exercise_id, answers.c.response,
                                                                    answers.c.outcome).order_by(answers.c.id)).all()]
    return orders, stored


def test_revision_0006_imports_nothing_of_the_pack() -> None:
    tree = ast.parse(REVISION.read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported <= {"__future__", "typing", "sqlalchemy", "alembic"}, imported


def test_old_answers_score_the_same_after_revision_0006(database_url: str, bank: Bank) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic(connection), "0002")
            facts = _fill(connection, bank)
            before_orders, before = _rows(connection)
        migrate(engine)
        with engine.connect() as connection:
            after_orders, after = _rows(connection)
        kinds, old = facts["kinds"], facts["old"]
        checked = renamed = 0
        for (answer_id, attempt_id, exercise_id, response, outcome), (_, _, _, new_response, new_outcome) in zip(before, after, strict=True):
            if kinds[attempt_id] == "foreign":
                assert (new_response, new_outcome) == (response, outcome), exercise_id
                continue
            exercise = bank.exercises[exercise_id]
            rescored = score_stored(bank, exercise, new_response)
            # What the student chose, the score and every word of feedback are what they were ...
            assert _texts(exercise, _chosen(new_response)) == _texts(old[exercise_id], _chosen(response)), (exercise_id, response)
            was = score_stored(bank, old[exercise_id], response)
            assert (rescored.status, rescored.earned, rescored.possible) == (was.status, was.earned, was.possible), (exercise_id, response)
            assert [f.message for f in rescored.feedback] == [f.message for f in was.feedback], (exercise_id, response)
            # ... and the stored outcome is exactly what scoring the renamed answer gives.
            assert new_outcome == rescored.model_dump(mode="json"), (exercise_id, response)
            checked += 1
            renamed += new_response != response
        assert checked >= 120 and renamed >= 40, (checked, renamed)  # every kind of answer was there to check
        for attempt_id, orders in before_orders.items():
            if kinds[attempt_id] == "foreign" or orders is None:
                assert after_orders[attempt_id] == orders
                continue
            assert after_orders[attempt_id][UNTOUCHED] == orders[UNTOUCHED]
            for exercise_id in OLD_FILE_IDS:
                assert _texts(bank.exercises[exercise_id], after_orders[attempt_id][exercise_id]) == _texts(old[exercise_id], orders[exercise_id])
        with engine.begin() as connection:
            command.downgrade(_alembic(connection), "0002")
            assert _rows(connection) == (before_orders, before)
    finally:
        engine.dispose()


def test_new_ids_are_the_old_ids_renamed(bank: Bank) -> None:
    """The pack has the ids the revision renames to: each exercise the same set, the correct option no longer ``a``."""
    for exercise_id, old_ids in OLD_FILE_IDS.items():
        assert sorted(i.id for i in _items(bank.exercises[exercise_id])) == sorted(old_ids)
    assert [k for k in range(1, 8) if bank.exercises["att-08"].pairs[f"l{k}"] == f"r{k}"] == []  # type: ignore[union-attr]
    singles = [bank.exercises[e] for e in OLD_FILE_IDS if isinstance(bank.exercises[e], SingleChoiceExercise)]
    assert sum(next(o.id for o in e.options if o.correct) == "a" for e in singles) == 1  # type: ignore[union-attr]
