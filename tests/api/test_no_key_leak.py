"""Walk every route of the OpenAPI schema as a student and as an anonymous visitor: no key, no
unreleased rationale, no other student's name or work ever comes back.

The tiny test pack marks every secret (rationales, option and match feedback, foil feedback, model
answers) with ``SECRET-``; rubric concepts and key item ids are checked by name.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, WRONG_ANSWERS, make_classroom

OTHER = "Beatrix-Zq"
SECRETS = ["SECRET-", '"correct"', "undermin", '"concepts"', "frm-0", "att-0", "fun-0", "foil-0", '"pairs":{"l1":"r1"', "model_answer", "rationale"]


def _submit(room, name: str, answers: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    attempt = room.start(name)
    for exercise_id, body in answers.items():
        room.client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_(name))
    return room.client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name)).json()


def _bodies(room, exercise_id: str) -> dict[tuple[str, str], Any]:  # type: ignore[no-untyped-def]
    answer = {"type": "label_spans", "spans": [{"exact": "want chaos", "label": "loaded_language"}]}
    return {
        ("POST", "/api/v1/classes"): {"name": "walker"},
        ("POST", "/api/v1/classes/{class_id}/assignments"): {"quiz_id": "tiny-all"},
        ("PATCH", "/api/v1/assignments/{assignment_id}"): {"closed": True},
        ("PUT", "/api/v1/answers/{answer_id}/review"): {"earned": "0"},
        ("POST", "/api/v1/join"): {"join_code": room.join_code, "display_name": f"walker-{uuid.uuid4().hex[:6]}"},
        ("PUT", "/api/v1/attempts/{attempt_id}/answers/{exercise_id}"): answer,
        ("POST", "/api/v1/exercises/{exercise_id}/check"): answer,
        ("POST", "/api/v1/lessons/{lesson_id}/marks/web-annotation"): {"type": "AnnotationCollection"},
    }


def _expand(path: str, values: dict[str, list[Any]]) -> list[str]:
    paths = [path]
    for name in re.findall(r"{(\w+)}", path):
        paths = [p.replace("{" + name + "}", str(v)) for p in paths for v in values[name]]
    return paths


def test_no_key_leak_walking_every_route_as_student_and_anonymous(client: TestClient) -> None:
    due = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    room = make_classroom(client, names=("Ada", OTHER), feedback="after_due", due_at=due)
    mine = _submit(room, "Ada", WRONG_ANSWERS)  # so the key never appears as her own answer
    theirs = _submit(room, OTHER, PERFECT_ANSWERS)
    book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    their_row = next(r for r in book["rows"] if r["display_name"] == OTHER)
    values = {
        "lesson_id": ["tiny-api"], "quiz_id": ["tiny-all"], "exercise_id": ["ls-01"], "class_id": [room.class_id],
        "assignment_id": [room.assignment_id], "attempt_id": [mine["id"], theirs["id"]],
        "answer_id": [their_row["exercises"]["sa-01"]["answer_id"]], "export_format": ["qti", "webanno"],
    }
    schema = client.get(f"{API}/openapi.json").json()
    walked = 0
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = _bodies(room, "ls-01").get((method.upper(), template))
            if "requestBody" in operation:
                assert body is not None, f"the walk needs a body for {method.upper()} {template}"
            for path in _expand(template, values):
                for who, headers in (("anonymous", {}), ("student", room.as_("Ada"))):
                    response = client.request(method.upper(), path, headers=headers, json=body)
                    walked += 1
                    text = response.text
                    where = f"{who} {method.upper()} {path} -> {response.status_code}"
                    assert response.status_code < 500, where
                    for secret in SECRETS:
                        assert secret not in text.replace(" ", ""), f"{secret!r} leaked to {where}"
                    assert OTHER not in text, f"another student's name leaked to {where}"
                    if "teacher" in operation.get("tags", []):
                        assert response.status_code == 401, where
                    if f"/attempts/{theirs['id']}" in path:
                        assert response.status_code in (401, 404), where
    assert walked > 40
