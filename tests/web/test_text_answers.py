"""Written answers in the browser: a student never sees a provisional score as a verdict, and the
teacher confirms it exactly in one click or types any score (0.75, 2/3).

Assignments show "Waiting for your teacher" until the review; practice shows the rubric as a
self-check list, and an example answer where the server sends one.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.web.conftest import TEACHER_TOKEN, check_screen

pytestmark = pytest.mark.browser

REWRITE = "People called the plan too risky."   # loaded term gone, "Critics" dropped: provisional 3/4
SHORT = "The sentence gives no source for the claim and attacks the council's funding instead of its reasons."


def _student_session(v, token: str, name: str) -> None:  # type: ignore[no-untyped-def]
    v.goto("#/")
    v.page.evaluate("([t, n]) => localStorage.setItem('medialit.student', JSON.stringify({token: t, name: n}))", [token, name])


def _sign_in(v) -> None:  # type: ignore[no-untyped-def]
    v.goto("#/teacher")
    v.page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    v.page.get_by_role("button", name="Sign in").click()
    v.page.get_by_role("heading", name="Your classes").wait_for()


def _history(server, assignment_id: int, name: str, exercise_id: str):  # type: ignore[no-untyped-def]
    book = server.api("GET", f"/assignments/{assignment_id}/results").json()
    row = next(r for r in book["rows"] if r["display_name"] == name)
    return row["exercises"][exercise_id]


def test_result_waits_for_the_teacher_who_confirms_in_one_click(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Written"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-all", "feedback": "immediate"}).json()
    token = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": "Rina"}).json()["token"]
    attempt = server.api("POST", f"/assignments/{assignment['id']}/attempts", token=token).json()
    for exercise_id, body in (("t-rewrite", {"type": "rewrite", "text": REWRITE}), ("t-short", {"type": "short_answer", "text": SHORT})):
        r = server.api("PUT", f"/attempts/{attempt['id']}/answers/{exercise_id}", token=token, json=body)
        assert r.status_code in (200, 201), r.text
    assert server.api("POST", f"/attempts/{attempt['id']}/submit", token=token).status_code == 200

    student = visit()
    _student_session(student, token, "Rina")
    student.goto(f"#/result/{attempt['id']}")
    page = student.page
    rewrite = page.locator(".result-ex").filter(has_text="Rewrite")
    rewrite.locator("summary").click()  # each exercise's feedback opens from its line
    rewrite.get_by_test_id("waiting").wait_for()
    assert "Waiting for your teacher" in rewrite.inner_text()
    assert "Score:" not in rewrite.inner_text() and "Met" not in rewrite.inner_text()
    assert "2 written answers are waiting for your teacher" in page.get_by_test_id("total").inner_text()
    check_screen(page, "student-10-waiting")

    teacher = visit()
    _sign_in(teacher)
    teacher.goto(f"#/teacher/assignment/{assignment['id']}")
    tpage = teacher.page
    tpage.get_by_role("tab", name="Review queue").click()
    item = tpage.get_by_test_id("review-item").filter(has_text="Rina — Rewrite")
    item.wait_for()
    assert item.get_by_test_id("flag").count() == 0
    assert item.get_by_label(re.compile("^Score")).input_value() == "0.75"
    check_screen(tpage, "teacher-11-confirm")
    item.get_by_role("button", name="Confirm 0.75").click()
    tpage.wait_for_function("() => document.querySelectorAll('[data-testid=review-item]').length === 1", timeout=15000)
    assert _history(server, assignment["id"], "Rina", "t-rewrite")["exact"] == "3/4"

    # Any value the engine can produce can be typed; nonsense is refused before it is sent.
    short = tpage.get_by_test_id("review-item").filter(has_text="Rina — Explain")
    short.get_by_label(re.compile("^Score")).fill("two")
    short.get_by_role("button", name="Save score").click()
    short.get_by_role("alert").wait_for()
    assert "fraction such as 4/3" in short.get_by_role("alert").inner_text()
    short.get_by_label(re.compile("^Score")).fill("2/3")
    short.get_by_role("button", name="Save score").click()
    tpage.get_by_text("Nothing waits for review.").wait_for()
    assert _history(server, assignment["id"], "Rina", "t-short")["exact"] == "2/3"

    page.reload()
    rewrite = page.locator(".result-ex").filter(has_text="Rewrite")
    rewrite.locator("summary").click()
    rewrite.get_by_test_id("outcome").wait_for()
    assert "You earned 0.8 of 1 point" in rewrite.inner_text() and "Reviewed by your teacher" in rewrite.inner_text()
    assert "waiting" not in page.get_by_test_id("total").inner_text()


def test_practice_shows_a_self_check_list_not_a_verdict(visit) -> None:
    v = visit()
    page = v.page
    v.goto("#/practice/tiny-practice/7")
    page.get_by_label("Your answer").fill(SHORT)
    page.get_by_test_id("check").click()
    check = page.get_by_test_id("self-check")
    check.wait_for()
    outcome = page.get_by_test_id("outcome").inner_text()
    assert "Score:" not in outcome and "Met:" not in outcome and "Provisional" not in outcome
    assert check.get_by_role("checkbox").count() == 2
    assert check.get_by_label("Notes the missing source").is_visible()
    assert page.get_by_test_id("example-answer").is_visible()   # p-short is in no test: its model answer is an example
    check.get_by_label("Notes the missing source").check()
    check_screen(page, "practice-03-self-check")

    # The client shows whatever example the server sends (a stubbed answer, so the text is known).
    body = {"exercise_id": "p-rewrite", "status": "needs_review", "earned": None, "possible": 1.0,
            "feedback": [{"kind": "summary", "message": "Compare your answer with the checklist and the example answer."}],
            "self_check": {"checklist": ["Is “reckless gamble” gone?"], "example_answer": "Critics said the plan was too risky."},
            "waiting_for_teacher": False}
    page.route("**/api/v1/exercises/p-rewrite/check", lambda route: route.fulfill(status=200, body=json.dumps(body), content_type="application/json"))
    v.goto("#/practice/tiny-practice/8")
    page.get_by_label("Your neutral rewrite").fill(REWRITE)
    page.get_by_test_id("check").click()
    page.get_by_test_id("example-answer").wait_for()
    assert page.get_by_test_id("example-answer").inner_text() == "Critics said the plan was too risky."
