"""Students never see a provisional text score as a verdict; teachers confirm it exactly.

An assignment's result shows "waiting for your teacher" (no score, no met / not-met criteria) until
a teacher reviews the answer; practice shows the rubric as a self-check list, with the model
answer only for exercises that are in no assessment. The review route takes any score the engine
can give (``4/3``, ``1.6``, ``1,6``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import API, PERFECT_ANSWERS, TEACHER, make_classroom, make_settings

SHIPPED = Path(__file__).parents[2] / "lesson" / "packs" / "central-asia-2022"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('shipped') / 'db.sqlite'}"
    with TestClient(create_app(make_settings(url, pack_dirs=(SHIPPED,))), raise_server_exceptions=False) as client:
        yield client


def test_result_waits_for_the_teacher_then_shows_the_reviewed_score(client: TestClient) -> None:
    room = make_classroom(client, feedback="immediate")
    attempt = room.start("Ada")
    for exercise_id, body in PERFECT_ANSWERS.items():
        client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_("Ada"))
    result = client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada")).json()["result"]
    short = next(e for e in result["exercises"] if e["exercise_id"] == "sa-01")
    assert short["earned"] is None and short["waiting_for_teacher"] is True
    assert [f["message"] for f in short["feedback"]] == ["Waiting for your teacher: a teacher reads written answers and gives the score."]
    assert result["waiting_for_teacher"] == 2

    book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    score = book["rows"][0]["exercises"]["sa-01"]
    assert score["status"] == "needs_review" and score["exact"] is not None
    confirmed = client.put(f"{API}/answers/{score['answer_id']}/review", json={"earned": score["exact"]}, headers=TEACHER)
    assert confirmed.status_code == 200 and confirmed.json()["earned"] == score["exact"]
    after = client.get(f"{API}/attempts/{attempt['id']}", headers=room.as_("Ada")).json()["result"]
    short = next(e for e in after["exercises"] if e["exercise_id"] == "sa-01")
    assert short["waiting_for_teacher"] is False and short["reviewed"] is True and short["earned"] is not None
    assert after["waiting_for_teacher"] == 1


@pytest.mark.parametrize(("given", "stored"), [("4/3", "4/3"), ("1.6", "8/5"), ("1,6", "8/5"), (1.6, "8/5"), ("0.5", "1/2")])
def test_review_takes_any_score_the_engine_can_give(client: TestClient, given, stored) -> None:  # type: ignore[no-untyped-def]
    room = make_classroom(client)
    attempt = room.start("Ada")
    client.put(f"{API}/attempts/{attempt['id']}/answers/sa-01", json=PERFECT_ANSWERS["sa-01"], headers=room.as_("Ada"))
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    book = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()
    answer_id = book["rows"][0]["exercises"]["sa-01"]["answer_id"]
    reviewed = client.put(f"{API}/answers/{answer_id}/review", json={"earned": given}, headers=TEACHER)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["earned"] == stored


def test_an_assessed_text_exercise_is_not_checked_in_practice_at_all(client: TestClient) -> None:
    """Its rubric would be a checklist of the answer: the practice route refuses the exercise."""
    checked = client.post(f"{API}/exercises/sa-01/check", json={"type": "short_answer", "text": "They discredit the critics without any evidence at all."})
    assert checked.status_code == 403 and "Says funding discredits" not in checked.text


def test_practice_check_of_a_practice_text_exercise_shows_the_model_answer_and_the_checks(shipped: TestClient) -> None:
    checked = shipped.post(f"{API}/exercises/frm-16/check", json={"type": "rewrite", "text": "Russia."}).json()
    assert checked["earned"] is None
    assert checked["self_check"]["example_answer"] == "The activists also said they condemn Russia and are starting a fundraising campaign for Ukraine."
    assert any("the Kiev regime" in c for c in checked["self_check"]["checklist"])
    assert any("“Russia”" in c for c in checked["self_check"]["checklist"])
    final = shipped.post(f"{API}/exercises/frm-18/check", json={"type": "rewrite", "text": "Ergashev spoke of Odessa."})
    assert final.status_code == 403  # the final's rewrite: answered only inside an attempt
    empty = shipped.post(f"{API}/exercises/frm-16/check", json={"type": "rewrite", "text": ""}).json()
    assert empty["earned"] == 0 and empty["self_check"] is None  # nothing to compare: no answer given


def test_the_gradebook_says_why_a_written_answer_got_no_provisional_points(client: TestClient) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    client.put(f"{API}/attempts/{attempt['id']}/answers/sa-01", json={"type": "short_answer", "text": "Discredit."}, headers=room.as_("Ada"))
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    scores = client.get(f"{API}/assignments/{room.assignment_id}/results", headers=TEACHER).json()["rows"][0]["exercises"]
    assert scores["sa-01"]["flag"] == "the answer has 1 word, too few to make the argument (at least 5 expected)."
    assert scores["sc-01"]["flag"] is None
