"""Assignment rules: feedback release, attempts, windows, shuffle; practice checks; regrade."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.app import create_app
from api.store.tables import AnswerRow
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, TINY_PACK, make_classroom, make_settings


def _submit(room, name, answers):  # type: ignore[no-untyped-def]
    attempt = room.start(name)
    for exercise_id, body in answers.items():
        assert room.client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_(name)).status_code == 200
    done = room.client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name))
    assert done.status_code == 200, done.text
    return done.json()


def test_feedback_after_due_is_released_when_the_assignment_closes(client: TestClient) -> None:
    due = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    room = make_classroom(client, feedback="after_due", due_at=due)
    done = _submit(room, "Ada", PERFECT_ANSWERS)
    assert done["feedback_released"] is False and done["result"] is None
    patched = client.patch(f"{API}/assignments/{room.assignment_id}", json={"closed": True}, headers=TEACHER)
    assert patched.status_code == 200 and patched.json()["state"] == "closed"
    later = client.get(f"{API}/attempts/{done['id']}", headers=room.as_("Ada")).json()
    assert later["feedback_released"] is True and later["result"]["earned"] > 0


def test_feedback_none_never_shows_a_score(client: TestClient) -> None:
    room = make_classroom(client, feedback="none")
    done = _submit(room, "Ada", PERFECT_ANSWERS)
    client.patch(f"{API}/assignments/{room.assignment_id}", json={"closed": True}, headers=TEACHER)
    later = client.get(f"{API}/attempts/{done['id']}", headers=room.as_("Ada")).json()
    assert done["result"] is None and later["result"] is None and later["feedback_released"] is False


def test_exercise_feedback_policy_limits_immediate_feedback(client: TestClient) -> None:
    room = make_classroom(client)
    done = _submit(room, "Ada", {"ls-01": {"type": "label_spans", "spans": [{"exact": "want chaos", "label": "name_calling"}]},
                                 "hl-01": {"type": "highlight", "spans": [{"exact": "slam"}]}})
    views = {e["exercise_id"]: e for e in done["result"]["exercises"]}
    assert all(f["kind"] in ("summary", "invalid") for f in views["ls-01"]["feedback"]), "ls-01 has a summary policy"
    assert "SECRET-RATIONALE" not in json.dumps(views["ls-01"])
    assert any(f["kind"] == "missed" for f in views["hl-01"]["feedback"]), "hl-01 has a full policy: missed spans are shown"


def test_attempts_are_limited_and_resume_until_submitted(client: TestClient) -> None:
    room = make_classroom(client, attempts_allowed=2)
    first = _submit(room, "Ada", {})
    second = room.start("Ada")
    assert second["number"] == 2 and second["id"] != first["id"]
    client.post(f"{API}/attempts/{second['id']}/submit", headers=room.as_("Ada"))
    third = client.post(f"{API}/assignments/{room.assignment_id}/attempts", headers=room.as_("Ada"))
    assert third.status_code == 409 and third.json()["type"].endswith("/attempts-exhausted")
    mine = client.get(f"{API}/me/assignments", headers=room.as_("Ada")).json()[0]
    assert mine["attempts_used"] == 2 and mine["open_attempt_id"] is None


def test_scheduled_and_past_due_assignments_refuse_work(client: TestClient) -> None:
    now = datetime.now(timezone.utc)
    room = make_classroom(client, opens_at=(now + timedelta(hours=1)).isoformat())
    early = client.post(f"{API}/assignments/{room.assignment_id}/attempts", headers=room.as_("Ada"))
    assert early.status_code == 409 and early.json()["type"].endswith("/assignment-not-open")
    open_room = make_classroom(client)
    attempt = open_room.start("Ada")
    client.patch(f"{API}/assignments/{open_room.assignment_id}", json={"due_at": (now - timedelta(minutes=1)).isoformat()}, headers=TEACHER)
    late = client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=open_room.as_("Ada"))
    assert late.status_code == 409 and late.json()["type"].endswith("/assignment-closed")
    extended = client.patch(f"{API}/assignments/{open_room.assignment_id}", json={"due_at": (now + timedelta(days=1)).isoformat()}, headers=TEACHER)
    assert extended.json()["state"] == "open"
    again = client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=open_room.as_("Ada"))
    assert again.status_code == 200


def test_due_before_opens_is_rejected_naming_the_field(client: TestClient) -> None:
    klass = client.post(f"{API}/classes", json={"name": "c"}, headers=TEACHER).json()
    body = {"quiz_id": "tiny-all", "opens_at": "2030-01-02T00:00:00Z", "due_at": "2030-01-01T00:00:00Z"}
    response = client.post(f"{API}/classes/{klass['id']}/assignments", json=body, headers=TEACHER)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "due_at"


def test_shuffle_gives_a_permutation_of_the_quiz(client: TestClient) -> None:
    room = make_classroom(client, shuffle=True)
    assert sorted(room.start("Ada")["exercise_order"]) == sorted(PERFECT_ANSWERS)


def test_practice_check_scores_and_stores_nothing(client: TestClient) -> None:
    right = client.post(f"{API}/exercises/sc-02/check", json={"type": "single_choice", "choice": "a"})
    wrong = client.post(f"{API}/exercises/sc-02/check", json={"type": "single_choice", "choice": "b"})
    assert right.status_code == 200 and right.json()["earned"] == 1 and right.json()["status"] == "correct"
    assert wrong.json()["earned"] == 0
    mismatch = client.post(f"{API}/exercises/sc-02/check", json={"type": "multi_choice", "choices": ["a"]})
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "type"
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count()).select_from(AnswerRow)) == 0


def test_regrade_after_a_key_change_records_old_and_new_scores(tmp_path: Path, sqlite_url: str) -> None:
    pack = tmp_path / "tiny-api"
    shutil.copytree(TINY_PACK, pack)
    with TestClient(create_app(make_settings(sqlite_url, pack_dirs=(pack,))), raise_server_exceptions=False) as client:
        room = make_classroom(client)
        _submit(room, "Ada", {"sc-01": {"type": "single_choice", "choice": "a"}})
        path = pack / "exercises" / "all.json"
        data = json.loads(path.read_text())
        options = next(e for e in data["exercises"] if e["id"] == "sc-01")["options"]
        options[0]["correct"], options[1]["correct"] = False, True
        path.write_text(json.dumps(data))
        regraded = client.post(f"{API}/assignments/{room.assignment_id}/regrade", headers=TEACHER)
        assert regraded.status_code == 200, regraded.text
        entry = next(e for e in regraded.json()["entries"] if e["exercise_id"] == "sc-01")
        assert (entry["old_earned"], entry["new_earned"]) == ("1", "0") and regraded.json()["changed"] >= 1
        row = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"][0]
        assert row["exercises"]["sc-01"]["earned"] == 0


def test_regrade_moves_answers_scored_under_older_rules_to_the_current_scoring_version(client: TestClient) -> None:
    """An answer stored under scoring 1.0 (F1 times the technique-free share) is rescored by the
    current span rules and says so: its entry records both versions, the stored outcome the new one."""
    from quizzes.outcome import SCORING_VERSION

    room = make_classroom(client)
    # the key plus one sentence the key leaves alone: the old guard took most of the credit
    answer = {"type": "highlight", "spans": [*PERFECT_ANSWERS["hl-01"]["spans"], {"exact": "The council meets on Tuesdays."}]}
    _submit(room, "Ada", {"hl-01": answer})
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        row = session.scalars(select(AnswerRow).where(AnswerRow.exercise_id == "hl-01")).one()
        current = row.outcome["earned"]
        row.outcome = {**row.outcome, "earned": "1/4", "status": "partial", "scoring_version": "1.0"}
        session.commit()
    regraded = client.post(f"{API}/assignments/{room.assignment_id}/regrade", headers=TEACHER)
    assert regraded.status_code == 200, regraded.text
    entry = next(e for e in regraded.json()["entries"] if e["exercise_id"] == "hl-01")
    assert (entry["old_version"], entry["new_version"]) == ("1.0", SCORING_VERSION) != ("1.0", "1.0")
    assert (entry["old_earned"], entry["new_earned"]) == ("1/4", current)
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        stored = session.scalars(select(AnswerRow).where(AnswerRow.exercise_id == "hl-01")).one().outcome
    assert stored["scoring_version"] == SCORING_VERSION and stored["earned"] == current


def test_regrade_keeps_a_teachers_review(client: TestClient) -> None:
    room = make_classroom(client)
    _submit(room, "Ada", {"sa-01": PERFECT_ANSWERS["sa-01"]})
    row = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"][0]
    answer_id = row["exercises"]["sa-01"]["answer_id"]
    assert client.put(f"{API}/answers/{answer_id}/review", json={"earned": "3/2"}, headers=TEACHER).status_code == 200
    client.post(f"{API}/assignments/{room.assignment_id}/regrade", headers=TEACHER)
    row = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"][0]
    assert row["exercises"]["sa-01"]["earned"] == 1.5 and "sa-01" not in row["awaiting_review"]


def test_review_rejects_automatic_scores_and_out_of_range_points(client: TestClient) -> None:
    room = make_classroom(client)
    _submit(room, "Ada", {"sc-01": {"type": "single_choice", "choice": "a"}, "sa-01": PERFECT_ANSWERS["sa-01"]})
    row = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"][0]
    auto = client.put(f"{API}/answers/{row['exercises']['sc-01']['answer_id']}/review", json={"earned": 0}, headers=TEACHER)
    assert auto.status_code == 409 and auto.json()["type"].endswith("/not-reviewable")
    too_much = client.put(f"{API}/answers/{row['exercises']['sa-01']['answer_id']}/review", json={"earned": 3}, headers=TEACHER)
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "earned"
    missing = client.put(f"{API}/answers/999999/review", json={"earned": 0}, headers=TEACHER)
    assert missing.status_code == 404


def test_teacher_content_routes_show_the_key(client: TestClient) -> None:
    key = client.get(f"{API}/quizzes/tiny-all/key", headers=TEACHER)
    assert key.status_code == 200 and "SECRET-RATIONALE-frm01" in key.text and '"correct":true' in key.text.replace(" ", "")
    notes = client.get(f"{API}/lessons/tiny-api/annotations", headers=TEACHER).json()
    assert {i["id"] for i in notes["items"]} >= {"att-01", "frm-01", "foil-01"}
    first = notes["items"][0]
    assert {"id", "skill", "labels", "start", "end", "quote", "voice", "rationale"} <= set(first)
    assert client.get(f"{API}/quizzes/tiny-all/key").status_code == 401
