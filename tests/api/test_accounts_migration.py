"""Revision 0007: a single-teacher installation at revision 0003 becomes the first teacher account.

A database is made at 0003 with the old teacher credential, two classes with students, assignments
and a submitted answer; after the upgrade the old token signs in as the first account ("Teacher"),
which owns every class and sees every answer as before, a new teacher sees none of it, and the
downgrade gives back the one credential with the same token.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

import api
from api.app import create_app
from api.store.auth import hash_token
from api.store.db import make_engine
from tests.api.conftest import API, bearer, make_settings

MIGRATIONS = Path(api.__file__).parent / "migrations"
OLD_TOKEN = "the-old-single-teacher-token-0123456789"
WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)

credentials = sa.table("teacher_credentials", sa.column("id"), sa.column("token_hash"), sa.column("created_at", sa.DateTime))
classes = sa.table("classes", sa.column("id"), sa.column("name"), sa.column("join_code"), sa.column("created_at", sa.DateTime))
students = sa.table("students", sa.column("id"), sa.column("class_id"), sa.column("display_name"), sa.column("name_key"),
                    sa.column("token_hash"), sa.column("joined_at", sa.DateTime))
assignments = sa.table("assignments", sa.column("id"), sa.column("class_id"), sa.column("quiz_id"), sa.column("feedback"),
                       sa.column("attempts_allowed"), sa.column("shuffle"), sa.column("created_at", sa.DateTime))
attempts = sa.table("attempts", sa.column("id"), sa.column("assignment_id"), sa.column("student_id"), sa.column("number"),
                    sa.column("exercise_order", sa.JSON), sa.column("started_at", sa.DateTime), sa.column("submitted_at", sa.DateTime))
answers = sa.table("answers", sa.column("id"), sa.column("attempt_id"), sa.column("exercise_id"), sa.column("response", sa.JSON),
                   sa.column("saved_at", sa.DateTime), sa.column("outcome", sa.JSON))


def _alembic(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _fill_at_0003(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(_alembic(connection), "0003")
        connection.execute(sa.insert(credentials).values(token_hash=hash_token(OLD_TOKEN), created_at=WHEN))
        for class_id, name in ((1, "9B"), (2, "10A")):
            connection.execute(sa.insert(classes).values(id=class_id, name=name, join_code=f"CODE{class_id}ABCDE", created_at=WHEN))
            connection.execute(sa.insert(students).values(id=class_id, class_id=class_id, display_name=f"Ada {name}", name_key=f"ada {name}".lower(),
                                                          token_hash=hash_token(f"student-{class_id}"), joined_at=WHEN))
            connection.execute(sa.insert(assignments).values(id=class_id, class_id=class_id, quiz_id="tiny-all", feedback="immediate",
                                                             attempts_allowed=1, shuffle=False, created_at=WHEN))
        connection.execute(sa.insert(attempts).values(id=1, assignment_id=1, student_id=1, number=1, exercise_order=["sc-01"], started_at=WHEN,
                                                      submitted_at=WHEN))
        connection.execute(sa.insert(answers).values(id=1, attempt_id=1, exercise_id="sc-01", response={"type": "single_choice", "choice": "a"},
                                                     saved_at=WHEN, outcome=None))
        if connection.dialect.name == "postgresql":  # rows inserted with their ids: move the sequences past them
            for table in ("classes", "students", "assignments", "attempts", "answers"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def test_revision_0007_makes_the_old_teacher_the_first_account_owning_every_class(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _fill_at_0003(engine)
    finally:
        engine.dispose()
    app = create_app(make_settings(database_url, teacher_token=None))
    assert app.state.new_teacher_token is None, "the old token is kept: nobody signs in again"
    assert app.state.new_admin_token, "the administrator token is new, printed at the first start after the upgrade"
    old, admin = bearer(OLD_TOKEN), bearer(app.state.new_admin_token)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get(f"{API}/teachers/me", headers=old).json() == {"id": 1, "display_name": "Teacher"}
        assert [c["name"] for c in client.get(f"{API}/classes", headers=old).json()] == ["9B", "10A"]
        for class_id in (1, 2):
            klass = client.get(f"{API}/classes/{class_id}", headers=old).json()
            assert [s["display_name"] for s in klass["students"]] == [f"Ada {klass['name']}"] and len(klass["assignments"]) == 1
            assert client.get(f"{API}/classes/{class_id}/teachers", headers=old).json() == [{"id": 1, "display_name": "Teacher", "role": "owner"}]
        assert '"sc-01"' in client.get(f"{API}/assignments/1/answers", headers=old).text
        accounts = client.get(f"{API}/admin/teachers", headers=admin).json()
        assert [(a["id"], a["display_name"], a["class_count"], a["has_token"]) for a in accounts] == [(1, "Teacher", 2, True)]
        newcomer = bearer(client.post(f"{API}/admin/teachers", json={"display_name": "Ms New"}, headers=admin).json()["token"])
        assert client.get(f"{API}/classes", headers=newcomer).json() == []
        assert client.get(f"{API}/assignments/1/answers", headers=newcomer).status_code == 404
        made = client.post(f"{API}/classes", json={"name": "Hers"}, headers=newcomer)
        assert made.status_code == 201 and made.json()["id"] == 3, "ids continue after the migrated rows"
    app.state.engine.dispose()

    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.downgrade(_alembic(connection), "0003")
        with engine.connect() as connection:
            assert connection.execute(sa.select(credentials.c.token_hash)).scalars().all() == [hash_token(OLD_TOKEN)]
            assert connection.execute(sa.select(sa.func.count()).select_from(classes)).scalar() == 3
            assert "teachers" not in sa.inspect(connection).get_table_names()
    finally:
        engine.dispose()


def test_revision_0007_on_an_installation_with_classes_but_no_credential(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic(connection), "0003")
            connection.execute(sa.insert(classes).values(name="9B", join_code="CODEXABCDE", created_at=WHEN))
            command.upgrade(_alembic(connection), "0007")
            first = connection.execute(sa.text("SELECT id, display_name, token_hash FROM teachers")).all()
            owners = connection.execute(sa.text("SELECT teacher_id, role FROM class_teachers")).all()
        assert [(r.display_name, r.token_hash) for r in first] == [("Teacher", None)], "no token until the administrator issues one"
        assert [(r.teacher_id, r.role) for r in owners] == [(first[0].id, "owner")]
    finally:
        engine.dispose()


def test_revision_0007_on_an_empty_database_makes_no_account(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic(connection), "0007")
            assert connection.execute(sa.text("SELECT count(*) FROM teachers")).scalar() == 0
    finally:
        engine.dispose()
