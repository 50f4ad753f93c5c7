"""Findings of the security review (shared/reviews/security.md), one test or more per finding."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import event

from api.app import create_app
from api.errors import TooManyJoinAttempts
from api.limits import JoinLimiter
from api.store.db import make_engine, migrate
from api.problems import MAX_REPORTED_ERRORS
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, make_classroom, make_settings


# --- 2 (High): bounded validation errors -------------------------------------------------------

def test_an_answer_is_validated_against_its_type_only(client: TestClient) -> None:
    answer = client.post(f"{API}/exercises/sc-02/check", json={"type": "single_choice", "choice": "a", "stray": 1})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "stray", "message": "Extra inputs are not permitted"}]


def test_thousands_of_unknown_fields_get_a_small_answer(client: TestClient) -> None:
    body = json.dumps({"type": "highlight", **{f"{i:x}": 0 for i in range(7000)}}, separators=(",", ":")).encode()
    room = make_classroom(client, names=("Ada",))
    attempt = room.start("Ada")
    for method, path, headers in (("POST", f"{API}/exercises/sc-02/check", {}),
                                  ("PUT", f"{API}/attempts/{attempt['id']}/answers/hl-01", room.as_("Ada"))):
        answer = client.request(method, path, content=body, headers={"content-type": "application/json", **headers})
        assert answer.status_code == 422, (path, answer.text)
        assert len(answer.content) < 4096
        assert len(answer.json()["errors"]) == 1


def test_a_problem_lists_a_bounded_number_of_errors(client: TestClient) -> None:
    spans = [{"start": -1, "end": -1, "label": "x" * 81}] * 200
    answer = client.post(f"{API}/exercises/sc-02/check", json={"type": "highlight", "spans": spans})
    assert answer.status_code == 422 and len(answer.content) < 8192
    problem = answer.json()
    assert len(problem["errors"]) == MAX_REPORTED_ERRORS
    assert problem["detail"].endswith(f"and {600 - MAX_REPORTED_ERRORS} more problems")


def test_a_long_id_is_not_echoed_in_full(client: TestClient) -> None:
    answer = client.get(f"{API}/exercises/{'x' * 10000}")
    assert answer.status_code == 404 and len(answer.content) < 2048


# --- 4 (Medium): rosters ---------------------------------------------------------------------------

def test_a_class_takes_no_more_than_its_roster_cap(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url, max_class_size=3)), raise_server_exceptions=False) as client:
        room = make_classroom(client, names=("Ada", "Bea", "Cy"))
        full = client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Dee"})
        assert full.status_code == 409 and full.json()["type"].endswith("/class-full")


def test_the_teacher_can_rotate_and_turn_off_the_join_code(client: TestClient) -> None:
    room = make_classroom(client, names=())
    rotated = client.post(f"{API}/classes/{room.class_id}/join-code", headers=TEACHER)
    assert rotated.status_code == 200
    new_code = rotated.json()["join_code"]
    assert new_code != room.join_code
    assert client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Old"}).status_code == 404
    assert client.post(f"{API}/join", json={"join_code": new_code, "display_name": "New"}).status_code == 201
    off = client.delete(f"{API}/classes/{room.class_id}/join-code", headers=TEACHER)
    assert off.status_code == 200 and off.json()["join_code"] is None
    assert client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["join_code"] is None
    assert client.post(f"{API}/join", json={"join_code": new_code, "display_name": "Late"}).status_code == 404
    again = client.post(f"{API}/classes/{room.class_id}/join-code", headers=TEACHER).json()["join_code"]
    assert client.post(f"{API}/join", json={"join_code": again, "display_name": "Late"}).status_code == 201


def test_removing_a_student_revokes_their_token_and_frees_the_seat(any_client: TestClient) -> None:
    client = any_client
    room = make_classroom(client)
    attempt = room.start("Ada")
    saved = client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=room.as_("Ada"))
    assert saved.status_code == 200
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    klass = client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()
    ada = next(s["id"] for s in klass["students"] if s["display_name"] == "Ada")
    other = client.post(f"{API}/classes", json={"name": "Other"}, headers=TEACHER).json()
    assert client.delete(f"{API}/classes/{other['id']}/students/{ada}", headers=TEACHER).status_code == 404
    removed = client.delete(f"{API}/classes/{room.class_id}/students/{ada}", headers=TEACHER)
    assert removed.status_code == 200 and [s["display_name"] for s in removed.json()["students"]] == ["Bea"]
    assert client.get(f"{API}/me/assignments", headers=room.as_("Ada")).status_code == 401
    assert [s["display_name"] for s in client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["students"]] == ["Bea"]
    assert client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"] == []
    assert client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Ada"}).status_code == 201


def test_a_student_cannot_store_more_than_the_quota(database_url: str) -> None:
    with TestClient(create_app(make_settings(database_url, student_storage_bytes=64 * 1024)), raise_server_exceptions=False) as client:
        room = make_classroom(client, names=("Ada",))
        attempt = room.start("Ada")
        text = "\U0001F600" * 2500  # 30 KB as stored (each emoji \\u-escaped twice over)
        put = lambda exercise: client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise}", json={"type": exercise[:2] == "sa" and "short_answer" or "rewrite", "text": text}, headers=room.as_("Ada"))  # noqa: E731
        assert put("sa-01").status_code == 200
        assert put("sa-01").status_code == 200  # replacing an answer does not count twice
        assert put("rw-01").status_code == 200
        over = client.put(f"{API}/attempts/{attempt['id']}/answers/ls-01", json={"type": "label_spans", "spans": [{"exact": "x" * 1900, "label": "y"}] * 3}, headers=room.as_("Ada"))
        assert over.status_code == 409 and over.json()["type"].endswith("/storage-quota-exceeded")


def test_the_gradebook_reads_neither_responses_nor_outcome_details(any_client: TestClient) -> None:
    client = any_client
    room = make_classroom(client)
    attempt = room.start("Ada")
    for exercise, answer in PERFECT_ANSWERS.items():
        client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise}", json=answer, headers=room.as_("Ada"))
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    room.start("Bea")
    statements: list[str] = []
    engine = client.app.state.engine  # type: ignore[attr-defined]
    listener = lambda _conn, _cursor, statement, *_rest: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER)
        csv = client.get(f"{API}/assignments/{room.assignment_id}/results.csv", headers=TEACHER)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert book.status_code == 200 and csv.status_code == 200
    row = book.json()["rows"][0]
    assert row["possible"] == 12 and row["earned"] == 11 and row["discernment"] == 1.0  # the short answer and the rewrite await review
    assert row["awaiting_review"] == ["sa-01", "rw-01"] and row["exercises"]["sa-01"]["status"] == "needs_review"
    assert book.json()["in_progress"][0]["display_name"] == "Bea"
    answer_reads = [s for s in statements if "FROM answers" in s]
    assert answer_reads and not any(re.search(r"(?<!\()answers\.(response|outcome)\s*(,|FROM|$)", s, re.M) for s in answer_reads), answer_reads


# --- 5 (Low): join limiting that fits schools ------------------------------------------------------

def test_thirty_students_behind_one_address_who_all_mistype_get_in(client: TestClient) -> None:
    room = make_classroom(client, names=())
    for n in range(30):
        wrong = client.post(f"{API}/join", json={"join_code": room.join_code[::-1], "display_name": f"S{n}"})
        assert wrong.status_code == 404
        right = client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": f"S{n}"})
        assert right.status_code == 201, right.text


def test_a_throttled_address_still_gets_a_turn_every_few_seconds(sqlite_url: str) -> None:
    now = [0.0]
    engine = make_engine(sqlite_url)
    migrate(engine)
    limiter = JoinLimiter(engine, allowed=3, window_s=300, throttle_s=2, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("school")
        limiter.record_failure("school")
    limiter.check("school")  # its turn
    with pytest.raises(TooManyJoinAttempts) as refused:
        limiter.check("school")
    assert refused.value.retry_after_s == 2
    now[0] = 2.0
    limiter.check("school")
    limiter.check("elsewhere")
    now[0] = 301.0  # the failures have left the window
    limiter.check("school")
    limiter.check("school")


# --- 6/7 (Medium, Low): no side effects on error --------------------------------------------------

def test_a_time_without_offset_is_refused_before_anything_is_written(any_client: TestClient) -> None:
    client = any_client
    room = make_classroom(client, names=())
    before = client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["assignments"]
    made = client.post(f"{API}/classes/{room.class_id}/assignments", json={"quiz_id": "tiny-all", "due_at": "2030-01-01T00:00:00"}, headers=TEACHER)
    assert made.status_code == 422 and made.json()["errors"][0]["field"] == "due_at"
    patched = client.patch(f"{API}/assignments/{room.assignment_id}", json={"due_at": "2030-01-01T00:00:00"}, headers=TEACHER)
    assert patched.status_code == 422
    assert client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["assignments"] == before
    shifted = client.patch(f"{API}/assignments/{room.assignment_id}", json={"due_at": "2030-01-01T02:00:00+02:00"}, headers=TEACHER)
    assert shifted.status_code == 200 and shifted.json()["due_at"].startswith("2030-01-01T00:00:00")
    far = client.patch(f"{API}/assignments/{room.assignment_id}", json={"due_at": "0001-01-01T00:00:00+01:00"}, headers=TEACHER)
    assert far.status_code == 422


def test_nul_characters_and_overlong_scores_are_422_on_every_backend(any_client: TestClient) -> None:
    client = any_client
    assert client.post(f"{API}/classes", json={"name": "a\u0000b"}, headers=TEACHER).status_code == 422
    room = make_classroom(client, names=("Ada",))
    attempt = room.start("Ada")
    client.put(f"{API}/attempts/{attempt['id']}/answers/sa-01", json=PERFECT_ANSWERS["sa-01"], headers=room.as_("Ada"))
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    answer_id = book["rows"][0]["exercises"]["sa-01"]["answer_id"]
    for body in ({"earned": "1", "comment": "ok\u0000"}, {"earned": "1e-400"}, {"earned": "1/" + "9" * 41}):
        reviewed = client.put(f"{API}/answers/{answer_id}/review", json=body, headers=TEACHER)
        assert reviewed.status_code == 422, (body, reviewed.text)
    assert client.put(f"{API}/answers/{answer_id}/review", json={"earned": "1/2"}, headers=TEACHER).status_code == 200


def _hold_write_lock(db_path: str) -> sqlite3.Connection:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_locked_store_is_503_with_retry_after_soon_and_health_says_so(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with TestClient(create_app(make_settings(f"sqlite:///{db}", store_busy_timeout_s=0.5)), raise_server_exceptions=False) as client:
        room = make_classroom(client, names=("Ada",))
        attempt = room.start("Ada")
        assert client.get(f"{API}/health").json() == {"status": "ok", "database": "ok", "lessons": 1}
        holder = _hold_write_lock(str(db))
        try:
            started = time.monotonic()
            for answer in (client.post(f"{API}/classes", json={"name": "B"}, headers=TEACHER),
                           client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=room.as_("Ada")),
                           client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Bea"})):
                assert answer.status_code == 503, answer.text
                assert answer.headers["Retry-After"] == "5" and answer.json()["type"].endswith("/store-unavailable")
            assert time.monotonic() - started < 5
            assert client.get(f"{API}/health").json()["database"] == "busy"
        finally:
            holder.rollback()
            holder.close()
        assert client.get(f"{API}/health").json()["status"] == "ok"
        assert client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Bea"}).status_code == 201


def test_a_full_store_is_503_and_nothing_half_done(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with TestClient(create_app(make_settings(f"sqlite:///{db}")), raise_server_exceptions=False) as client:
        room = make_classroom(client, names=())
        engine = client.app.state.engine  # type: ignore[attr-defined]
        engine.dispose()
        pages = sqlite3.connect(str(db)).execute("PRAGMA page_count").fetchone()[0]
        event.listen(engine, "connect", lambda dbapi, _rec: dbapi.execute(f"PRAGMA max_page_count={pages}"))
        joins = [client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": f"S{n} " + "x" * 30}) for n in range(60)]
        assert {j.status_code for j in joins} <= {201, 503} and joins[-1].status_code == 503
        assert joins[-1].headers["Retry-After"] == "5"
        listed = client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["students"]
        assert len(listed) == sum(j.status_code == 201 for j in joins)


# --- 8 (Low): headers and tokens -------------------------------------------------------------------

def test_security_headers_are_sent_as_headers(client: TestClient) -> None:
    page = client.get("/")
    for answer in (page, client.get(f"{API}/health"), client.post(f"{API}/join", json={"join_code": "x", "display_name": "y"})):
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-frame-options"] == "DENY"
    assert "no-store" not in page.headers.get("cache-control", "")
    room = make_classroom(client, names=())
    joined = client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Ada"})
    assert joined.status_code == 201 and joined.headers["cache-control"] == "no-store"


def test_api_docs_are_off_unless_asked_for(sqlite_url: str, client: TestClient) -> None:
    assert client.get(f"{API}/docs").status_code == 404
    assert client.get(f"{API}/openapi.json").status_code == 200
    with TestClient(create_app(make_settings(sqlite_url, api_docs=True))) as with_docs:
        docs = with_docs.get(f"{API}/docs")
        assert docs.status_code == 200 and "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
        assert "cdn.jsdelivr.net" not in with_docs.get("/").headers["content-security-policy"]


def test_a_short_teacher_token_is_refused_at_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValidationError):
        make_settings(f"sqlite:///{tmp_path / 'm.db'}", teacher_token="x")
    import os
    from unittest import mock

    from api.__main__ import main
    with mock.patch.dict(os.environ, {"MEDIALIT_TEACHER_TOKEN": "short-token", "MEDIALIT_DATA_DIR": str(tmp_path)}):
        assert main(["--port", "0"]) == 2
    assert "at least 22 characters" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["\t=8", "Ada\n", "A\u0007da", " Bea\r"])
def test_display_names_with_control_characters_anywhere_are_refused(client: TestClient, name: str) -> None:
    room = make_classroom(client, names=())
    assert client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": name}).status_code == 422


@pytest.mark.parametrize("name", [" =1+1", "\u00a0=2+2", "  @SUM(1)", " -3+3"])
def test_csv_guards_formulas_behind_leading_spaces(client: TestClient, name: str) -> None:
    room = make_classroom(client, names=(name,))
    attempt = room.start(name)
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name))
    csv = client.get(f"{API}/assignments/{room.assignment_id}/results.csv", headers=TEACHER).text
    assert f",'{name}," in csv or f"\n'{name}," in csv or f",'{name}\r" in csv, csv


def test_405_names_the_allowed_methods(client: TestClient) -> None:
    answer = client.put(f"{API}/health")
    assert answer.status_code == 405 and answer.headers["allow"] == "GET"  # FastAPI's GET routes do not answer HEAD
    assert client.delete(f"{API}/classes", headers=TEACHER).headers["allow"] == "GET, POST"


def test_a_student_token_can_be_revoked_and_replaced(client: TestClient) -> None:
    room = make_classroom(client, names=("Ada",))
    ada = client.get(f"{API}/classes/{room.class_id}", headers=TEACHER).json()["students"][0]["id"]
    issued = client.post(f"{API}/classes/{room.class_id}/students/{ada}/token", headers=TEACHER)
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert client.get(f"{API}/me/assignments", headers=room.as_("Ada")).status_code == 401
    assert client.get(f"{API}/me/assignments", headers={"Authorization": f"Bearer {issued.json()['token']}"}).status_code == 200
