"""Every error path answers with RFC 9457 ``application/problem+json`` and a stable ``type`` per kind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import MEDIA_TYPE, PROBLEM_BASE, STATUS_BY_SLUG
from tests.api.conftest import API, TEACHER, TINY_PACK, bearer, make_classroom, make_settings


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == MEDIA_TYPE
    body = response.json()
    assert body["type"] == PROBLEM_BASE + slug
    assert body["status"] == status and isinstance(body["title"], str) and isinstance(body["detail"], str)
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


CASES = [
    ("GET", "/api/v1/no-such-route", {}, None, 404, "not-found"),
    ("DELETE", f"{API}/health", {}, None, 405, "method-not-allowed"),
    ("GET", f"{API}/classes", {}, None, 401, "unauthorized"),
    ("GET", f"{API}/classes", bearer("not-a-token"), None, 401, "unauthorized"),
    ("GET", f"{API}/me/assignments", {}, None, 401, "unauthorized"),
    ("PUT", f"{API}/attempts/1/answers/sc-01", {}, {"type": "single_choice", "choice": "a"}, 401, "unauthorized"),
    ("PUT", f"{API}/attempts/1/answers/sc-01", bearer("not-a-token"), {"type": "single_choice", "choice": "a"}, 401, "unauthorized"),
    ("GET", f"{API}/lessons/no-such-lesson", {}, None, 404, "not-found"),
    ("GET", f"{API}/quizzes/no-such-quiz", {}, None, 404, "not-found"),
    ("GET", f"{API}/exercises/no-such-exercise", {}, None, 404, "not-found"),
    ("POST", f"{API}/exercises/no-such-exercise/check", {}, {"type": "single_choice", "choice": "a"}, 404, "not-found"),
    ("GET", f"{API}/quizzes/no-such-quiz/key", TEACHER, None, 404, "not-found"),
    ("GET", f"{API}/classes/999", TEACHER, None, 404, "not-found"),
    ("GET", f"{API}/assignments/999", TEACHER, None, 404, "not-found"),
    ("GET", f"{API}/assignments/999/results.csv", TEACHER, None, 404, "not-found"),
    ("POST", f"{API}/classes/999/assignments", TEACHER, {"quiz_id": "tiny-all"}, 404, "not-found"),
    ("POST", f"{API}/join", {}, {"join_code": "ABCDEFGHJK", "display_name": "Zed"}, 404, "join-code-invalid"),
]


@pytest.mark.parametrize(("method", "path", "headers", "body", "status", "slug"), CASES, ids=[f"{c[0]} {c[1]} {c[4]}" for c in CASES])
def test_error_shape_of_each_path(client: TestClient, method: str, path: str, headers: dict[str, str], body: Any, status: int, slug: str) -> None:
    assert_problem(client.request(method, path, headers=headers, json=body), status, slug)


def test_error_shape_unauthorized_names_the_scheme(client: TestClient) -> None:
    assert client.get(f"{API}/classes").headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("path", "payload", "field"), [
    ("/classes", {}, "name"),
    ("/classes", {"name": "x", "colour": "red"}, "colour"),
    ("/classes", {"name": ""}, "name"),
])
def test_error_shape_validation_names_the_field(client: TestClient, path: str, payload: dict[str, Any], field: str) -> None:
    body = assert_problem(client.post(API + path, json=payload, headers=TEACHER), 422, "validation-error")
    assert [e["field"] for e in body["errors"]] == [field]
    assert field in body["detail"]


def test_error_shape_path_and_json_errors(client: TestClient) -> None:
    body = assert_problem(client.get(f"{API}/classes/abc", headers=TEACHER), 422, "validation-error")
    assert body["errors"][0]["field"] == "class_id"
    broken = client.post(f"{API}/classes", content=b"{not json", headers={**TEACHER, "Content-Type": "application/json"})
    assert_problem(broken, 422, "validation-error")


def test_error_shape_answer_validation_names_nested_fields(client: TestClient) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    bad = {"type": "highlight", "spans": [{"start": -1, "end": 3}]}
    body = assert_problem(client.put(f"{API}/attempts/{attempt['id']}/answers/hl-01", json=bad, headers=room.as_("Ada")), 422, "validation-error")
    assert body["errors"][0]["field"] == "spans[0].start"
    wrong_type = {"type": "single_choice", "choice": "a"}
    body = assert_problem(client.put(f"{API}/attempts/{attempt['id']}/answers/hl-01", json=wrong_type, headers=room.as_("Ada")), 422, "validation-error")
    assert body["errors"][0]["field"] == "type"
    assert_problem(client.put(f"{API}/attempts/{attempt['id']}/answers/zz-99", json=wrong_type, headers=room.as_("Ada")), 404, "not-found")


def test_error_shape_conflicts(client: TestClient) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    assert_problem(client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=room.as_("Ada")), 409, "attempt-submitted")
    assert_problem(client.post(f"{API}/assignments/{room.assignment_id}/attempts", headers=room.as_("Ada")), 409, "attempts-exhausted")
    assert_problem(client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": "Ada"}), 409, "display-name-taken")
    client.patch(f"{API}/assignments/{room.assignment_id}", json={"closed": True}, headers=TEACHER)
    assert_problem(client.post(f"{API}/assignments/{room.assignment_id}/attempts", headers=room.as_("Bea")), 409, "assignment-closed")


def test_error_shape_body_too_large(client: TestClient) -> None:
    assert_problem(client.post(f"{API}/join", content=b"x" * (65 * 1024), headers={"Content-Type": "application/json"}), 413, "body-too-large")


def test_error_shape_too_many_joins(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url, join_failures_allowed=1, join_throttle_s=60)), raise_server_exceptions=False) as client:
        for _ in range(2):  # the free failure, then the throttled address's turn
            client.post(f"{API}/join", json={"join_code": "ABCDEFGHJK", "display_name": "Zed"})
        assert_problem(client.post(f"{API}/join", json={"join_code": "ABCDEFGHJK", "display_name": "Zed"}), 429, "too-many-join-attempts")


def test_error_shape_broken_pack_on_regrade(tmp_path: Path, sqlite_url: str) -> None:
    pack = tmp_path / "tiny-api"
    shutil.copytree(TINY_PACK, pack)
    with TestClient(create_app(make_settings(sqlite_url, pack_dirs=(pack,))), raise_server_exceptions=False) as client:
        room = make_classroom(client)
        (pack / "quizzes.json").write_text("{broken")
        body = assert_problem(client.post(f"{API}/assignments/{room.assignment_id}/regrade", headers=TEACHER), 409, "pack-invalid")
        assert "quizzes.json" in body["detail"]
        assert client.get(f"{API}/quizzes/tiny-all", headers=TEACHER).status_code == 200, "the old banks stay in place"


def test_error_shape_unexpected_errors_hide_their_details(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url))

    def explode() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    app.add_api_route("/api/v1/explode", explode)
    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the static client mounted at /

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/explode")
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in json.dumps(body)


def test_error_shape_every_slug_has_a_status() -> None:
    assert all(400 <= status < 600 for status in STATUS_BY_SLUG.values())
