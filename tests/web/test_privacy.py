"""The class page's privacy card: a student's data downloaded, the class closed and reopened, an
assignment and the class deleted, each step read back from the activity log."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import check_screen
from tests.web.test_teacher import sign_in

pytestmark = pytest.mark.browser


def test_privacy_card_exports_closes_and_deletes(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Records"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"}).json()
    assert server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": "Kim Lee"}).status_code == 201
    v = visit()
    sign_in(v)
    v.goto(f"#/teacher/class/{klass['id']}")
    page = v.page
    page.get_by_role("heading", name="Privacy and records").wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download their data").click()
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert data["student"]["display_name"] == "Kim Lee" and data["class"]["name"] == "Records"
    page.get_by_test_id("audit-log").get_by_text("Downloaded everything stored about Kim Lee in “Records”.").wait_for()

    page.get_by_role("button", name="Close class").click()
    page.get_by_role("button", name="Reopen class").wait_for()
    assert "Closed on" in page.get_by_test_id("class-closed").inner_text()
    assert server.api("GET", f"/classes/{klass['id']}").json()["closed_at"] is not None
    check_screen(page, "teacher-20-privacy")

    page.get_by_role("button", name="Delete assignment").click()
    page.get_by_role("button", name="Delete it and all its answers").click()
    page.get_by_text("None yet.").wait_for()
    assert server.api("GET", f"/assignments/{assignment['id']}").status_code == 404

    page.get_by_role("button", name="Delete class").click()
    page.get_by_role("button", name="Delete the class, its students and all answers").click()
    page.get_by_role("heading", name="Your classes").wait_for()
    assert server.api("GET", f"/classes/{klass['id']}").status_code == 404
