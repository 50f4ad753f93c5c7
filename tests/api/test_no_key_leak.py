"""Walk every route and method of the OpenAPI schema as an anonymous visitor, as a student before
and after release and as a student of another class: no key, no unreleased rationale, no other
student's name or work ever comes back, and an assessment is never scored outside an attempt.

The tiny test pack marks every secret (rationales, option and match feedback, foil feedback, model
answers) with ``SECRET-``; rubric concepts and key item ids are checked by name.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from quizzes.loading import load_shipped_banks
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, TEACHER_TOKEN, WRONG_ANSWERS, bearer, make_classroom, make_settings

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
        ("POST", "/api/v1/classes/{class_id}/teachers"): {"teacher_id": 1},
        ("POST", "/api/v1/admin/teachers"): {"display_name": "walker"},
        ("POST", "/api/v1/join"): {"join_code": room.join_code, "display_name": f"walker-{uuid.uuid4().hex[:6]}"},
        ("PUT", "/api/v1/attempts/{attempt_id}/answers/{exercise_id}"): answer,
        ("POST", "/api/v1/exercises/{exercise_id}/check"): answer,
        ("POST", "/api/v1/lessons/{lesson_id}/marks/web-annotation"): {"type": "AnnotationCollection"},
        ("POST", "/api/v1/studio/import"): {"text": "A title\n\nA body."},
        ("POST", "/api/v1/studio/suggestions"): {"pack": {}, "text": "A body."},
        ("POST", "/api/v1/studio/lint"): {"pack": {}, "text": "A body."},
        ("POST", "/api/v1/studio/packs"): {"format": "medialit-pack"},
        ("PUT", "/api/v1/studio/packs/{pack_id}"): {"pack": {}, "text": "A body."},
    }


def _expand(path: str, values: dict[str, list[Any]]) -> list[str]:
    paths = [path]
    for name in re.findall(r"{(\w+)}", path):
        paths = [p.replace("{" + name + "}", str(v)) for p in paths for v in values[name]]
    return paths


def test_no_key_leak_walking_every_route_as_student_and_anonymous(client: TestClient) -> None:
    due = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    room = make_classroom(client, names=("Ada", OTHER), feedback="after_due", due_at=due)
    elsewhere = make_classroom(client, quiz_id="tiny-choice", names=("Cyd",))
    mine = _submit(room, "Ada", WRONG_ANSWERS)  # so the key never appears as her own answer
    theirs = _submit(room, OTHER, PERFECT_ANSWERS)
    book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    their_row = next(r for r in book["rows"] if r["display_name"] == OTHER)
    values = {
        "lesson_id": ["tiny-api"], "quiz_id": ["tiny-all"], "exercise_id": ["ls-01"], "class_id": [room.class_id],
        "assignment_id": [room.assignment_id], "attempt_id": [mine["id"], theirs["id"]],
        "answer_id": [their_row["exercises"]["sa-01"]["answer_id"]], "export_format": ["qti", "webanno"], "pack_id": ["tiny-api"],
        "student_id": [their_row["student_id"]], "teacher_id": [1],
    }
    schema = client.get(f"{API}/openapi.json").json()
    walked = 0
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = _bodies(room, "ls-01").get((method.upper(), template))
            if "requestBody" in operation:
                assert body is not None, f"the walk needs a body for {method.upper()} {template}"
            for path in _expand(template, values):
                for who, headers in (("anonymous", {}), ("student", room.as_("Ada")), ("another class's student", elsewhere.as_("Cyd"))):
                    response = client.request(method.upper(), path, headers=headers, json=body)
                    walked += 1
                    text = response.text
                    where = f"{who} {method.upper()} {path} -> {response.status_code}"
                    assert response.status_code < 500, where
                    for secret in SECRETS:
                        assert secret not in text.replace(" ", ""), f"{secret!r} leaked to {where}"
                    assert OTHER not in text, f"another student's name leaked to {where}"
                    if {"teacher", "admin"} & set(operation.get("tags", [])):
                        assert response.status_code == 401, where
                    if f"/attempts/{theirs['id']}" in path:
                        assert response.status_code in (401, 404), where
                    if template.endswith("/check"):
                        assert response.status_code == 403, where  # ls-01 belongs to an assessment
                    if template in ("/api/v1/quizzes/{quiz_id}", "/api/v1/exercises/{exercise_id}") and who != "student":
                        assert response.status_code == 403, where
    assert walked > 40


# --- The shipped pack: no exam key through the practice route, no exam questions before they open ---

_EMPTY = {
    "highlight": {"spans": []}, "label_spans": {"spans": []}, "single_choice": {"choice": "a"}, "multi_choice": {"choices": []},
    "match": {"pairs": {}}, "attribution_roles": {}, "short_answer": {"text": "I think so."}, "rewrite": {"text": "A sentence."},
}


@pytest.fixture(scope="module")
def shipped_banks():  # type: ignore[no-untyped-def]
    return load_shipped_banks()


@pytest.fixture
def shipped(tmp_path: Path):  # type: ignore[no-untyped-def]
    with TestClient(create_app(make_settings(f"sqlite:///{tmp_path / 'shipped.db'}", pack_dirs=())), raise_server_exceptions=False) as c:
        yield c


def _secrets_of(bank, exercise) -> list[str]:  # type: ignore[no-untyped-def]
    """Every rationale and key quote an exercise draws on, and its option and match feedback."""
    annotation = bank.pack.annotation
    found = [annotation.get(i).rationale for i in exercise.referenced_items() if annotation.has(i)]
    found += [annotation.get(i).quote for i in exercise.referenced_items() if annotation.has(i) and len(annotation.get(i).quote) > 12]
    found += [o.feedback for o in getattr(exercise, "options", None) or ()]
    return [s for s in found if s]


def test_no_exercise_of_an_assessment_or_check_is_scored_by_the_practice_route(shipped, shipped_banks) -> None:  # type: ignore[no-untyped-def]
    made = shipped.post(f"{API}/classes", json={"name": "9B"}, headers=TEACHER).json()
    for quiz_id in ("final", "check-a", "check-b"):
        assert shipped.post(f"{API}/classes/{made['id']}/assignments", json={"quiz_id": quiz_id, "feedback": "immediate"}, headers=TEACHER).status_code == 201
    student = shipped.post(f"{API}/join", json={"join_code": made["join_code"], "display_name": "Ada"}).json()["token"]
    checked = 0
    for bank in shipped_banks.values():
        for quiz in bank.quizzes.values():
            if quiz.kind.value == "practice":
                continue
            for exercise in bank.quiz_exercises(quiz.id):
                body = {"type": exercise.type, **_EMPTY[exercise.type]}
                for who, headers in (("anonymous", {}), ("assigned student", bearer(student)), ("teacher", bearer(TEACHER_TOKEN))):
                    response = shipped.post(f"{API}/exercises/{exercise.id}/check", json=body, headers=headers)
                    checked += 1
                    where = f"{who} checking {exercise.id} of {quiz.id} -> {response.status_code}"
                    assert response.status_code == 403, where
                    assert response.json()["type"].endswith("/not-a-practice-exercise"), where
                    for secret in _secrets_of(bank, exercise):
                        assert secret not in response.text, where
    exam_exercises = sum(len(q.exercises) for b in shipped_banks.values() for q in b.quizzes.values() if q.kind.value != "practice")
    assert checked == 3 * exam_exercises and exam_exercises >= 30


def test_every_practice_exercise_is_still_checkable_and_holds_no_exam_exercise(shipped, shipped_banks) -> None:  # type: ignore[no-untyped-def]
    for bank in shipped_banks.values():
        exam = {e for q in bank.quizzes.values() if q.kind.value != "practice" for e in q.exercises}
        for quiz in bank.quizzes.values():
            if quiz.kind.value != "practice":
                continue
            assert not exam & set(quiz.exercises), f"{quiz.id} holds exam exercises {sorted(exam & set(quiz.exercises))}"
            for exercise in bank.quiz_exercises(quiz.id):
                response = shipped.post(f"{API}/exercises/{exercise.id}/check", json={"type": exercise.type, **_EMPTY[exercise.type]})
                assert response.status_code == 200, (exercise.id, response.text)


def test_exam_questions_are_shown_only_to_the_teacher_and_assigned_students_once_open(shipped) -> None:  # type: ignore[no-untyped-def]
    later = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    scheduled = shipped.post(f"{API}/classes", json={"name": "scheduled"}, headers=TEACHER).json()
    opened = shipped.post(f"{API}/classes", json={"name": "opened"}, headers=TEACHER).json()
    other = shipped.post(f"{API}/classes", json={"name": "no final"}, headers=TEACHER).json()
    shipped.post(f"{API}/classes/{scheduled['id']}/assignments", json={"quiz_id": "final", "opens_at": later}, headers=TEACHER)
    shipped.post(f"{API}/classes/{opened['id']}/assignments", json={"quiz_id": "final"}, headers=TEACHER)
    shipped.post(f"{API}/classes/{other['id']}/assignments", json={"quiz_id": "check-a"}, headers=TEACHER)
    token = {k: shipped.post(f"{API}/join", json={"join_code": c["join_code"], "display_name": "Sam"}).json()["token"]
             for k, c in (("scheduled", scheduled), ("opened", opened), ("other", other))}
    cases = [
        ({}, 403), (bearer("not-a-token"), 403), (bearer(token["scheduled"]), 403), (bearer(token["other"]), 403),
        (bearer(token["opened"]), 200), (TEACHER, 200),
    ]
    for headers, status in cases:
        assert shipped.get(f"{API}/quizzes/final", headers=headers).status_code == status, headers
        assert shipped.get(f"{API}/exercises/att-04", headers=headers).status_code == status, headers
    assert shipped.get(f"{API}/quizzes/practice-framing").status_code == 200
    assert shipped.get(f"{API}/exercises/frm-02").status_code == 200
    assert shipped.get(f"{API}/quizzes/check-a", headers=bearer(token["other"])).status_code == 200
    refused = shipped.get(f"{API}/quizzes/final")
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "assign" in refused.json()["detail"]
