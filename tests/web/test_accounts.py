"""Teacher accounts in the browser: the administrator makes an account and a new token, the new
teacher signs in and sees only their own classes, and a class's owner adds them as a co-teacher."""

from __future__ import annotations

import pytest

from tests.web.conftest import ADMIN_TOKEN, TEACHER_TOKEN, check_screen

pytestmark = pytest.mark.browser

PROBE = '<img src=x onerror="alert(9)">Okafor'


def _sign_in_as_teacher(v, token: str) -> None:  # type: ignore[no-untyped-def]
    v.goto("#/teacher")
    v.page.get_by_label("Teacher token").fill(token)
    v.page.get_by_role("button", name="Sign in").click()
    v.page.get_by_role("heading", name="Your classes").wait_for()


def test_the_administrator_makes_an_account_that_a_class_owner_shares_a_class_with(visit, server) -> None:  # type: ignore[no-untyped-def]
    owners_class = server.api("POST", "/classes", json={"name": "Shared 11C"}).json()
    admin = visit()
    admin.goto("#/")
    admin.page.get_by_role("link", name="Administration").click()
    admin.page.get_by_label("Administrator token").fill(TEACHER_TOKEN)
    admin.page.get_by_role("button", name="Sign in").click()
    admin.page.get_by_role("alert").filter(has_text="not the administrator token").wait_for()
    check_screen(admin.page, "admin-01-sign-in")
    admin.page.get_by_label("Administrator token").fill(ADMIN_TOKEN)
    admin.page.get_by_role("button", name="Sign in").click()
    admin.page.get_by_role("heading", name="Teacher accounts").wait_for()
    admin.page.get_by_label("Display name").fill(PROBE)
    admin.page.get_by_role("button", name="Create account").click()
    shown = admin.page.get_by_test_id("new-token")
    shown.wait_for()
    assert PROBE in shown.inner_text()
    token = shown.locator("code").inner_text().strip()
    assert len(token) >= 43
    admin.page.get_by_role("rowheader", name=PROBE).wait_for()
    check_screen(admin.page, "admin-02-accounts")

    newcomer = visit()
    _sign_in_as_teacher(newcomer, token)
    assert PROBE in newcomer.page.get_by_test_id("signed-in-as").inner_text()
    assert newcomer.page.get_by_text("No classes yet.").is_visible(), "another teacher's classes are not shown"

    owner = visit()
    _sign_in_as_teacher(owner, TEACHER_TOKEN)
    owner.goto(f"#/teacher/class/{owners_class['id']}")
    owner.page.get_by_role("heading", name="Teachers of this class").wait_for()
    owner.page.get_by_label("Colleague").select_option(label=PROBE)
    owner.page.get_by_role("button", name="Add co-teacher").click()
    owner.page.locator("ul.teachers li", has_text="(co-teacher)").wait_for()
    check_screen(owner.page, "teacher-class-co-teachers")

    newcomer.goto("#/")
    newcomer.goto("#/teacher")
    newcomer.page.get_by_role("link", name="Shared 11C").click()
    newcomer.page.get_by_role("heading", name="Teachers of this class").wait_for()
    assert not newcomer.page.get_by_label("Colleague").is_visible(), "only the owner adds co-teachers"
    newcomer.page.get_by_role("button", name="Leave this class").wait_for()

    admin.page.get_by_role("button", name=f"New token for {PROBE}").click()
    admin.page.get_by_role("button", name=f"Confirm: new token for {PROBE}; the old one stops working").click()
    admin.page.get_by_test_id("new-token").filter(has_text="A new token").wait_for()
    assert admin.page.get_by_test_id("new-token").locator("code").inner_text().strip() != token
    assert server.api("GET", "/teachers/me", token=token).status_code == 401
