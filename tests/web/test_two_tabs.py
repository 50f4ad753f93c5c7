"""Two tabs of one student: a tab whose answer was changed in the other one is told so and shows
the stored answer; once one tab submits, the other stops offering Submit and opens the result."""

from __future__ import annotations

import re

import pytest

from tests.web.actions import STAGE
from tests.web.conftest import check_screen
from tests.web.test_student_errors import make_class, start_first_assignment

pytestmark = pytest.mark.browser


def test_the_stale_tab_shows_the_answer_changed_elsewhere_and_cannot_submit_an_old_one(visit, server) -> None:
    code = make_class(server)
    v = visit()
    tab_a = v.page
    start_first_assignment(v, code, "Twin Tabs")
    url = tab_a.url
    tab_b = v.context.new_page()
    tab_b.goto(url)
    tab_b.locator(STAGE).wait_for()
    for tab in (tab_a, tab_b):
        tab.locator(".ex-nav button").nth(2).click()   # exercise 3, single choice
    tab_a.get_by_label("It answers the council's argument.").check()
    tab_b.get_by_label("It offers funding instead of an answer.").check()
    notice = tab_a.get_by_test_id("changed-elsewhere")
    notice.filter(has_text="changed in another tab").wait_for()
    assert "exercise 3" in notice.inner_text()
    check_screen(tab_a, "student-10-changed-in-another-tab")
    assert tab_a.get_by_label("It offers funding instead of an answer.").is_checked()
    assert not tab_a.get_by_label("It answers the council's argument.").is_checked()
    # Tab B submits; tab A no longer offers Submit and goes to the result.
    tab_b.wait_for_function("() => document.querySelector('[data-testid=save-state]').dataset.saved === 'true'")
    tab_b.get_by_test_id("submit").click()
    tab_b.get_by_test_id("confirm-submit").click()
    tab_b.get_by_role("heading", name="Your result").wait_for()
    tab_a.get_by_text("This attempt has been submitted").first.wait_for()
    assert tab_a.get_by_test_id("submit").count() == 0
    tab_a.get_by_role("heading", name="Your result").wait_for(timeout=10000)
    token = tab_a.evaluate("() => JSON.parse(localStorage.getItem('medialit.student')).token")
    mine = server.api("GET", "/me/assignments", token=token).json()[0]
    graded = server.api("GET", f"/attempts/{mine['last_submitted_attempt_id']}", token=token).json()["answers"]
    assert graded["t-single"]["choice"] == "b"


def test_a_tab_whose_attempt_was_submitted_on_another_device_says_so_on_its_next_save(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Other Device")
    token = page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student')).token")
    attempt_id = server.api("GET", "/me/assignments", token=token).json()[0]["open_attempt_id"]
    assert server.api("POST", f"/attempts/{attempt_id}/submit", token=token).status_code == 200
    page.locator(".ex-nav button").nth(2).click()
    page.get_by_label("It offers funding instead of an answer.").check()
    page.get_by_text("This attempt has been submitted").first.wait_for()
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", page.locator("main").inner_text()), "no raw ISO timestamp"
    page.get_by_role("heading", name="Your result").wait_for(timeout=10000)


def test_submitting_first_shows_an_answer_changed_on_another_device(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Two Devices")
    page.locator(".ex-nav button").nth(2).click()
    page.get_by_label("It answers the council's argument.").check()
    page.wait_for_function("() => document.querySelector('[data-testid=save-state]').dataset.saved === 'true'")
    # The same student on a phone changes exercise 3 (another browser: no storage event reaches this one).
    token = page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student')).token")
    attempt_id = server.api("GET", "/me/assignments", token=token).json()[0]["open_attempt_id"]
    saved = server.api("PUT", f"/attempts/{attempt_id}/answers/t-single", token=token, json={"type": "single_choice", "choice": "b"})
    assert saved.status_code == 200, saved.text
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-submit").click()
    warning = page.get_by_test_id("changed-before-submit")
    warning.wait_for()
    assert "exercise 3 was changed on another device" in warning.inner_text()
    check_screen(page, "student-11-changed-on-another-device")
    assert page.get_by_label("It offers funding instead of an answer.").is_checked()
    assert server.api("GET", f"/attempts/{attempt_id}", token=token).json().get("submitted_at") is None
    page.get_by_test_id("confirm-submit").click()
    page.get_by_role("heading", name="Your result").wait_for()
