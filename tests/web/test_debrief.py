"""The class debrief and the students' class view in the browser: a class runs to release, the
teacher walks the debrief by keyboard, a student sees the class beside their own marks, and a
group below the minimum shows no class figure anywhere (MEDIALIT_DEBRIEF_MIN_GROUP, default 5)."""

from __future__ import annotations

import pytest

from tests.web.conftest import check_screen
from tests.web.test_teacher import sign_in

pytestmark = pytest.mark.browser

GAMBLE = {"start": 107, "end": 122}    # “reckless gamble”: in the key
EVERYONE = {"start": 172, "end": 186}  # “Everyone knows”: in the key
SAID = {"start": 53, "end": 57}        # “said”: a look-alike


def run_class(server, names: list[str]) -> tuple[int, dict[str, tuple[str, int]]]:  # type: ignore[no-untyped-def]
    """A class on tiny-a with feedback after the due time; every student submits; returns the
    assignment id and each student's (token, attempt id)."""
    klass = server.api("POST", "/classes", json={"name": f"Debrief {len(names)}"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a", "feedback": "after_due"}).json()
    students = {}
    for k, name in enumerate(names):
        token = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": name}).json()["token"]
        attempt = server.api("POST", f"/assignments/{assignment['id']}/attempts", token=token).json()
        spans = [GAMBLE] if k % 2 == 0 else [GAMBLE, SAID]
        saved = server.api("PUT", f"/attempts/{attempt['id']}/answers/t-highlight", token=token, json={"type": "highlight", "spans": spans})
        assert saved.status_code == 200, saved.text
        assert server.api("POST", f"/attempts/{attempt['id']}/submit", token=token).status_code == 200
        students[name] = (token, attempt["id"])
    return assignment["id"], students


def as_student(v, token: str) -> None:  # type: ignore[no-untyped-def]
    v.goto("#/")
    v.page.evaluate("t => localStorage.setItem('medialit.student', JSON.stringify({token: t, name: 'me'}))", token)


def test_a_teacher_walks_the_debrief_after_release_and_a_student_sees_the_class(visit, server) -> None:
    names = ["Ana-Qz", "Ben-Qz", "Caz-Qz", "Dee-Qz", "Eve-Qz", "Fin-Qz"]
    assignment_id, students = run_class(server, names)
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/assignment/{assignment_id}/debrief")
    page = v.page
    page.get_by_test_id("not-released").wait_for()
    assert "closed" in page.get_by_test_id("not-released").inner_text()
    server.api("PATCH", f"/assignments/{assignment_id}", json={"closed": True})
    v.goto(f"#/teacher/assignment/{assignment_id}")
    page.get_by_test_id("open-debrief").click()
    page.get_by_test_id("debrief-count").wait_for()
    assert "6 students submitted" in page.get_by_test_id("debrief-count").inner_text()
    body = page.locator("main").inner_text()
    for name in names:
        assert name not in body
    # Every student marked “reckless gamble”: the darkest shade; half marked the look-alike “said”.
    assert page.locator(".debrief-text .w.hw-5").count() >= 2
    assert page.locator(".debrief-text .w.db-key").count() >= 2
    assert page.locator(".debrief-text .w.db-foil").count() == 0
    page.get_by_label("Show the look-alikes (dotted)").check()
    assert page.locator(".debrief-text .w.db-foil").count() == 1
    # Step through by keyboard alone.
    page.get_by_test_id("db-next").focus()
    page.keyboard.press("Enter")
    step = page.get_by_test_id("debrief-step")
    step.get_by_text("Moment 1 of").wait_for()
    first = step.inner_text()
    assert "of 6 students" in first and "Ask the class:" in first
    assert page.locator(".debrief-text .w.db-current").count() >= 1
    page.keyboard.press("Enter")  # focus stays on “Next”
    assert step.inner_text() != first
    check_screen(page, "debrief-01-step")
    # Any item can be picked from the list.
    page.locator(".debrief-items button", has_text="reckless gamble").click()
    assert "6 of 6 students found it" in step.inner_text()

    s = visit(width=360, height=740)
    token, attempt = students["Ben-Qz"]
    as_student(s, token)
    s.goto(f"#/result/{attempt}")
    s.page.get_by_test_id("open-class-view").click()
    s.page.get_by_role("heading", name="How your class marked the text").wait_for()
    text = s.page.locator("main").inner_text()
    assert "5 of 5 classmates did too" in text     # “reckless gamble”
    assert "2 of 5 classmates did too" in text     # “said”: Dee and Fin (Ben is not counted)
    for name in names:
        assert name not in text
    width = s.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"
    check_screen(s.page, "debrief-02-class-view-360")


def test_a_group_below_the_minimum_shows_no_class_figure_in_the_browser(visit, server) -> None:
    assignment_id, students = run_class(server, ["Gus-Qz", "Hal-Qz"])
    server.api("PATCH", f"/assignments/{assignment_id}", json={"closed": True})
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/assignment/{assignment_id}/debrief")
    v.page.get_by_test_id("withheld").wait_for()
    assert v.page.locator(".debrief-text [class*='hw-']").count() == 0
    assert " of 2 students" not in v.page.locator("main").inner_text()
    v.page.locator(".debrief-items button", has_text="reckless gamble").click()
    assert "Ask the class:" in v.page.get_by_test_id("debrief-step").inner_text()
    check_screen(v.page, "debrief-03-withheld")
    s = visit()
    token, attempt = students["Gus-Qz"]
    as_student(s, token)
    s.goto(f"#/result/{attempt}/class")
    s.page.get_by_test_id("withheld").wait_for()
    assert s.page.locator("[class*='hw-']").count() == 0
    assert "classmate" not in s.page.locator(".mine-list").inner_text()
