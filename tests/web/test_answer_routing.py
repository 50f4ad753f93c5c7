"""An answer always goes into the exercise it was typed in.

The review found that after typing in a text box the first click on an exercise number was
swallowed (the page stayed put), so the student's next answer overwrote the exercise still on
screen. These tests type and click as fast as a student does, across every exercise type, and then
compare every stored answer with what was typed.
"""

from __future__ import annotations

import pytest

from tests.web.actions import STAGE, key_mark, tab_to
from tests.web.test_student_errors import make_class, start_first_assignment

pytestmark = pytest.mark.browser

TITLES = ["Loaded words", "Sources", "Funding", "Checks", "Match", "Roles", "Explain", "Rewrite"]


def nav_button(page, number: int):  # type: ignore[no-untyped-def]
    return page.locator(".ex-nav button").nth(number - 1)


def on_exercise(page, number: int) -> None:  # type: ignore[no-untyped-def]
    """The exercise on screen is ``number`` (checked at once: a click either moved or it did not)."""
    title = page.locator(".stage .ex-title").inner_text()
    assert title == TITLES[number - 1], f"expected exercise {number} ({TITLES[number - 1]}), the page shows {title!r}"


def stored_answers(server, page) -> dict:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => document.querySelector('[data-testid=save-state]').dataset.saved === 'true'", timeout=15000)
    token = page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student')).token")
    attempt_id = server.api("GET", "/me/assignments", token=token).json()[0]["open_attempt_id"]
    return server.api("GET", f"/attempts/{attempt_id}", token=token).json()["answers"]


def test_one_click_on_an_exercise_number_moves_after_typing(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Quick Quentin")
    nav_button(page, 7).click()
    on_exercise(page, 7)
    page.get_by_label("Your answer").click()
    page.keyboard.type("No source is given for the claim.")
    nav_button(page, 8).click()          # the text box still has focus and an unsent change
    on_exercise(page, 8)
    page.get_by_label("Your neutral rewrite").click()
    page.keyboard.type("Critics said the plan was too risky.")
    nav_button(page, 7).click()
    on_exercise(page, 7)
    answers = stored_answers(server, page)
    assert answers["t-short"]["text"] == "No source is given for the claim."
    assert answers["t-rewrite"]["text"] == "Critics said the plan was too risky."
    # After a reload the boxes show the same.
    page.reload()
    page.locator(STAGE).wait_for()
    nav_button(page, 7).click()
    assert page.get_by_label("Your answer").input_value() == "No source is given for the claim."
    nav_button(page, 8).click()
    assert page.get_by_label("Your neutral rewrite").input_value() == "Critics said the plan was too risky."


def test_fast_typing_and_clicking_across_every_type_stores_each_answer_where_it_was_given(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Fast Fatima")
    # 1 highlight, by keyboard, then straight on by clicking a number.
    tab_to(page, STAGE)
    key_mark(page, 107, 122)
    nav_button(page, 7).click()
    on_exercise(page, 7)
    page.get_by_label("Your answer").fill("")
    page.get_by_label("Your answer").press_sequentially("It names no source.", delay=5)
    nav_button(page, 3).click()
    on_exercise(page, 3)
    page.get_by_label("It offers funding instead of an answer.").check()
    nav_button(page, 8).click()
    on_exercise(page, 8)
    page.get_by_label("Your neutral rewrite").press_sequentially("Critics doubted the plan.", delay=5)
    nav_button(page, 4).click()
    on_exercise(page, 4)
    page.get_by_label("The council budget").check()
    page.get_by_label("A local audit report").check()
    nav_button(page, 5).click()
    on_exercise(page, 5)
    page.get_by_label("The bridge is safe.").select_option(label="Named and quoted")
    page.get_by_label("Repairs cost $2 million").select_option(label="Vague source")
    # Back to a text box: typing, then Previous/Next and a number, each one press.
    nav_button(page, 7).click()
    on_exercise(page, 7)
    page.get_by_label("Your answer").press_sequentially(" Funding replaces an answer.", delay=5)
    page.get_by_role("button", name="Next").click()
    on_exercise(page, 8)
    page.get_by_label("Your neutral rewrite").press_sequentially(" Again.", delay=5)
    nav_button(page, 2).click()
    on_exercise(page, 2)
    answers = stored_answers(server, page)
    assert answers["t-highlight"]["spans"] == [{"start": 107, "end": 122}]
    assert answers["t-short"]["text"] == "It names no source. Funding replaces an answer."
    assert answers["t-rewrite"]["text"] == "Critics doubted the plan. Again."
    assert answers["t-single"]["choice"] == "b"
    assert sorted(answers["t-multi"]["choices"]) == ["a", "b"]
    assert answers["t-match"]["pairs"] == {"l1": "r1", "l2": "r2"}
    assert set(answers) == {"t-highlight", "t-short", "t-single", "t-rewrite", "t-multi", "t-match"}


def test_a_text_answer_still_typing_when_the_student_moves_is_kept_with_its_exercise(visit, server) -> None:
    """A keyboard shortcut or a script can move on without the text box losing focus first."""
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Keys Kofi")
    nav_button(page, 7).click()
    page.get_by_label("Your answer").press_sequentially("Typed and moved on", delay=5)
    # Move without a blur: the navigation itself must send what was typed, for exercise 7.
    page.evaluate("() => document.querySelectorAll('.ex-nav button')[7].dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    on_exercise(page, 8)
    answers = stored_answers(server, page)
    assert answers["t-short"]["text"] == "Typed and moved on"
    assert "t-rewrite" not in answers


def test_a_marks_label_changes_without_removing_the_mark(visit, server) -> None:
    code = make_class(server)
    v = visit()
    page = v.page
    start_first_assignment(v, code, "Relabel Rae")
    nav_button(page, 2).click()
    tab_to(page, STAGE)
    key_mark(page, 43, 78, menu_steps=0)
    assert page.locator(".stage .mark-label").all_inner_texts() == [" — Named source, quoted"]
    page.get_by_test_id("relabel").select_option(label="Vague source")
    assert page.get_by_test_id("relabel").get_attribute("aria-label").startswith("Change the label of “")
    assert page.locator(".stage .mark-label").all_inner_texts() == [" — Vague source"]
    answers = stored_answers(server, page)
    assert answers["t-label"]["spans"] == [{"start": 43, "end": 78, "label": "vague_source"}]
