"""What a student sees when things go wrong: a bad join code, a dropped connection while saving."""

from __future__ import annotations

import pytest

from tests.web.actions import STAGE, key_mark, tab_to
from tests.web.conftest import check_screen

pytestmark = pytest.mark.browser


def make_class(server, quiz_id: str = "tiny-all") -> str:
    klass = server.api("POST", "/classes", json={"name": "Errors class"}).json()
    r = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": quiz_id, "feedback": "immediate"})
    assert r.status_code == 201, r.text
    return klass["join_code"]



def join_class(v, join_code: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Join the class as ``name`` through the join form and wait for the assignment list."""
    page = v.page
    v.goto("#/")
    page.get_by_label("Join code").fill(join_code)
    page.get_by_label("Your display name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("heading", name="Your assignments").wait_for()


def start_first_assignment(v, join_code: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Join the class as ``name`` and start its first assignment, as a student would."""
    join_class(v, join_code, name)
    page = v.page
    page.get_by_role("link", name="Start", exact=True).click()
    page.locator(STAGE).wait_for()

def test_join_with_wrong_code_shows_a_clear_error(visit) -> None:
    v = visit()
    v.goto("#/")
    v.page.get_by_label("Join code").fill("NOPE2345")
    v.page.get_by_label("Your display name").fill("Sam")
    v.page.get_by_role("button", name="Join").click()
    alert = v.page.locator("main [role=alert]")
    alert.wait_for()
    assert alert.inner_text().strip() != ""
    assert v.page.evaluate("() => localStorage.getItem('medialit.student')") is None
    check_screen(v.page, "student-00-join-error")


def test_join_with_empty_fields_is_refused_in_the_page(visit) -> None:
    v = visit()
    v.goto("#/")
    v.page.locator("form").evaluate("f => f.noValidate = true")
    v.page.get_by_role("button", name="Join").click()
    assert "Enter both" in v.page.locator("main [role=alert]").inner_text()


def test_answer_saved_after_connection_returns(visit, server) -> None:
    code = make_class(server)
    v = visit()
    start_first_assignment(v, code, "Offline Olu")
    v.page.route("**/api/v1/attempts/*/answers/*", lambda route: route.abort())
    tab_to(v.page, STAGE)
    key_mark(v.page, 107, 122)
    state = v.page.get_by_test_id("save-state")
    v.page.wait_for_function("() => document.querySelector('[data-testid=save-state]').textContent.startsWith('Not saved yet')")
    assert "kept on this device" in state.inner_text()
    v.page.unroute("**/api/v1/attempts/*/answers/*")
    v.page.wait_for_function("() => document.querySelector('[data-testid=save-state]').dataset.saved === 'true'", timeout=15000)
    student = v.page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student'))")
    attempt_id = server.api("GET", "/me/assignments", token=student["token"]).json()[0]["open_attempt_id"]
    answers = server.api("GET", f"/attempts/{attempt_id}", token=student["token"]).json()["answers"]
    assert answers["t-highlight"]["spans"] == [{"start": 107, "end": 122}]


def test_leaving_the_class_forgets_the_token(visit, server) -> None:
    code = make_class(server)
    v = visit()
    join_class(v, code, "Leaving Lee")
    v.page.get_by_role("button", name="Leave this class on this device").click()
    v.page.get_by_role("button", name="Stay").click()
    assert v.page.evaluate("() => localStorage.getItem('medialit.student')") is not None
    v.page.evaluate("() => localStorage.setItem('medialit.answers.2.1', JSON.stringify({'t-choice': {type: 'single_choice', choice: 'a'}}))")
    v.page.get_by_role("button", name="Leave this class on this device").click()
    v.page.get_by_test_id("confirm-leave").click()
    v.page.get_by_role("heading", name="Join your class").wait_for()
    assert v.page.evaluate("() => localStorage.getItem('medialit.student')") is None
    assert v.page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('medialit.answers.'))") == []  # no answer copies stay behind
    v.goto("#/student")
    v.page.get_by_role("heading", name="Join a class first").wait_for()


def test_second_attempt_starts_fresh_when_allowed(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Two tries"}).json()
    r = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a", "attempts_allowed": 2})
    assert r.status_code == 201, r.text
    v = visit()
    page = v.page
    start_first_assignment(v, klass["join_code"], "Twice Tam")
    tab_to(page, STAGE)
    key_mark(page, 107, 122)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-submit").click()
    page.get_by_role("heading", name="Your result").wait_for()
    page.get_by_role("link", name="Back to your assignments").click()
    page.get_by_role("link", name="Start attempt 2 of 2").click()
    page.locator(STAGE).wait_for()
    assert page.get_by_text("0 of 2 answered").is_visible()
    assert page.url.endswith(f"#/assignment/{r.json()['id']}")
    mine = server.api("GET", "/me/assignments", token=page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student')).token")).json()
    assert mine[0]["attempts_used"] == 2 and mine[0]["open_attempt_id"] is not None


def test_answer_refused_after_the_teacher_closes_says_so(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Closing soon"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"}).json()
    v = visit()
    page = v.page
    start_first_assignment(v, klass["join_code"], "Slow Sol")
    assert server.api("PATCH", f"/assignments/{assignment['id']}", json={"closed": True}).status_code == 200
    tab_to(page, STAGE)
    key_mark(page, 107, 122)
    page.wait_for_function("() => document.querySelector('[data-testid=save-state]').textContent.startsWith('Not saved:')")
    assert page.get_by_test_id("save-state").get_attribute("data-saved") == "false"


def test_result_withheld_when_the_teacher_releases_no_feedback(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Quiet"}).json()
    server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a", "feedback": "none"})
    v = visit()
    page = v.page
    start_first_assignment(v, klass["join_code"], "Quiet Quinn")
    tab_to(page, STAGE)
    key_mark(page, 107, 122)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-submit").click()
    page.get_by_role("heading", name="Your result").wait_for()
    assert page.get_by_text("Your teacher has not released scores and feedback yet.").is_visible()
    assert page.locator(".outcome").count() == 0
    assert "You earned" not in page.locator("main").inner_text()


def test_see_result_on_another_device_opens_it_without_a_new_attempt(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Two devices"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a", "attempts_allowed": 3}).json()
    token = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": "Dev Dana"}).json()["token"]
    attempt = server.api("POST", f"/assignments/{assignment['id']}/attempts", token=token).json()
    assert server.api("POST", f"/attempts/{attempt['id']}/submit", token=token).status_code == 200
    v = visit()   # another device: same token, no local attempt id
    v.goto("#/")
    v.page.evaluate("t => localStorage.setItem('medialit.student', JSON.stringify({token: t, name: 'Dev Dana'}))", token)
    v.goto("#/student")
    v.page.get_by_role("link", name="See your result").click()
    v.page.get_by_role("heading", name="Your result").wait_for()
    assert server.api("GET", "/me/assignments", token=token).json()[0]["attempts_used"] == 1


def test_scheduled_assignment_has_no_start_button(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Later"}).json()
    server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a", "opens_at": "2031-01-01T09:00:00Z"})
    v = visit()
    v.goto("#/")
    v.page.get_by_label("Join code").fill(klass["join_code"])
    v.page.get_by_label("Your display name").fill("Early Eli")
    v.page.get_by_role("button", name="Join").click()
    v.page.get_by_role("heading", name="Your assignments").wait_for()
    assert v.page.get_by_text("Opens ").is_visible()
    assert v.page.get_by_role("link", name="Start", exact=True).count() == 0
