"""Joining: the code as projected (with hyphens) works, the name's limit is shown before it cuts,
and a network-wide pause after many wrong codes says what happened and what to do."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import check_screen
from tests.web.test_student_errors import make_class

pytestmark = pytest.mark.browser


def test_the_code_as_projected_with_hyphens_joins(visit, server) -> None:
    code = make_class(server)
    v = visit()
    v.goto("#/")
    grouped = "-".join(code[i:i + 4] for i in range(0, len(code), 4)).lower()
    v.page.get_by_label("Join code").fill(grouped)
    v.page.get_by_label("Your display name").fill("Hyphen Hana")
    v.page.get_by_role("button", name="Join").click()
    v.page.get_by_role("heading", name="Your assignments").wait_for()


def test_the_name_field_says_its_limit_before_it_cuts(visit) -> None:
    v = visit()
    v.goto("#/")
    field = v.page.get_by_label("Your display name")
    help_text = v.page.locator("#join-name-help")
    assert help_text.inner_text() == "Up to 40 characters."
    field.fill("Amira")
    assert help_text.inner_text() == "Up to 40 characters: 35 left."
    field.fill("A really very long display name that goes on")
    assert len(field.input_value()) == 40
    assert help_text.inner_text() == "That is the longest name allowed (40 characters)."


def test_a_join_pause_says_what_happened_and_what_to_do(visit) -> None:
    v = visit()
    page = v.page
    problem = {"type": "https://medialit.example/problems/too-many-join-attempts", "title": "Too many failed join attempts; wait and try again.",
               "status": 429, "detail": "10 failed joins; try again in 192 s"}
    page.route("**/api/v1/join", lambda route: route.fulfill(status=429, headers={"Retry-After": "192", "Content-Type": "application/problem+json"}, body=json.dumps(problem)))
    v.goto("#/")
    page.get_by_label("Join code").fill("ABCD2345JK")
    page.get_by_label("Your display name").fill("Sam")
    page.get_by_role("button", name="Join").click()
    locked = page.get_by_test_id("join-locked")
    locked.wait_for()
    text = locked.inner_text()
    assert "about 4 minutes" in text and "even with the right code" in text and "your teacher" in text
    assert "192 s" not in text
    check_screen(page, "student-00b-join-paused")
