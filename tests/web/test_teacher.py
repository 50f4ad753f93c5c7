"""Teacher screens beyond the class flow: tabs by keyboard, closing and extending an assignment."""

from __future__ import annotations

import pytest

from tests.web.conftest import TEACHER_TOKEN, check_screen

pytestmark = pytest.mark.browser


def sign_in(v) -> None:
    v.goto("#/teacher")
    v.page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    v.page.get_by_role("button", name="Sign in").click()
    v.page.get_by_role("heading", name="Your classes").wait_for()


def test_dashboard_tabs_follow_the_arrow_keys(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Tabs"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"}).json()
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/assignment/{assignment['id']}")
    tab = v.page.get_by_role("tab", name="Gradebook")
    tab.focus()
    v.page.keyboard.press("ArrowRight")
    assert v.page.get_by_role("tab", name="Review queue").get_attribute("aria-selected") == "true"
    assert v.page.get_by_test_id("review-queue").is_visible()
    assert not v.page.get_by_test_id("gradebook").is_visible()
    v.page.keyboard.press("End")
    assert v.page.evaluate("() => document.activeElement.textContent") == "Heat map"
    v.page.keyboard.press("Home")
    assert v.page.get_by_role("tab", name="Gradebook").get_attribute("aria-selected") == "true"


def test_close_and_extend_an_assignment(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Closing"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"}).json()
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/assignment/{assignment['id']}")
    page = v.page
    # Closing asks first; Cancel leaves it open.
    page.get_by_role("button", name="Close assignment").click()
    assert page.get_by_test_id("confirm-close").evaluate("b => b === document.activeElement")
    page.get_by_role("button", name="Cancel").click()
    assert server.api("GET", f"/assignments/{assignment['id']}").json()["closed"] is False
    page.get_by_role("button", name="Close assignment").click()
    page.get_by_role("button", name="Yes, close it").click()
    page.get_by_role("button", name="Reopen assignment").wait_for()
    assert server.api("GET", f"/assignments/{assignment['id']}").json()["closed"] is True
    page.get_by_role("button", name="Reopen assignment").click()
    page.get_by_role("button", name="Close assignment").wait_for()
    page.get_by_text("Extend or change the due time").click()
    page.get_by_label("New due time (empty removes it)").fill("2031-06-01T10:30")
    check_screen(page, "teacher-10-due")
    page.get_by_role("button", name="Change due time").click()
    page.get_by_text("· due").wait_for()
    due = server.api("GET", f"/assignments/{assignment['id']}").json()["due_at"]
    assert due.startswith("2031-06-01"), due


def test_class_page_shows_students_as_they_join(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Arrivals"}).json()
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/class/{klass['id']}")
    v.page.get_by_text("Nobody has joined yet.").wait_for()
    r = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": "Late Lin"})
    assert r.status_code == 201
    v.page.locator(".students li").filter(has_text="Late Lin").wait_for(timeout=15000)
    assert v.page.get_by_role("heading", name="Students (1)").is_visible()


def test_the_teacher_removes_a_student_from_the_class_page(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Roster"}).json()
    for name in ("Stay Sam", "Gone Gus"):
        assert server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": name}).status_code == 201
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/class/{klass['id']}")
    v.page.get_by_role("button", name="Remove Gone Gus").click()
    v.page.get_by_role("button", name="Confirm: remove Gone Gus and delete their answers").click()
    v.page.get_by_role("heading", name="Students (1)").wait_for()
    assert v.page.locator(".students li .student-name").all_inner_texts() == ["Stay Sam"]
    students = server.api("GET", f"/classes/{klass['id']}").json()["students"]
    assert [s["display_name"] for s in students] == ["Stay Sam"]


def test_invalid_assignment_names_the_field(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Validation"}).json()
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/class/{klass['id']}")
    page = v.page
    page.get_by_label("Attempts allowed").wait_for()
    page.locator("form").filter(has_text="Set an assignment").evaluate("f => f.noValidate = true")
    page.get_by_label("Attempts allowed").fill("50")
    page.get_by_role("button", name="Create assignment").click()
    alert = page.locator("main [role=alert]")
    alert.wait_for()
    assert "attempts_allowed" in alert.inner_text()
    assert server.api("GET", f"/classes/{klass['id']}").json()["assignments"] == []


def test_review_queue_shows_the_students_words_as_text(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Words"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-all"}).json()
    joined = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": "Wen"}).json()
    attempt = server.api("POST", f"/assignments/{assignment['id']}/attempts", token=joined["token"]).json()
    words = "They attack the funding <b>instead</b> of the argument."
    r = server.api("PUT", f"/attempts/{attempt['id']}/answers/t-short", token=joined["token"], json={"type": "short_answer", "text": words})
    assert r.status_code in (200, 201), r.text
    assert server.api("POST", f"/attempts/{attempt['id']}/submit", token=joined["token"]).status_code == 200

    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/assignment/{assignment['id']}")
    v.page.get_by_role("tab", name="Review queue").click()
    text = v.page.get_by_test_id("review-item").filter(has_text="Wen — Explain").get_by_test_id("student-text")
    text.wait_for()
    assert text.inner_text() == words
    assert v.page.locator("[data-testid=review-queue] b").count() == 0

    # A server without the answers route: the queue still works and says the text is not available.
    v.page.route(f"**/api/v1/assignments/{assignment['id']}/answers", lambda route: route.fulfill(
        status=404, body='{"type": "about:blank", "title": "Not found", "status": 404}', content_type="application/problem+json"))
    v.page.reload()
    v.page.get_by_role("tab", name="Review queue").click()
    item = v.page.get_by_test_id("review-item").filter(has_text="Wen — Explain")
    item.wait_for()
    assert "does not send the answer's text" in item.inner_text()


def test_assignment_form_warns_that_later_attempts_see_the_key_with_immediate_feedback(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Retakes"}).json()
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/class/{klass['id']}")
    page = v.page
    warning = page.locator("#as-key-warning")
    page.get_by_label("Attempts allowed").wait_for()
    assert not warning.is_visible()
    page.get_by_label("Attempts allowed").fill("2")
    assert warning.is_visible() and "attempt 2 is taken with the key in view" in warning.inner_text()
    page.get_by_label("Students see scores and feedback").select_option("after_due")
    assert not warning.is_visible()
