"""Options shuffled per attempt: drawn once at the start, the same on resume, in the result and in the export."""

from __future__ import annotations

import json

from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, make_classroom

NAMES = tuple(f"Student {k}" for k in range(12))


def _orders(attempt: dict) -> dict[str, list[str]]:
    out = {}
    for view in attempt["exercises"]:
        if view["options"] is not None:
            out[view["id"]] = [o["id"] for o in view["options"]]
        elif view["right"] is not None:
            out[view["id"]] = [i["id"] for i in view["right"]]
    return out


def test_an_attempt_keeps_its_option_order_on_resume_submit_result_and_export(client):
    room = make_classroom(client, names=("Ada",))
    started = room.start("Ada")
    orders = _orders(started)
    assert set(orders) == {"sc-01", "mc-01", "ma-01"}
    assert [v["id"] for v in started["exercises"]] == started["exercise_order"]
    assert _orders(room.start("Ada")) == orders  # resumed
    assert _orders(client.get(f"{API}/attempts/{started['id']}", headers=room.as_("Ada")).json()) == orders
    for exercise_id in ("sc-01", "mc-01", "ma-01"):
        saved = client.put(f"{API}/attempts/{started['id']}/answers/{exercise_id}", json=PERFECT_ANSWERS[exercise_id], headers=room.as_("Ada"))
        assert saved.status_code == 200, saved.text
    submitted = client.post(f"{API}/attempts/{started['id']}/submit", headers=room.as_("Ada")).json()
    assert _orders(submitted) == orders
    multi = next(o for o in submitted["result"]["exercises"] if o["exercise_id"] == "mc-01")
    assert multi["earned"] == multi["possible"]  # scored by id, whatever the order
    shown = [f["message"] for f in multi["feedback"] if f["kind"] == "option"]
    expected = {"a": "SECRET-OPTFEEDBACK-mc-a", "c": "SECRET-OPTFEEDBACK-mc-c"}
    assert shown == [expected[i] for i in orders["mc-01"] if i in expected]
    lines = [json.loads(line) for line in client.get(f"{API}/assignments/{room.assignment_id}/answers", headers=TEACHER).text.splitlines()]
    exported = {line["exercise"]: line.get("option_order") for line in lines}
    assert {k: exported[k] for k in orders} == orders


def test_each_attempt_draws_its_own_order(client):
    room = make_classroom(client, names=NAMES)
    drawn = {tuple(_orders(room.start(name))["mc-01"]) for name in NAMES}
    assert len(drawn) > 1  # 12 draws of 6 orders all alike: (1/6)**11
    assert all(sorted(order) == ["a", "b", "c"] for order in drawn)


def test_practice_views_are_shuffled_and_checked_by_id(client):
    drawn = {tuple(o["id"] for o in client.get(f"{API}/exercises/mc-02").json()["options"]) for _ in range(20)}
    assert len(drawn) > 1
    quiz = client.get(f"{API}/quizzes/tiny-choice").json()
    assert {e["id"] for e in quiz["exercises"]} == {"sc-02", "mc-02"}
    teacher_view = {tuple(o["id"] for o in client.get(f"{API}/exercises/mc-01", headers=TEACHER).json()["options"]) for _ in range(20)}
    assert len(teacher_view) > 1  # an assessment's preview is shuffled too
    checked = client.post(f"{API}/exercises/mc-02/check", json={"type": "multi_choice", "choices": ["c", "a"]})
    assert checked.status_code == 200, checked.text
    assert checked.json()["earned"] == checked.json()["possible"]


def test_a_pinned_option_keeps_its_place_in_every_attempt(tmp_path, sqlite_url):
    import shutil

    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import TINY_PACK, make_settings

    pack = tmp_path / "tiny-api"
    shutil.copytree(TINY_PACK, pack)
    path = pack / "exercises" / "all.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for multi in (e for e in data["exercises"] if e["id"] in ("mc-01", "mc-02")):
        multi["options"].append({"id": "d", "text": "None of these", "correct": False, "feedback": "Two of them are true.", "pinned": True})
    path.write_text(json.dumps(data), encoding="utf-8")
    with TestClient(create_app(make_settings(sqlite_url, pack_dirs=(pack,))), raise_server_exceptions=False) as client:
        room = make_classroom(client, names=NAMES)
        drawn = {tuple(_orders(room.start(name))["mc-01"]) for name in NAMES}
        assert len(drawn) > 1 and {order[-1] for order in drawn} == {"d"}
        practice = {tuple(o["id"] for o in client.get(f"{API}/exercises/mc-02").json()["options"])[-1] for _ in range(10)}
        assert practice == {"d"}
