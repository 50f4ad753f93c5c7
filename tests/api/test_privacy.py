"""Privacy routes: a student's data export, deleting classes and assignments (no orphan row in any
table, all or nothing), closing a class, the retention sweep and the audit log. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select, text, update
from sqlalchemy.orm import Session

from api.app import create_app
from api.store.retention import RETENTION_ACTOR, sweep
from api.store.tables import AnswerRow, AuditRow, Base, ClassRow, utcnow
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, WRONG_ANSWERS, make_classroom, make_settings
from tests.api.test_error_shape import assert_problem


def _submit(room, name: str, answers: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    attempt = room.start(name)
    for exercise_id, body in answers.items():
        saved = room.client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_(name))
        assert saved.status_code == 200, saved.text
    submitted = room.client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name))
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def _engine(client: TestClient) -> Engine:
    return client.app.state.engine  # type: ignore[attr-defined]


def orphans(engine: Engine) -> dict[str, int]:
    """Rows, in every table the schema declares, whose foreign key names a row that does not exist."""
    found = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                parent = fk.column.table
                query = select(func.count()).select_from(table).where(
                    fk.parent.is_not(None), ~select(parent.c[fk.column.name]).where(parent.c[fk.column.name] == fk.parent).exists())
                count = connection.scalar(query) or 0
                if count:
                    found[f"{table.name}.{fk.parent.name}"] = count
    return found


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def _busy_room(client: TestClient):  # type: ignore[no-untyped-def]
    """A class with two submitted students, a review and a regrade: rows in every table."""
    room = make_classroom(client)
    _submit(room, "Ada", PERFECT_ANSWERS)
    _submit(room, "Bea", WRONG_ANSWERS)
    book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    ada = next(r for r in book["rows"] if r["display_name"] == "Ada")
    reviewed = client.put(f"{API}/answers/{ada['exercises']['sa-01']['answer_id']}/review", json={"earned": "2", "comment": "Good"}, headers=TEACHER)
    assert reviewed.status_code == 200, reviewed.text
    assert client.post(f"{API}/assignments/{room.assignment_id}/regrade", headers=TEACHER).status_code == 200
    return room, ada


# --- routes: authentication, unknown ids ---------------------------------------------------------

ROUTES = [
    ("GET", "/classes/{c}/students/{s}/export"),
    ("DELETE", "/classes/{c}"),
    ("DELETE", "/assignments/{a}"),
    ("POST", "/classes/{c}/close"),
    ("POST", "/classes/{c}/reopen"),
    ("GET", "/audit"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_privacy_routes_need_the_teacher_token(client: TestClient, method: str, path: str) -> None:
    room = make_classroom(client)
    url = API + path.format(c=room.class_id, s=1, a=room.assignment_id)
    assert_problem(client.request(method, url), 401, "unauthorized")
    assert_problem(client.request(method, url, headers=room.as_("Ada")), 401, "unauthorized")
    assert client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["closed_at"] is None


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if "{" in r[1]])
def test_privacy_routes_answer_404_for_unknown_ids(client: TestClient, method: str, path: str) -> None:
    room = make_classroom(client)
    other = make_classroom(client, names=("Cyd",))
    cyd = client.get(f"{API}/classes/{other.class_id}", headers=TEACHER).json()["students"][0]["id"]
    cases = [(999, cyd, 999)] + ([(room.class_id, cyd, 999)] if "{s}" in path else [])  # a student of another class is unknown here
    for c, s, a in cases:
        url = API + path.format(c=c, s=s, a=a)
        body = assert_problem(client.request(method, url, headers=TEACHER), 404, "not-found")
        assert "Traceback" not in body["detail"]
    assert counts(_engine(client))["students"] == 3


@pytest.mark.parametrize("path", ["/classes/0", "/classes/abc", "/assignments/-1", "/audit?limit=0", "/audit?class_id=x"])
def test_privacy_routes_refuse_malformed_ids(client: TestClient, path: str) -> None:
    method = "GET" if path.startswith("/audit") else "DELETE"
    assert_problem(client.request(method, API + path, headers=TEACHER), 422, "validation-error")


# --- export --------------------------------------------------------------------------------------

def test_export_holds_everything_stored_about_one_student_and_nothing_of_others(any_client: TestClient) -> None:
    room, ada = _busy_room(any_client)
    response = any_client.get(f"{API}/classes/{room.class_id}/students/{ada['student_id']}/export", headers=TEACHER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["format"] == "medialit-student-export/1"
    assert data["student"]["display_name"] == "Ada" and data["class"]["id"] == room.class_id
    [attempt] = data["attempts"]
    assert attempt["quiz_id"] == "tiny-all" and attempt["submitted_at"] is not None
    stored = {a["exercise_id"]: a for a in attempt["answers"]}
    assert {e: a["response"] for e, a in stored.items()} == PERFECT_ANSWERS
    assert all(a["outcome"] is not None for a in stored.values())
    assert [r["earned"] for r in stored["sa-01"]["reviews"]] == ["2"] and stored["sa-01"]["reviews"][0]["comment"] == "Good"
    assert all(len(a["regrades"]) == 1 for a in stored.values())
    assert [e["action"] for e in data["audit_log"]] == ["answer-reviewed"]
    assert "Bea" not in response.text and "token_hash" not in response.text
    with Session(_engine(any_client)) as session:
        digest = session.execute(text("SELECT token_hash FROM students WHERE display_name = 'Ada'")).scalar_one()
    assert digest not in response.text
    log = any_client.get(f"{API}/audit", headers=TEACHER).json()["entries"]
    assert log[0]["action"] == "student-exported" and log[0]["sentence"] == "Downloaded everything stored about Ada in “Test class”."


# --- deletion ------------------------------------------------------------------------------------

def test_delete_class_removes_it_with_everything_and_leaves_other_classes(any_client: TestClient) -> None:
    room, _ada = _busy_room(any_client)
    other, _ = _busy_room(any_client)
    engine = _engine(any_client)
    before = counts(engine)
    response = any_client.delete(f"{API}/classes/{room.class_id}", headers=TEACHER)
    assert response.status_code == 200, response.text
    assert response.json() == {"classes": 1, "students": 2, "assignments": 1, "attempts": 2, "answers": 16, "reviews": 1}
    after = counts(engine)
    assert orphans(engine) == {}
    assert after["classes"] == before["classes"] - 1 and after["answers"] == before["answers"] - 16
    assert after["regrades"] == before["regrades"] - 1 and after["regrade_entries"] == before["regrade_entries"] - 16
    assert after["answers"] == 16 and after["students"] == 2  # the other class is whole
    assert_problem(any_client.get(f"{API}/classes/{room.class_id}", headers=TEACHER), 404, "not-found")
    assert_problem(any_client.get(f"{API}/me/assignments", headers=room.as_("Ada")), 401, "unauthorized")
    assert any_client.get(f"{API}/me/assignments", headers=other.as_("Ada")).status_code == 200
    assert_problem(any_client.delete(f"{API}/classes/{room.class_id}", headers=TEACHER), 404, "not-found")
    [entry] = [e for e in any_client.get(f"{API}/audit", headers=TEACHER).json()["entries"] if e["action"] == "class-deleted"]
    assert entry["sentence"] == "Deleted the class “Test class” with 2 students, 1 assignment, 16 answers."


def test_delete_assignment_removes_attempts_answers_reviews_and_regrades(any_client: TestClient) -> None:
    room, _ada = _busy_room(any_client)
    second = any_client.post(f"{API}/classes/{room.class_id}/assignments", json={"quiz_id": "tiny-choice", "feedback": "immediate"}, headers=TEACHER).json()
    attempt = any_client.post(f"{API}/assignments/{second['id']}/attempts", headers=room.as_("Ada")).json()
    engine = _engine(any_client)
    response = any_client.delete(f"{API}/assignments/{room.assignment_id}", headers=TEACHER)
    assert response.status_code == 200, response.text
    assert response.json() == {"classes": 0, "students": 0, "assignments": 1, "attempts": 2, "answers": 16, "reviews": 1}
    left = counts(engine)
    assert orphans(engine) == {}
    assert left["assignments"] == 1 and left["attempts"] == 1 and left["answers"] == 0 and left["reviews"] == 0
    assert left["regrades"] == 0 and left["regrade_entries"] == 0 and left["students"] == 2
    assert any_client.get(f"{API}/attempts/{attempt['id']}", headers=room.as_("Ada")).status_code == 200
    assert_problem(any_client.get(f"{API}/assignments/{room.assignment_id}", headers=TEACHER), 404, "not-found")
    log = any_client.get(f"{API}/audit", headers=TEACHER).json()["entries"]
    assert log[0]["sentence"] == "Deleted the assignment “Everything” in “Test class” with 16 answers."


def test_remove_student_leaves_no_orphans_and_the_log_forgets_the_name(any_client: TestClient) -> None:
    room, ada = _busy_room(any_client)
    engine = _engine(any_client)
    removed = any_client.delete(f"{API}/classes/{room.class_id}/students/{ada['student_id']}", headers=TEACHER)
    assert removed.status_code == 200, removed.text
    assert orphans(engine) == {} and counts(engine)["students"] == 1
    log = any_client.get(f"{API}/audit", headers=TEACHER)
    assert "Ada" not in log.text
    sentences = [e["sentence"] for e in log.json()["entries"]]
    assert sentences[0] == "Removed a student no longer stored from “Test class” with 8 answers."
    assert "Scored an answer of a student no longer stored in the assignment “Everything”: 1 became 2 points." in sentences[1:]
    # SQLite gives a deleted row's id to the next new row: a newcomer must not inherit Bea's entries
    bea = next(s for s in any_client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["students"] if s["display_name"] == "Bea")
    any_client.post(f"{API}/classes/{room.class_id}/students/{bea['id']}/token", headers=TEACHER)
    any_client.delete(f"{API}/classes/{room.class_id}/students/{bea['id']}", headers=TEACHER)
    joined = any_client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Newcomer"}).json()
    log = any_client.get(f"{API}/audit", headers=TEACHER)
    assert "Newcomer" not in log.text and "Bea" not in log.text, [e["sentence"] for e in log.json()["entries"] if "Newcomer" in e["sentence"]]
    assert joined["student_id"] not in {e["student_id"] for e in log.json()["entries"]}


@pytest.mark.parametrize("failing_table", ["answers", "students", "classes"])
def test_delete_class_is_all_or_nothing(any_client: TestClient, failing_table: str) -> None:
    room, _ada = _busy_room(any_client)
    engine = _engine(any_client)
    before = counts(engine)

    def fail(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(f"DELETE FROM {failing_table.upper()} "):
            raise RuntimeError("the disk failed")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        assert_problem(any_client.delete(f"{API}/classes/{room.class_id}", headers=TEACHER), 500, "internal-error")
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert counts(engine) == before
    assert any_client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).status_code == 200


# --- closing and retention -----------------------------------------------------------------------

def test_close_class_turns_joining_and_assignments_off_and_reopen_keeps_them_off(any_client: TestClient) -> None:
    room = make_classroom(any_client)
    closed = any_client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER)
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_at"] is not None and closed.json()["join_code"] is None
    first = closed.json()["closed_at"]
    assert any_client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER).json()["closed_at"] == first
    assert_problem(any_client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Late"}), 404, "join-code-invalid")
    assert_problem(any_client.post(f"{API}/assignments/{room.assignment_id}/attempts", headers=room.as_("Ada")), 409, "assignment-closed")
    reopened = any_client.post(f"{API}/classes/{room.class_id}/reopen", headers=TEACHER)
    assert reopened.status_code == 200 and reopened.json()["closed_at"] is None and reopened.json()["join_code"] is None
    actions = [e["action"] for e in any_client.get(f"{API}/audit?class_id={room.class_id}", headers=TEACHER).json()["entries"]]
    assert actions[:3] == ["class-reopened", "class-closed", "class-closed"]


def _age(engine: Engine, class_id: int, days: float) -> None:
    with Session(engine) as session:
        session.execute(update(ClassRow).where(ClassRow.id == class_id).values(closed_at=utcnow() - timedelta(days=days)))
        session.commit()


def test_retention_deletes_only_classes_closed_longer_than_the_period(any_client: TestClient) -> None:
    old, _ = _busy_room(any_client)
    recent, _ = _busy_room(any_client)
    running, _ = _busy_room(any_client)
    engine = _engine(any_client)
    for room in (old, recent):
        any_client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER)
    _age(engine, old.class_id, 31)
    _age(engine, recent.class_id, 29)
    with Session(engine) as session:
        assert sweep(session, None, None).classes == []  # off by default: nothing goes
        result = sweep(session, 30, None)
    assert result.classes == ["Test class"] and result.answers == 16
    assert_problem(any_client.get(f"{API}/classes/{old.class_id}", headers=TEACHER), 404, "not-found")
    for room in (recent, running):
        assert any_client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).status_code == 200
    assert orphans(engine) == {} and counts(engine)["answers"] == 32
    [entry] = [e for e in any_client.get(f"{API}/audit", headers=TEACHER).json()["entries"] if e["action"] == "class-expired"]
    assert entry["actor"] == RETENTION_ACTOR and entry["class_id"] is None
    assert entry["sentence"] == "Deleted the class “Test class”, closed for longer than 30 days, with 2 students, 1 assignment, 16 answers."
    with Session(engine) as session:
        assert sweep(session, 30, None).classes == []  # a second sweep finds nothing


def test_retention_runs_at_start_and_forgets_old_audit_entries(database_url: str) -> None:
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        room = make_classroom(client)
        client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER)
        _age(app.state.engine, room.class_id, 10)
        with Session(app.state.engine) as session:
            session.execute(update(AuditRow).values(created_at=utcnow() - timedelta(days=400)))
            session.commit()
    app.state.engine.dispose()
    restarted = create_app(make_settings(database_url, retention_days=7, audit_retention_days=365))
    with TestClient(restarted, raise_server_exceptions=False) as client:
        assert client.get(f"{API}/classes", headers=TEACHER).json() == []
        assert [e["action"] for e in client.get(f"{API}/audit", headers=TEACHER).json()["entries"]] == ["class-expired"]
    restarted.state.engine.dispose()


# --- the audit log -------------------------------------------------------------------------------

def test_audit_log_records_each_teacher_action_in_sentences(client: TestClient) -> None:
    room, ada = _busy_room(client)
    client.post(f"{API}/classes/{room.class_id}/join-code", headers=TEACHER)
    client.delete(f"{API}/classes/{room.class_id}/join-code", headers=TEACHER)
    client.post(f"{API}/classes/{room.class_id}/students/{ada['student_id']}/token", headers=TEACHER)
    client.patch(f"{API}/assignments/{room.assignment_id}", json={"closed": True}, headers=TEACHER)
    log = client.get(f"{API}/audit", headers=TEACHER).json()
    sentences = [e["sentence"] for e in reversed(log["entries"])]
    assert sentences == [
        "Created the class “Test class”.",
        "Assigned the quiz “Everything” to “Test class”.",
        "Scored an answer of Ada in the assignment “Everything”: 1 became 2 points.",
        "Rescored 16 answers of the assignment “Everything” in “Test class”; 0 changed.",
        "Drew a new join code for “Test class” (joining on).",
        "Turned joining off for “Test class”.",
        "Gave Ada in “Test class” a new sign-in token; the old one stopped working.",
        "Changed the assignment “Everything” in “Test class”: closed.",
    ]
    assert {e["actor"] for e in log["entries"]} == {"Teacher"} and log["older"] is None  # the first account's name


def test_audit_log_pages_and_filters_by_class(client: TestClient) -> None:
    first = make_classroom(client)
    second = make_classroom(client)
    page = client.get(f"{API}/audit?limit=3", headers=TEACHER).json()
    assert len(page["entries"]) == 3 and page["older"] is not None
    rest = client.get(f"{API}/audit?limit=3&before={page['older']}", headers=TEACHER).json()
    assert len(rest["entries"]) == 1 and rest["older"] is None
    ids = [e["id"] for e in page["entries"] + rest["entries"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4
    only = client.get(f"{API}/audit?class_id={first.class_id}", headers=TEACHER).json()["entries"]
    assert {e["class_id"] for e in only} == {first.class_id} and len(only) == 2
    unknown = client.get(f"{API}/audit?class_id=999", headers=TEACHER)  # reads like another teacher's class
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")
    assert second.class_id != first.class_id


def test_audit_entries_hold_no_names_or_answers(client: TestClient) -> None:
    room, ada = _busy_room(client)
    client.get(f"{API}/classes/{room.class_id}/students/{ada['student_id']}/export", headers=TEACHER)
    client.delete(f"{API}/classes/{room.class_id}", headers=TEACHER)
    with Session(_engine(client)) as session:
        stored = json.dumps([[r.actor, r.action, r.class_name, r.detail] for r in session.scalars(select(AuditRow))])
    assert "Ada" not in stored and "Bea" not in stored and "reformers" not in stored and "Well" not in stored
    assert "Test class" in stored  # the class's name is kept, so the log can say what was deleted


def test_no_answer_lands_in_a_deleted_assignment(any_client: TestClient) -> None:
    room = make_classroom(any_client)
    attempt = room.start("Ada")
    assert any_client.delete(f"{API}/assignments/{room.assignment_id}", headers=TEACHER).status_code == 200
    late = any_client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=room.as_("Ada"))
    assert late.status_code in (404, 409), late.text
    with Session(_engine(any_client)) as session:
        assert session.scalar(select(func.count()).select_from(AnswerRow)) == 0
    assert orphans(_engine(any_client)) == {}


def test_teacher_token_reset_from_the_command_line_is_in_the_log(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import api.__main__ as launcher

    monkeypatch.setattr(launcher.uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setenv("MEDIALIT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MEDIALIT_TEACHER_TOKEN", raising=False)
    monkeypatch.delenv("MEDIALIT_DATABASE_URL", raising=False)
    assert launcher.main(["--reset-teacher-token", "--port", "0"]) == 0
    engine = make_engine_for(tmp_path)
    with Session(engine) as session:
        assert [(r.actor, r.action) for r in session.scalars(select(AuditRow))] == [("command line", "teacher-account-token-reset")]
    engine.dispose()


def make_engine_for(folder) -> Engine:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{folder / 'medialit.db'}")


def test_revision_0009_upgrades_a_class_in_place_and_downgrades_cleanly(database_url: str) -> None:
    """An existing class survives the revision (closed_at null: running) and the downgrade."""
    from alembic import command

    from api.store.db import make_engine
    from tests.api.test_option_id_migration import _alembic

    engine = make_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(_alembic(connection), "0003")
        connection.execute(text("INSERT INTO classes (name, join_code, created_at, joining_open) VALUES ('Old', 'OLDCODE234', '2026-01-01 00:00:00', true)"))
    with engine.begin() as connection:
        command.upgrade(_alembic(connection), "0009")
        assert connection.execute(text("SELECT name, closed_at FROM classes")).all() == [("Old", None)]
        assert connection.scalar(text("SELECT count(*) FROM audit_log")) == 0
    with engine.begin() as connection:
        command.downgrade(_alembic(connection), "0003")
    inspector = __import__("sqlalchemy").inspect(engine)
    assert "audit_log" not in inspector.get_table_names()
    assert "closed_at" not in {c["name"] for c in inspector.get_columns("classes")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM classes")).scalars().all() == ["Old"]
    engine.dispose()


def test_deleting_an_assignment_while_students_autosave_leaves_no_orphans(any_client: TestClient) -> None:
    """Saves keep arriving through the server's writer while the teacher deletes: the deletion
    succeeds, and no answer is left behind on the deleted attempts."""
    import threading

    room = make_classroom(any_client)
    attempts = [room.start(name)["id"] for name in ("Ada", "Bea")]
    writer = any_client.app.state.answer_writer  # type: ignore[attr-defined]
    saved, stop, errors = [0], threading.Event(), []

    def save() -> None:
        while not stop.is_set():
            exercise = list(PERFECT_ANSWERS)[saved[0] % len(PERFECT_ANSWERS)]
            try:
                writer.save(attempts[saved[0] % 2], exercise, PERFECT_ANSWERS[exercise], utcnow())
            except Exception as error:  # noqa: BLE001 - collected and shown below
                errors.append(error)
            saved[0] += 1

    thread = threading.Thread(target=save)
    thread.start()
    try:
        while saved[0] < 20:
            stop.wait(0.01)
        deleted = any_client.delete(f"{API}/assignments/{room.assignment_id}", headers=TEACHER)
        before_stop = saved[0]
        while saved[0] < before_stop + 20:
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join(30)
    assert deleted.status_code == 200, deleted.text
    assert errors == []
    engine = _engine(any_client)
    assert orphans(engine) == {} and counts(engine)["answers"] == 0 and counts(engine)["attempts"] == 0


def test_the_running_server_sweeps_again_and_survives_a_failed_sweep(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_periodically`` with its pause replaced: a failing sweep is logged, the next one deletes."""
    import asyncio

    from api.store import retention

    room = make_classroom(client)
    client.post(f"{API}/classes/{room.class_id}/close", headers=TEACHER)
    engine = _engine(client)
    _age(engine, room.class_id, 3)
    pauses, calls = [], []
    real = retention.sweep_engine

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) > 2:
            raise asyncio.CancelledError

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database busy")
        return real(*args, **kwargs)

    monkeypatch.setattr(retention.asyncio, "sleep", pause)
    monkeypatch.setattr(retention, "sweep_engine", flaky)
    settings = make_settings("sqlite://", retention_days=2, retention_interval_s=60)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(retention.run_periodically(engine, settings))
    assert pauses == [60, 60, 60] and len(calls) == 2
    assert_problem(client.get(f"{API}/classes/{room.class_id}", headers=TEACHER), 404, "not-found")
