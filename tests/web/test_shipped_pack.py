"""The client on the shipped case study: every exercise of every quiz renders an answer form, the
option ids a student can read in the page say nothing about the answer, the real article (many
block roles, curly quotes, long scopes) passes axe, and a check shows feedback."""

from __future__ import annotations

import re
from typing import Iterator

import pytest

from lesson.loading import shipped_packs_dir
from quizzes.loading import DEFAULT_PACK, load_bank
from tests.web.conftest import TEACHER_TOKEN, Server, check_screen

pytestmark = pytest.mark.browser

INTERNAL_ID = re.compile(r"(?<![\w-])b\d{2}(?![\w-])|\((?:att|frm|fun|prv)-\d{2}\)")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("shipped"), [])   # no pack dirs: the packs shipped with medialit
    yield srv
    srv.stop()


def test_every_shipped_exercise_renders(browser, shipped) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    quizzes = shipped.api("GET", "/quizzes", token=None).json()
    assert quizzes, "the shipped pack has no quizzes"
    seen = 0
    shown_ids: dict[str, list[str]] = {}  # choice exercise -> the option ids in the page (the inputs' values)
    try:
        # Assessments are shown only to the teacher (and assigned students): preview them signed in.
        page.goto(f"{shipped.url}/")
        page.evaluate("t => sessionStorage.setItem('medialit.teacher', JSON.stringify(t))", TEACHER_TOKEN)
        for quiz in quizzes:
            view = shipped.api("GET", f"/quizzes/{quiz['id']}").json()
            page.goto(f"{shipped.url}/#/practice/{quiz['id']}/1")
            for k, exercise in enumerate(view["exercises"]):
                if k:
                    page.get_by_test_id("next").click()
                page.locator(".stage .ex-title").filter(has_text=exercise["title"]).wait_for()
                assert page.locator(f".stage .answer.type-{exercise['type']}").count() == 1, exercise["id"]
                # People's words: no block ids (the article shows none) and no "difficulty" for students.
                shown = page.locator(".stage").inner_text()
                assert not INTERNAL_ID.search(shown), f"{exercise['id']} shows {INTERNAL_ID.search(shown).group(0)!r}"
                assert "difficulty" not in shown.lower(), exercise["id"]
                if exercise["type"] in ("highlight", "label_spans", "attribution_roles"):
                    words = page.locator(".stage .markable .w").count()
                    assert words > 0, f"{exercise['id']}: nothing to mark"
                if exercise["type"] in ("single_choice", "multi_choice"):
                    shown_ids[exercise["id"]] = page.locator(".stage .answer fieldset.choices input").evaluate_all("xs => xs.map(x => x.value)")
                seen += 1
        assert errors == []
    finally:
        context.close()
    assert seen == sum(q["exercise_count"] for q in quizzes)
    _assert_ids_say_nothing(shown_ids)


def _assert_ids_say_nothing(shown_ids: dict[str, list[str]]) -> None:
    """The ids in the page are the pack's, and picking by them (the first in the alphabet) earns little."""
    bank = load_bank(shipped_packs_dir() / DEFAULT_PACK)
    singles = multis = first_right = first_block = 0
    # the main pack's exercises (the transfer pack's are few and checked by its own lint)
    for exercise_id, ids in ((k, v) for k, v in shown_ids.items() if k in bank.exercises):
        options = bank.exercises[exercise_id].options  # type: ignore[union-attr]
        assert sorted(ids) == sorted(o.id for o in options), exercise_id
        correct = {o.id for o in options if o.correct}
        flags = [i in correct for i in sorted(ids)]
        if len(correct) == 1 and bank.exercises[exercise_id].type == "single_choice":
            singles += 1
            first_right += flags[0]
        else:
            multis += 1
            first_block += flags == sorted(flags, reverse=True)  # the correct ids are the first letters
    assert singles >= 10 and multis >= 10, (singles, multis)
    assert first_right <= 0.35 * singles and first_block == 0, (first_right, singles, first_block)


def test_shipped_article_and_a_checked_answer_pass_axe(browser, shipped) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{shipped.url}/#/read")
        page.locator(".article .block").first.wait_for()
        roles = set(page.locator(".article .block").evaluate_all("bs => bs.map(b => b.className)"))
        assert any("role-site_chrome" in r for r in roles) and any("role-related_link" in r for r in roles)
        check_screen(page, "shipped-01-article")
        quiz = next(q for q in shipped.api("GET", "/quizzes", token=None).json() if q["kind"] == "practice")
        page.goto(f"{shipped.url}/#/practice/{quiz['id']}/1")
        page.locator(".stage .ex-title").wait_for()
        page.get_by_test_id("check").click()
        page.get_by_test_id("outcome").wait_for()
        assert "You earned" in page.get_by_test_id("outcome").inner_text()
        check_screen(page, "shipped-02-checked")
    finally:
        context.close()
