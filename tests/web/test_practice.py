"""Practice mode (no class): every answer checked by the public check route, feedback drawn on the
text with a legend; marking by touch on a phone-width screen; the reading view and glossary."""

from __future__ import annotations

import re

import pytest

from tests.web.actions import STAGE, key_mark, marks, tab_to, touch_select_and_mark
from tests.web.conftest import check_screen

pytestmark = pytest.mark.browser


def test_practice_lists_quizzes_and_checks_an_answer_with_feedback_on_the_text(visit) -> None:
    v = visit()
    v.goto("#/practice")
    v.page.get_by_role("link", name="Practice: everything").wait_for()
    check_screen(v.page, "practice-01-list")
    v.page.get_by_role("link", name="Practice: everything").click()
    v.page.locator(STAGE).wait_for()
    tab_to(v.page, STAGE)
    key_mark(v.page, 107, 122)   # found
    key_mark(v.page, 53, 57)     # a foil: "said"
    checks = []
    v.page.on("request", lambda r: checks.append(r) if r.url.endswith("/exercises/p-highlight/check") else None)
    v.page.get_by_test_id("check").click()
    outcome = v.page.get_by_test_id("outcome")
    outcome.wait_for()
    assert len(checks) == 1 and checks[0].method == "POST"
    assert checks[0].post_data_json == {"type": "highlight", "spans": [{"start": 53, "end": 57}, {"start": 107, "end": 122}]}
    text = outcome.inner_text()
    assert re.search(r"You earned [\d.]+ of 1 point\.", text), text
    # Plain sentences for a student: no measures, no raw fractions.
    assert "You found 1 of the 2 places to mark." in text
    for jargon in ("precision", "recall", "technique-free", "Span score"):
        assert jargon not in text
    assert not re.search(r"\d\.\d\d", text), "points are shown with at most one decimal"
    # Each kind of feedback has its own class (colour and pattern) and an icon, explained in a legend.
    legend = outcome.locator(".legend").inner_text()
    for name in ("Found", "Missed", "Extra"):
        assert name in legend
    assert outcome.locator(".feedback-text .w.fb-found").count() >= 2
    assert outcome.locator(".feedback-text .w.fb-missed").count() >= 2   # "Everyone knows"
    assert outcome.locator(".feedback-text .fb-badge").count() >= 2
    styles = outcome.evaluate(
        """o => ['found', 'missed', 'extra', 'foil', 'wrong_label', 'contested'].map(k => {
            const s = o.querySelector('.legend .fb-' + k); const c = getComputedStyle(s);
            return [c.backgroundColor, c.textDecorationStyle + c.outlineStyle, s.textContent.trim()[0]];
        })"""
    )
    assert len({s[0] for s in styles}) == 6, styles   # distinct colours
    assert len({s[1] for s in styles}) == 6, styles   # distinct patterns
    assert len({s[2] for s in styles}) == 6, styles   # distinct icons
    check_screen(v.page, "practice-02-feedback")


def test_practice_summary_policy_shows_counts_not_spans(visit) -> None:
    v = visit()
    v.goto("#/practice/tiny-practice/2")
    v.page.locator(STAGE).wait_for()
    tab_to(v.page, STAGE)
    key_mark(v.page, 43, 78, menu_steps=0)
    v.page.get_by_test_id("check").click()
    outcome = v.page.get_by_test_id("outcome")
    outcome.wait_for()
    assert "You found 1 of the 3 places to mark." in outcome.inner_text()
    assert outcome.locator(".feedback-text .fb-missed").count() == 0   # the summary policy releases no missed spans
    assert outcome.locator(".feedback-text .w.mine").count() == 7     # the student's own marks are still drawn


def test_practice_touch_marking_on_a_phone(visit) -> None:
    v = visit(width=360, height=740, touch=True)
    v.goto("#/practice/tiny-practice/1")
    v.page.locator(STAGE).wait_for()
    touch_select_and_mark(v.page, 107, 122)
    # The selection ended inside words; the mark snapped out to whole words.
    assert marks(v.page) == ["“reckless gamble”"]
    v.page.locator(".stage .mark-list button").first.tap()
    assert marks(v.page) == []
    width = v.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"
    check_screen(v.page, "practice-03-touch-360")


def test_keyboard_caret_moves_by_word_paragraph_and_line_end(visit) -> None:
    v = visit()
    v.goto("#/practice/tiny-practice/1")
    page = v.page
    page.locator(STAGE).wait_for()
    tab_to(page, STAGE)
    caret = lambda: page.locator(f"{STAGE} .w.caret").get_attribute("data-s")  # noqa: E731
    assert caret() == "43"
    page.keyboard.press("ArrowRight")
    assert caret() == "47"
    page.keyboard.press("End")
    assert caret() == "162"      # "reports", the last word of the paragraph
    page.keyboard.press("ArrowDown")
    assert caret() == "172"      # first word of the next paragraph
    page.keyboard.press("ArrowUp")
    assert caret() == "43"
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert page.locator(f"{STAGE} .w.sel").count() == 3
    assert "The mayor said" in page.get_by_test_id("marker-live").inner_text()
    page.keyboard.press("Escape")
    assert page.locator(f"{STAGE} .w.sel").count() == 0
    page.keyboard.press("Enter")   # the selection is gone: only the word at the caret is marked
    assert marks(page) == ["“said”"]
    page.keyboard.press("Backspace")
    assert marks(page) == []


def test_label_menu_escape_cancels_without_marking(visit) -> None:
    v = visit()
    v.goto("#/practice/tiny-practice/2")
    page = v.page
    page.locator(STAGE).wait_for()
    tab_to(page, STAGE)
    page.keyboard.press("Enter")
    page.get_by_role("menu").wait_for()
    assert page.get_by_role("menuitem").count() == 3
    page.keyboard.press("Escape")
    assert page.get_by_role("menu").count() == 0
    assert marks(page) == []
    assert page.evaluate("() => document.activeElement.classList.contains('markable')")


def test_reading_view_styles_roles_and_opens_glossary(visit) -> None:
    v = visit()
    v.goto("#/read")
    page = v.page
    page.get_by_role("heading", level=1).wait_for()
    chrome = page.locator(".block.role-site_chrome")
    body = page.locator(".block.role-body").first
    assert chrome.count() == 1 and "website text" in chrome.inner_text().lower()
    differs = page.evaluate(
        """() => { const a = getComputedStyle(document.querySelector('.block.role-site_chrome'));
                   const b = getComputedStyle(document.querySelector('.block.role-body'));
                   return a.backgroundColor !== b.backgroundColor && a.fontFamily !== b.fontFamily; }"""
    )
    assert differs, "site chrome must look different from the body"
    assert body.is_visible()
    # Paragraph numbers in the margin, as on the printed article: body paragraphs only.
    assert body.locator(".para-no").inner_text() == "1"
    assert chrome.locator(".para-no").count() == 0
    check_screen(page, "read-01-article")
    page.get_by_role("button", name="Glossary").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert dialog.get_by_text("Funding used to discredit").is_visible()
    check_screen(page, "read-02-glossary")
    page.keyboard.press("Escape")
    assert page.get_by_role("dialog").count() == 0
    assert page.evaluate("() => document.activeElement.dataset.testid") == "open-glossary"


def test_marking_without_dragging_first_and_last_word_then_button(visit) -> None:
    v = visit()
    v.goto("#/practice/tiny-practice/1")
    page = v.page
    page.locator(STAGE).wait_for()
    page.locator(f'{STAGE} .w[data-s="107"]').click()
    page.locator(f'{STAGE} .w[data-s="116"]').click()
    assert page.locator(f"{STAGE} .w.sel").count() == 2
    page.get_by_test_id("mark-selection").click()
    assert marks(page) == ["“reckless gamble”"]
    # A third click starts a new selection; a single word can be marked the same way.
    page.locator(f'{STAGE} .w[data-s="172"]').click()
    page.get_by_test_id("mark-selection").click()
    assert marks(page) == ["“reckless gamble”", "“Everyone”"]
