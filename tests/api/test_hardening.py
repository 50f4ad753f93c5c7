"""Findings of the security review (shared/reviews/security.md), one test or more per finding."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api.problems import MAX_REPORTED_ERRORS
from tests.api.conftest import API, make_classroom


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
