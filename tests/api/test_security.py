"""Tokens, join codes, failed-join limiting, display names and body limits."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from api.app import create_app
from api.store.classes import JOIN_ALPHABET, normalise_join_code
from api.store.tables import StudentRow, TeacherRow
from tests.api.conftest import API, TEACHER, bearer, make_classroom, make_settings


def test_tokens_have_256_bits_and_only_hashes_are_stored(client: TestClient) -> None:
    room = make_classroom(client)
    token = room.students["Ada"]
    assert len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        stored = session.scalars(select(StudentRow.token_hash)).all()
        dump = " ".join(str(v) for row in session.execute(text("SELECT * FROM students")).all() for v in row)
    assert token not in dump and all(len(h) == 64 for h in stored)
    assert client.get(f"{API}/me/assignments", headers=bearer(token + "x")).status_code == 401


def test_teacher_token_is_generated_once_stored_hashed_and_survives_restart(sqlite_url: str) -> None:
    first = create_app(make_settings(sqlite_url, teacher_token=None))
    token = first.state.new_teacher_token
    assert token and len(token) >= 43
    with Session(first.state.engine) as session:
        assert session.scalars(select(TeacherRow.token_hash)).all() != [token]
    second = create_app(make_settings(sqlite_url, teacher_token=None))
    assert second.state.new_teacher_token is None, "the token is printed once, on first start"
    with TestClient(second) as client:
        assert client.get(f"{API}/classes", headers=bearer(token)).status_code == 200
        assert client.get(f"{API}/classes", headers=TEACHER).status_code == 401
        assert client.get(f"{API}/classes").status_code == 401


def test_students_cannot_use_teacher_routes(client: TestClient) -> None:
    room = make_classroom(client)
    assert client.get(f"{API}/classes", headers=room.as_("Ada")).status_code == 401
    assert client.get(f"{API}/assignments/{room.assignment_id}/results", headers=room.as_("Ada")).status_code == 401
    assert client.get(f"{API}/me/assignments", headers=TEACHER).status_code == 401


def test_join_codes_use_an_unambiguous_alphabet_and_forgive_case_and_dashes(client: TestClient) -> None:
    assert not set("01OIL") & set(JOIN_ALPHABET)
    room = make_classroom(client, names=())
    assert len(room.join_code) >= 8 and set(room.join_code) <= set(JOIN_ALPHABET)
    typed = "-".join([room.join_code[:5].lower(), room.join_code[5:]])
    assert normalise_join_code(typed) == room.join_code
    assert client.post(f"{API}/join", json={"join_code": typed, "display_name": "Cy"}).status_code == 201


def test_failed_joins_are_throttled_even_for_a_right_code(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url, join_failures_allowed=3, join_throttle_s=60)), raise_server_exceptions=False) as client:
        room = make_classroom(client, names=())
        for _ in range(4):  # three free failures, then the throttled address's one turn
            wrong = client.post(f"{API}/join", json={"join_code": "ZZZZZZZZZZ", "display_name": "Eve"})
            assert wrong.status_code == 404 and wrong.json()["type"].endswith("/join-code-invalid")
        blocked = client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Eve"})
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
        assert blocked.json()["type"].endswith("/too-many-join-attempts")


def test_display_names_are_checked_and_unique_in_a_class(client: TestClient) -> None:
    room = make_classroom(client, names=("Ada",))
    code = room.join_code
    taken = client.post(f"{API}/join", json={"join_code": code, "display_name": " ada "})
    assert taken.status_code == 409 and taken.json()["type"].endswith("/display-name-taken")
    for bad in ["   ", "a\u0000b", "x\u202ey", "n" * 41]:
        response = client.post(f"{API}/join", json={"join_code": code, "display_name": bad})
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "display_name"


def test_user_text_is_stored_exactly_as_given(client: TestClient) -> None:
    probe = "<script>alert(1)</script>"
    room = make_classroom(client, names=(probe,))
    book = client.get(f"{API}/classes/{room.class_id}", headers=TEACHER)
    assert book.json()["students"][0]["display_name"] == probe
    assert book.headers["content-type"].startswith("application/json")


def test_bodies_over_the_limit_are_refused(client: TestClient) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    huge = {"type": "short_answer", "text": "x" * (70 * 1024)}
    response = client.put(f"{API}/attempts/{attempt['id']}/answers/sa-01", json=huge, headers=room.as_("Ada"))
    assert response.status_code == 413 and response.json()["type"].endswith("/body-too-large")

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(80):
            yield b"x" * 1024

    streamed = client.post(f"{API}/join", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_spans_and_text_lengths_are_limited(client: TestClient) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    spans = [{"start": i, "end": i + 1} for i in range(201)]
    response = client.put(f"{API}/attempts/{attempt['id']}/answers/hl-01", json={"type": "highlight", "spans": spans}, headers=room.as_("Ada"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "spans"
    long_text = client.put(f"{API}/attempts/{attempt['id']}/answers/sa-01", json={"type": "short_answer", "text": "y" * 5001}, headers=room.as_("Ada"))
    assert long_text.status_code == 422


def test_sqlite_runs_in_wal_mode_with_full_sync(client: TestClient, tmp_path: Path) -> None:
    with client.app.state.engine.connect() as connection:  # type: ignore[attr-defined]
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
