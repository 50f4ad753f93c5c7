"""The class debrief and the students' class view: released only, nobody named, and no class
figure at all for a group smaller than the minimum (MEDIALIT_DEBRIEF_MIN_GROUP)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, WRONG_ANSWERS, make_classroom, make_settings

NAMES = ("Ada", "Bea", "Cem", "Dov", "Eli", "Fay")


def _submit(room, name: str, answers: dict[str, Any]) -> int:  # type: ignore[no-untyped-def]
    attempt = room.start(name)
    for exercise_id, body in answers.items():
        room.client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_(name))
    done = room.client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name))
    assert done.status_code == 200, done.text
    return int(attempt["id"])


@pytest.fixture
def small_group(tmp_path: Path):  # type: ignore[no-untyped-def]
    with TestClient(create_app(make_settings(f"sqlite:///{tmp_path / 'd.db'}", debrief_min_group=3)), raise_server_exceptions=False) as c:
        yield c


def test_debrief_opens_only_once_feedback_is_released(client: TestClient) -> None:
    room = make_classroom(client, names=NAMES[:2], feedback="after_due")
    attempt = _submit(room, "Ada", PERFECT_ANSWERS)
    early = client.get(f"{API}/assignments/{room.assignment_id}/debrief", headers=TEACHER)
    assert early.status_code == 409 and early.json()["type"].endswith("/debrief-not-released")
    assert "closed" in early.json()["detail"]
    assert client.get(f"{API}/attempts/{attempt}/class", headers=room.as_("Ada")).status_code == 409
    client.patch(f"{API}/assignments/{room.assignment_id}", json={"closed": True}, headers=TEACHER)
    assert client.get(f"{API}/assignments/{room.assignment_id}/debrief", headers=TEACHER).status_code == 200
    assert client.get(f"{API}/attempts/{attempt}/class", headers=room.as_("Ada")).status_code == 200


def test_debrief_is_for_the_teacher_and_the_class_view_for_the_attempts_owner(client: TestClient) -> None:
    room = make_classroom(client, names=NAMES[:2])
    mine = _submit(room, "Ada", PERFECT_ANSWERS)
    assert client.get(f"{API}/assignments/{room.assignment_id}/debrief").status_code == 401
    assert client.get(f"{API}/assignments/{room.assignment_id}/debrief", headers=room.as_("Ada")).status_code == 401
    assert client.get(f"{API}/attempts/{mine}/class").status_code == 401
    assert client.get(f"{API}/attempts/{mine}/class", headers=room.as_("Bea")).status_code == 404


def test_a_group_below_the_minimum_shows_no_class_figure(client: TestClient) -> None:
    room = make_classroom(client, names=NAMES[:4])  # default minimum group: 5
    attempts = [_submit(room, n, PERFECT_ANSWERS if k % 2 else WRONG_ANSWERS) for k, n in enumerate(NAMES[:4])]
    body = client.get(f"{API}/assignments/{room.assignment_id}/debrief", headers=TEACHER).json()
    assert body["withheld"] is True and body["students"] == 4 and body["min_group"] == 5 and body["proposals"] == []
    for exercise in body["exercises"]:
        assert exercise["heat"] is None
        assert exercise["items"], "the released key is still walked through"
        assert all(i["students"] is None and i["share"] is None for i in exercise["items"])
    view = client.get(f"{API}/attempts/{attempts[1]}/class", headers=room.as_(NAMES[1])).json()
    assert view["withheld"] is True and view["classmates"] is None
    assert all(e["heat"] is None and all(m["classmates"] is None for m in e["mine"]) for e in view["exercises"])
    assert any(e["mine"] for e in view["exercises"]), "the student's own marks are still shown"


def test_the_debrief_counts_students_not_marks_and_names_nobody(client: TestClient) -> None:
    room = make_classroom(client, names=NAMES)
    doubled = dict(PERFECT_ANSWERS)
    doubled["hl-01"] = {"type": "highlight", "spans": [{"exact": "slam"}, {"exact": "slam"}, {"exact": "so-called reformers"}]}
    for k, name in enumerate(NAMES):
        _submit(room, name, doubled if k < 4 else WRONG_ANSWERS)
    response = client.get(f"{API}/assignments/{room.assignment_id}/debrief", headers=TEACHER)
    body = response.json()
    assert body["withheld"] is False and body["students"] == 6
    for name in NAMES:
        assert name not in response.text
    highlight = next(e for e in body["exercises"] if e["exercise_id"] == "hl-01")
    found = {i["quote"]: i["students"] for i in highlight["items"] if i["kind"] == "key"}
    assert found["slam"] == 4 and found["want chaos"] == 0
    assert max(run["students"] for run in highlight["heat"]) <= 6
    slam = client.app.state.catalog.pack("tiny-api").article.text.index("slam")  # type: ignore[attr-defined]
    assert any(r["start"] <= slam < r["end"] and r["students"] == 4 for r in highlight["heat"])
    assert any(step["reason"] == "most_missed" and step["item_id"] for step in body["proposals"])
    assert all(i["rationale"] for e in body["exercises"] for i in e["items"])


def test_the_class_view_counts_classmates_without_the_student(small_group: TestClient) -> None:
    room = make_classroom(small_group, names=NAMES[:3])
    ids = {n: _submit(room, n, PERFECT_ANSWERS if n != "Cem" else WRONG_ANSWERS) for n in NAMES[:3]}
    response = small_group.get(f"{API}/attempts/{ids['Ada']}/class", headers=room.as_("Ada"))
    view = response.json()
    assert view["withheld"] is False and view["classmates"] == 2
    highlight = next(e for e in view["exercises"] if e["exercise_id"] == "hl-01")
    by_quote = {m["quote"]: m["classmates"] for m in highlight["mine"]}
    assert by_quote["slam"] == 1  # Bea marked it too; Cem did not
    for name in ("Bea", "Cem"):
        assert name not in response.text
