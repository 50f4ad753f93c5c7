"""A class through the shipped pre-check, practice and post-check, counterbalanced, and the learning-gain view."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from quizzes.loading import load_shipped_banks
from tests.api.conftest import API, TEACHER, TEACHER_TOKEN, bearer

BANK = load_shipped_banks()["central-asia-2022"]


def _span(item: Any) -> dict[str, int]:
    return {"start": item.start, "end": item.end}


def _right(exercise_id: str) -> dict[str, Any]:
    """The key's own answer to an exercise of the checks."""
    exercise = BANK.exercise(exercise_id)
    annotation = BANK.pack.annotation
    match exercise.type:
        case "single_choice":
            return {"type": "single_choice", "choice": next(o.id for o in exercise.options if o.correct)}
        case "multi_choice":
            return {"type": "multi_choice", "choices": [o.id for o in exercise.options if o.correct]}
        case "highlight":
            return {"type": "highlight", "spans": [_span(annotation.get(i)) for i in exercise.key]}
        case "attribution_roles":
            roles = annotation.get(exercise.claim).roles
            return {"type": "attribution_roles", **{r: _span(getattr(roles, r)) for r in ("source", "cue", "content") if getattr(roles, r)}}
    raise AssertionError(exercise.type)


def _wrong(exercise_id: str) -> dict[str, Any]:
    exercise = BANK.exercise(exercise_id)
    match exercise.type:
        case "single_choice" | "multi_choice":
            wrong = [o.id for o in exercise.options if not o.correct]
            return {"type": "single_choice", "choice": wrong[0]} if exercise.type == "single_choice" else {"type": "multi_choice", "choices": wrong}
        case "highlight":
            return {"type": "highlight", "spans": []}
        case "attribution_roles":
            return {"type": "attribution_roles"}
    raise AssertionError(exercise.type)


@pytest.fixture
def shipped(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=sqlite_url, teacher_token=TEACHER_TOKEN)), raise_server_exceptions=False) as client:
        yield client


def _assign(client: TestClient, class_id: int, quiz_id: str) -> int:
    made = client.post(f"{API}/classes/{class_id}/assignments", json={"quiz_id": quiz_id, "feedback": "none"}, headers=TEACHER)
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _take(client: TestClient, token: str, assignment_id: int, answers: dict[str, dict[str, Any]]) -> None:
    attempt = client.post(f"{API}/assignments/{assignment_id}/attempts", headers=bearer(token)).json()
    for exercise_id, body in answers.items():
        saved = client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=bearer(token))
        assert saved.status_code == 200, saved.text
    assert client.post(f"{API}/attempts/{attempt['id']}/submit", headers=bearer(token)).status_code == 200


def test_counterbalanced_class_pre_practice_post_and_the_gain_view(shipped: TestClient) -> None:
    klass = shipped.post(f"{API}/classes", json={"name": "9B"}, headers=TEACHER).json()
    tokens = {name: shipped.post(f"{API}/join", json={"join_code": klass["join_code"], "display_name": name}).json()["token"]
              for name in ("Ada", "Bea", "Cy")}
    pre_a, pre_b = _assign(shipped, klass["id"], "check-a"), _assign(shipped, klass["id"], "check-b")
    practice = _assign(shipped, klass["id"], "practice-framing")
    post_b, post_a = _assign(shipped, klass["id"], "check-b"), _assign(shipped, klass["id"], "check-a")
    form_a, form_b = BANK.quiz("check-a").exercises, BANK.quiz("check-b").exercises

    _take(shipped, tokens["Ada"], pre_a, {e: _wrong(e) for e in form_a})            # Ada: A first, nothing right
    _take(shipped, tokens["Bea"], pre_b, {e: _right(e) if BANK.exercise(e).skill.value == "framing" else _wrong(e) for e in form_b})
    _take(shipped, tokens["Cy"], pre_a, {e: _right(e) for e in form_a})              # Cy never takes the post-check
    _take(shipped, tokens["Ada"], practice, {"frm-11": _right("frm-11")})
    _take(shipped, tokens["Ada"], post_b, {e: _right(e) for e in form_b})            # Ada: B second, everything right
    _take(shipped, tokens["Bea"], post_a, {e: _right(e) for e in form_a})            # Bea: A second

    view = shipped.get(f"{API}/classes/{klass['id']}/gain", params={"pre": f"{pre_a},{pre_b}", "post": f"{post_b},{post_a}"}, headers=TEACHER)
    assert view.status_code == 200, view.text
    gain = view.json()
    assert gain["paired"] == 2 and gain["only_before"] == ["Cy"] and gain["only_after"] == []
    students = {s["display_name"]: s["skills"] for s in gain["students"]}
    assert students["Ada"]["total"] == {"before": 0.0, "after": 100.0, "raw_gain": 100.0, "normalised_gain": 1.0}
    assert students["Bea"]["framing"]["before"] == 100.0 and students["Bea"]["framing"]["normalised_gain"] is None
    assert students["Bea"]["total"]["before"] == 25.0 and students["Bea"]["total"]["after"] == 100.0   # framing: 3 of 12 points
    assert gain["skills"]["attribution"] == {"before": 0.0, "after": 100.0, "raw_gain": 100.0, "normalised_gain": 1.0}
    assert gain["skills"]["total"]["before"] == 12.5 and gain["skills"]["total"]["normalised_gain"] == 1.0
    before, after = gain["discernment_before"], gain["discernment_after"]
    assert before["hits"] < after["hits"] and after["misses"] == 0 and after["balanced_accuracy"] > before["balanced_accuracy"]

    chart = shipped.get(f"{API}/classes/{klass['id']}/gain.svg", params={"pre": f"{pre_a},{pre_b}", "post": f"{post_b},{post_a}"}, headers=TEACHER)
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert "2 students" in chart.text and "g = 1.00" in chart.text


def test_gain_refuses_an_assignment_of_another_class_and_bad_ids(shipped: TestClient) -> None:
    mine = shipped.post(f"{API}/classes", json={"name": "9B"}, headers=TEACHER).json()
    other = shipped.post(f"{API}/classes", json={"name": "9C"}, headers=TEACHER).json()
    theirs = _assign(shipped, other["id"], "check-a")
    refused = shipped.get(f"{API}/classes/{mine['id']}/gain", params={"pre": str(theirs), "post": str(theirs)}, headers=TEACHER)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert "another class" in refused.json()["detail"]
    malformed = shipped.get(f"{API}/classes/{mine['id']}/gain", params={"pre": "1;2", "post": "3"}, headers=TEACHER)
    assert malformed.status_code == 422
    assert shipped.get(f"{API}/classes/999/gain", params={"pre": "1", "post": "2"}, headers=TEACHER).status_code == 404
