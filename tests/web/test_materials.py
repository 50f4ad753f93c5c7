"""The teacher's materials on screen: the guides rendered from the pack's Markdown, the printable
key, the article to print, and which quiz is for what; on the shipped case study."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.web.conftest import TEACHER_TOKEN, Server, check_screen

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("materials"), [])   # the packs shipped with medialit
    yield srv
    srv.stop()


def signed_in(browser, server: Server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/#/teacher")
    page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your classes").wait_for()
    return context, page, errors


def test_teacher_home_says_which_quiz_is_for_what_and_links_every_material(browser, shipped) -> None:
    context, page, errors = signed_in(browser, shipped)
    try:
        materials = page.get_by_test_id("materials")
        rows = materials.get_by_test_id("purpose-row").all_inner_texts()
        assert rows[0].startswith("Pre-check") and "form A" in rows[0]
        assert rows[-1].startswith("Post-check") and "form B" in rows[-1]
        assert any(r.startswith("Final assessment") for r in rows)
        check_screen(page, "materials-01-teacher-home")
        # The guide: rendered Markdown (headings, tables, lists), no raw Markdown marks left.
        materials.get_by_role("link", name="Teacher's guide").click()
        guide = page.get_by_test_id("guide")
        guide.wait_for()
        assert guide.locator("h2").count() >= 3 and guide.locator("table").count() >= 1 and guide.locator("li").count() >= 5
        text = guide.inner_text()
        assert "## " not in text and "**" not in text and "|---" not in text
        assert page.locator("h1").count() == 1
        check_screen(page, "materials-02-teacher-guide")
        # The printable key of the pre-check, numbered as students see it.
        page.go_back()
        page.get_by_role("link", name="Printable key: Quick check, form A").click()
        key = page.get_by_test_id("key")
        key.wait_for()
        assert key.locator(".key-ex").count() == 8
        assert key.locator(".key-ex h2").first.inner_text().startswith("Exercise 1: ")
        check_screen(page, "materials-03-key")
        # The article to print: paragraph numbers in the margin, no site navigation on paper.
        page.goto(f"{shipped.url}/#/print")
        page.locator(".print-article .para-no").first.wait_for()
        assert page.locator(".print-article .para-no").first.inner_text() == "1"
        page.emulate_media(media="print")
        assert not page.locator("header.site").is_visible()
        page.emulate_media(media="screen")
        check_screen(page, "materials-04-print-article")
        assert errors == []
    finally:
        context.close()


def test_students_reading_guide_is_public(browser, shipped) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{shipped.url}/#/guide")
        guide = page.get_by_test_id("guide")
        guide.wait_for()
        assert guide.locator("h2, h3").count() >= 2
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        check_screen(page, "materials-05-student-guide-360")
    finally:
        context.close()


def test_teacher_guide_needs_the_teacher_token(shipped) -> None:
    lesson = shipped.api("GET", "/lessons", token=None).json()[0]["id"]
    assert shipped.api("GET", f"/lessons/{lesson}/guides/teacher", token=None).status_code == 401
    body = shipped.api("GET", f"/lessons/{lesson}/guides/teacher", token=TEACHER_TOKEN).json()
    assert body["html"].startswith("<h1>") and "<script" not in body["html"]
