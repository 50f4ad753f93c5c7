"""Keyboard: the exercise list is one Tab stop (arrows inside it), a "Skip to the answer" link and
shortcuts reach the text, and the page's skip link does not leave the screen."""

from __future__ import annotations

import pytest

from tests.web.actions import STAGE, focused_matches, key_mark, marks, tab_to
from tests.web.test_student_errors import make_class, start_first_assignment

pytestmark = pytest.mark.browser


def presses_until(page, selector: str, limit: int = 60) -> int:  # type: ignore[no-untyped-def]
    for n in range(limit):
        if focused_matches(page, selector):
            return n
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector!r}")


def test_the_text_is_a_few_tab_presses_away_and_the_list_is_one_stop(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Keys Kai")
    page.locator("main h1").focus()
    # Before: 21 presses (every exercise number was a Tab stop). Now the list is one stop.
    assert presses_until(page, STAGE) <= 8
    page.locator("main h1").focus()
    tab_to(page, ".ex-nav button")
    assert page.evaluate("() => document.activeElement.textContent") == "1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.textContent") == "3"
    page.keyboard.press("End")
    assert page.evaluate("() => document.activeElement.textContent") == "8"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.locator(".stage .ex-title").filter(has_text="Sources").wait_for()
    # The open exercise's number is the list's one Tab stop.
    assert page.locator(".ex-nav button[tabindex='0']").inner_text() == "2"
    assert page.locator(".ex-nav button[tabindex='0']").count() == 1


def test_skip_link_and_shortcuts_reach_the_answer_and_the_list(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Skip Sade")
    page.locator("main h1").focus()
    page.keyboard.press("Shift+Tab")   # the skip link comes just before the quiz heading
    tab_to(page, "[data-testid=skip-to-text]")
    assert page.get_by_test_id("skip-to-text").is_visible()
    page.keyboard.press("Enter")
    assert focused_matches(page, STAGE)
    key_mark(page, 107, 122)
    assert marks(page) == ["“reckless gamble”"]
    page.keyboard.press("Alt+Shift+E")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-current')") == "step"
    page.keyboard.press("Alt+Shift+T")
    assert focused_matches(page, STAGE)


def test_the_pages_skip_link_stays_on_the_screen(visit) -> None:
    v = visit()
    v.goto("#/practice")
    v.page.get_by_role("heading", name="Practise").first.wait_for()
    url = v.page.url
    v.page.keyboard.press("Tab")
    assert focused_matches(v.page, "a.skip")
    v.page.keyboard.press("Enter")
    assert v.page.url == url
    assert v.page.get_by_role("heading", name="Page not found").count() == 0
    assert focused_matches(v.page, "main")
