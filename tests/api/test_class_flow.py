"""A whole class through the API: join, answer, submit, see results; the teacher's gradebook, CSV,
analysis, review and regrade. Runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, WRONG_ANSWERS, make_classroom


def _answer_all(room, name, answers):  # type: ignore[no-untyped-def]
    attempt = room.start(name)
    for exercise_id, body in answers.items():
        saved = room.client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_(name))
        assert saved.status_code == 200, saved.text
    return attempt


def test_class_flow_join_answer_submit_and_gradebook(any_client) -> None:  # type: ignore[no-untyped-def]
    room = make_classroom(any_client)
    mine = any_client.get(f"{API}/me/assignments", headers=room.as_("Ada")).json()
    assert [a["id"] for a in mine] == [room.assignment_id] and mine[0]["attempts_used"] == 0

    ada = _answer_all(room, "Ada", PERFECT_ANSWERS)
    assert ada["exercise_order"] == list(PERFECT_ANSWERS)
    again = any_client.post(f"{API}/assignments/{room.assignment_id}/attempts", headers=room.as_("Ada"))
    assert again.status_code == 200 and again.json()["id"] == ada["id"], "starting again resumes the open attempt"
    bea = _answer_all(room, "Bea", WRONG_ANSWERS)

    resumed = any_client.get(f"{API}/attempts/{ada['id']}", headers=room.as_("Ada")).json()
    assert resumed["answers"]["sc-01"] == {"type": "single_choice", "choice": "a"}
    assert resumed["result"] is None and resumed["submitted_at"] is None

    first = any_client.post(f"{API}/attempts/{ada['id']}/submit", headers=room.as_("Ada"))
    second = any_client.post(f"{API}/attempts/{ada['id']}/submit", headers=room.as_("Ada"))
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json(), "submitting twice returns the first result"
    assert any_client.post(f"{API}/attempts/{bea['id']}/submit", headers=room.as_("Bea")).status_code == 200
    after = any_client.get(f"{API}/me/assignments", headers=room.as_("Ada")).json()[0]
    assert after["open_attempt_id"] is None and after["last_submitted_attempt_id"] == ada["id"], \
        "a submitted result opens on any device"

    ada_result = first.json()["result"]
    bea_result = any_client.get(f"{API}/attempts/{bea['id']}", headers=room.as_("Bea")).json()["result"]
    by_exercise = {e["exercise_id"]: e for e in ada_result["exercises"]}
    assert by_exercise["sc-01"]["earned"] == 1 and by_exercise["sc-01"]["status"] == "correct"
    assert {e["exercise_id"]: e for e in bea_result["exercises"]}["sc-01"]["earned"] == 0
    assert ada_result["earned"] > bea_result["earned"]

    late = any_client.put(f"{API}/attempts/{ada['id']}/answers/sc-01", json={"type": "single_choice", "choice": "b"}, headers=room.as_("Ada"))
    assert late.status_code == 409 and late.json()["type"].endswith("/attempt-submitted")

    book = any_client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    rows = {r["display_name"]: r for r in book["rows"]}
    assert set(rows) == {"Ada", "Bea"} and book["in_progress"] == [] and book["not_started"] == []
    assert rows["Ada"]["exercises"]["sc-01"]["earned"] == 1 and rows["Bea"]["exercises"]["sc-01"]["earned"] == 0
    assert "sa-01" in rows["Ada"]["awaiting_review"] and "rw-01" in rows["Ada"]["awaiting_review"]
    # the student's total leaves out the provisional scores that wait for the teacher
    waiting = sum(rows["Ada"]["exercises"][e]["earned"] for e in rows["Ada"]["awaiting_review"])
    assert ada_result["waiting_for_teacher"] == len(rows["Ada"]["awaiting_review"]) == 2
    assert rows["Ada"]["earned"] == pytest.approx(ada_result["earned"] + waiting, abs=0.02)
    assert by_exercise["sa-01"]["earned"] is None and by_exercise["sa-01"]["waiting_for_teacher"] is True
    assert set(rows["Ada"]["skills"]) == {"framing", "attribution", "funding"}

    answer_id = rows["Ada"]["exercises"]["sa-01"]["answer_id"]
    reviewed = any_client.put(f"{API}/answers/{answer_id}/review", json={"earned": "2", "comment": "Well argued"}, headers=TEACHER)
    assert reviewed.status_code == 200, reviewed.text
    history = reviewed.json()["history"]
    assert reviewed.json()["earned"] == "2" and history[-1]["earned"] == "2" and history[-1]["comment"] == "Well argued"
    assert history[-1]["reviewer"] == "Teacher" and history[-1]["provisional"] is not None
    book = any_client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    ada_row = next(r for r in book["rows"] if r["display_name"] == "Ada")
    assert "sa-01" not in ada_row["awaiting_review"] and ada_row["exercises"]["sa-01"]["earned"] == 2

    exported = any_client.get(f"{API}/assignments/{room.assignment_id}/results.csv", headers=TEACHER)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.text)))
    assert table[0][:9] == ["student_id", "display_name", "attempt", "submitted_at", "earned", "possible", "percent", "discernment", "awaiting_review"]
    assert sorted(row[1] for row in table[1:]) == ["Ada", "Bea"]
    assert "sc-01 (1)" in table[0]
    sheet = any_client.get(f"{API}/assignments/{room.assignment_id}/results.csv", params={"layout": "spreadsheet", "tz": "America/New_York"}, headers=TEACHER)
    assert sheet.status_code == 200 and sheet.content.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert header[:3] == ["Student", "Attempt", "Submitted (America/New_York)"] and header[-1] == "Student id"
    assert any(h.startswith("Ex 1: ") for h in header)
    bad_zone = any_client.get(f"{API}/assignments/{room.assignment_id}/results.csv", params={"layout": "spreadsheet", "tz": "Mars/Olympus"}, headers=TEACHER)
    assert bad_zone.status_code == 422 and bad_zone.headers["content-type"].startswith("application/problem+json")

    analysis = any_client.get(f"{API}/assignments/{room.assignment_id}/analysis", headers=TEACHER).json()
    items = {i["exercise_id"]: i for i in analysis["items"]}
    assert analysis["attempts"] == 2 and len(items) == len(PERFECT_ANSWERS)
    assert items["sc-01"]["facility"] == 0.5
    hl = {t["technique"]: t for t in analysis["techniques"]}
    assert hl["loaded_language"]["hits"] >= 2 and hl["loaded_language"]["false_alarms"] >= 1  # Bea marked the foil
    assert analysis["confusion"]["name_calling"]["name_calling"] == 1
    blocks = {b["block_id"]: b for b in analysis["blocks"]}
    assert blocks["b03"]["total"] >= 4 and blocks["b00"]["total"] == 0


def test_student_reaches_only_own_attempts(any_client) -> None:  # type: ignore[no-untyped-def]
    room = make_classroom(any_client)
    bea = room.start("Bea")
    for method, path in [("GET", f"/attempts/{bea['id']}"), ("POST", f"/attempts/{bea['id']}/submit")]:
        response = any_client.request(method, API + path, headers=room.as_("Ada"))
        assert response.status_code == 404 and response.json()["type"].endswith("/not-found")
    put = any_client.put(f"{API}/attempts/{bea['id']}/answers/sc-01", json={"type": "single_choice", "choice": "a"}, headers=room.as_("Ada"))
    assert put.status_code == 404
    assert any_client.get(f"{API}/attempts/{bea['id']}", headers=room.as_("Bea")).json()["answers"] == {}


def test_autosave_is_idempotent_and_last_write_wins(any_client) -> None:  # type: ignore[no-untyped-def]
    room = make_classroom(any_client)
    attempt = room.start("Ada")
    url = f"{API}/attempts/{attempt['id']}/answers/mc-01"
    for body in ({"type": "multi_choice", "choices": ["b"]}, {"type": "multi_choice", "choices": ["a", "c"]}, {"type": "multi_choice", "choices": ["a", "c"]}):
        assert any_client.put(url, json=body, headers=room.as_("Ada")).status_code == 200
    state = any_client.get(f"{API}/attempts/{attempt['id']}", headers=room.as_("Ada")).json()
    assert state["answers"] == {"mc-01": {"type": "multi_choice", "choices": ["a", "c"]}}


def test_unanswered_exercises_score_zero_on_submit(any_client) -> None:  # type: ignore[no-untyped-def]
    room = make_classroom(any_client, quiz_id="tiny-choice")
    attempt = room.start("Ada")
    done = any_client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada")).json()
    assert done["result"]["earned"] == 0 and done["result"]["possible"] == 2
    assert [e["exercise_id"] for e in done["result"]["exercises"]] == ["sc-02", "mc-02"]


def test_answers_export_feeds_the_grading_script_with_the_same_scores(any_client) -> None:  # type: ignore[no-untyped-def]
    """``GET /assignments/{id}/answers`` is quiz-grade's input; grading it offline gives the API's scores."""
    import json

    from quizzes.grader.reading import read_answer_lines
    from quizzes.loading import load_bank
    from quizzes.responses import parse_response
    from quizzes.scoring import score_unfiltered
    from tests.api.conftest import TINY_PACK

    room = make_classroom(any_client)
    for name, answers in (("Ada", PERFECT_ANSWERS), ("Bea", WRONG_ANSWERS)):
        attempt = _answer_all(room, name, answers)
        any_client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_(name))
    exported = any_client.get(f"{API}/assignments/{room.assignment_id}/answers", headers=TEACHER)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/x-ndjson")
    records = list(read_answer_lines(exported.content.splitlines(keepends=True), "export"))
    assert len(records) == 2 * len(PERFECT_ANSWERS) and all(hasattr(r, "student") for r in records)
    assert json.loads(exported.text.splitlines()[0])["response"] == PERFECT_ANSWERS["hl-01"]
    bank = load_bank(TINY_PACK)
    book = {r["display_name"]: r for r in any_client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"]}
    for record in records:
        exercise = bank.exercise(record.exercise)
        offline = score_unfiltered(exercise, parse_response(exercise.type, record.response), bank.pack)
        assert round(float(offline.earned), 2) == book[record.student]["exercises"][record.exercise]["earned"]
    assert any_client.get(f"{API}/assignments/{room.assignment_id}/answers").status_code == 401
