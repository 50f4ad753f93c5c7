"""A whole lesson in the browser: the teacher sets it up, two students work (one with the mouse,
one with the keyboard only, on a 360 px phone-width screen), both submit, the teacher sees both in
the gradebook and the analysis, reviews a short answer, and downloads the CSV. Every screen is
checked with axe-core and screenshotted; user text carries script-injection probes throughout."""

from __future__ import annotations

import json
import re

import pytest

from tests.web.actions import STAGE, focused_matches, key_mark, marks, mouse_mark, tab_to
from tests.web.conftest import TEACHER_TOKEN, check_screen

pytestmark = pytest.mark.browser

PROBE_NAME = '<img src=x onerror="alert(1)">Bo'
PROBE_ANSWER = "It gives no source and attacks the funding instead of the argument. <script>alert(2)</script>"
PROBE_COMMENT = "<b>Good</b> point <img src=x onerror=alert(3)>"


def teacher_sets_up(v) -> tuple[str, str]:
    page = v.page
    v.goto("#/teacher")
    check_screen(page, "teacher-01-sign-in")
    page.get_by_label("Teacher token").fill("wrong-token-0000000000000000")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").filter(has_text="not right").wait_for()
    page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your classes").wait_for()
    page.get_by_label("Class name").fill("Year 10 <script>alert(4)</script>")
    check_screen(page, "teacher-02-classes")
    page.get_by_role("button", name="Create class").click()
    page.get_by_test_id("join-code").wait_for()
    assert page.get_by_role("heading", name="Year 10 <script>alert(4)</script>").is_visible()
    shown = page.get_by_test_id("join-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{1,4})+", shown), shown
    code = shown.replace("-", "")
    assert re.fullmatch(r"[A-Z0-9]{8,}", code), code
    class_url = page.url
    page.get_by_label("Quiz").select_option("tiny-all")
    page.get_by_label("Students see scores and feedback").select_option("immediate")
    check_screen(page, "teacher-03-class")
    page.get_by_role("link", name="Show full screen for the projector").click()
    page.get_by_test_id("projector-code").wait_for()
    assert page.get_by_test_id("projector-code").inner_text().replace("-", "") == code
    size = page.get_by_test_id("projector-code").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 80, f"join code only {size}px: too small to project"
    box = page.get_by_test_id("projector-code").bounding_box()
    assert box["height"] < 2 * size and box["width"] <= 1280, f"the code does not fit on one line: {box}"
    assert not page.locator("header.site").is_visible(), "the projector view hides the site navigation"
    check_screen(page, "teacher-04-projector")
    page.set_viewport_size({"width": 360, "height": 740})
    box = page.get_by_test_id("projector-code").bounding_box()
    assert box["width"] <= 360 and box["height"] < 2 * page.get_by_test_id("projector-code").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    check_screen(page, "teacher-04b-projector-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(class_url)
    page.get_by_label("Quiz").select_option("tiny-all")
    page.get_by_role("button", name="Create assignment").click()
    page.get_by_role("tab", name="Gradebook").wait_for()
    return code, page.url


def join(v, code: str, name: str, keyboard: bool = False) -> None:
    page = v.page
    v.goto("#/")
    page.get_by_role("heading", name="Join your class").wait_for()
    if keyboard:
        tab_to(page, "input[name=join_code]")
        page.keyboard.type(code.lower())
        page.keyboard.press("Tab")
        page.keyboard.type(name)
        page.keyboard.press("Enter")
    else:
        page.get_by_label("Join code").fill(code)
        page.get_by_label("Your display name").fill(name)
        page.get_by_role("button", name="Join").click()
    page.get_by_role("heading", name="Your assignments").wait_for()


def next_exercise(page, keyboard: bool) -> None:
    if keyboard:
        tab_to(page, "[data-testid=next]")
        page.keyboard.press("Enter")
    else:
        page.get_by_test_id("next").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('ex-title')")


def wait_saved(page) -> None:
    page.wait_for_function("() => document.querySelector('[data-testid=save-state]').dataset.saved === 'true'")


def server_attempt(v) -> dict:
    """The student's own open attempt as the server stores it (read with the student's token)."""
    student = v.page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student'))")
    mine = v.server.api("GET", "/me/assignments", token=student["token"]).json()
    attempt_id = mine[0]["open_attempt_id"]
    return v.server.api("GET", f"/attempts/{attempt_id}", token=student["token"]).json()


def server_answers(v) -> dict:
    return server_attempt(v)["answers"]


def drawn_order(v, exercise_id: str) -> list[str]:
    """The option (or right-item) ids in the order the server drew for this attempt."""
    view = next(e for e in server_attempt(v)["exercises"] if e["id"] == exercise_id)
    return [o["id"] for o in view["options"] or view["right"]]


def shown_order(page) -> list[str]:
    """The option ids as the page shows them: choice inputs, or the first match row's menu."""
    if page.locator(".stage .match select").count():
        return page.locator(".stage .match select").first.locator("option").evaluate_all("els => els.map(e => e.value).filter(Boolean)")
    return page.locator(".stage .choices input").evaluate_all("els => els.map(e => e.value)")


def mouse_student(v, code: str) -> None:
    page = v.page
    join(v, code, "Amira")
    check_screen(page, "student-01-assignments")
    page.get_by_role("link", name="Start", exact=True).click()
    page.locator(STAGE).wait_for()
    # 1 highlight: two drags, one wrong mark removed again.
    mouse_mark(page, 107, 122)
    mouse_mark(page, 172, 186)
    mouse_mark(page, 53, 57)
    assert marks(page) == ["“said”", "“reckless gamble”", "“Everyone knows”"]
    page.get_by_role("button", name="Remove mark “said”").click()
    assert marks(page) == ["“reckless gamble”", "“Everyone knows”"]
    page.get_by_role("button", name="Glossary").click()
    page.get_by_role("dialog").wait_for()
    assert page.get_by_role("dialog").get_by_text("Loaded language").is_visible()
    check_screen(page, "student-02-glossary")
    page.keyboard.press("Escape")
    wait_saved(page)
    check_screen(page, "student-03-highlight")
    next_exercise(page, False)
    # 2 label_spans: drag, then choose the label from the menu.
    mouse_mark(page, 43, 78, "Named source, quoted")
    mouse_mark(page, 124, 169, "Vague source")
    assert page.locator(".stage .mark-label").all_inner_texts() == [" — Named source, quoted", " — Vague source"]
    check_screen(page, "student-04-label")
    next_exercise(page, False)
    page.get_by_label("It offers funding instead of an answer.").check()
    check_screen(page, "student-04a-single")
    next_exercise(page, False)
    assert shown_order(page) == drawn_order(v, "t-multi")  # the client shows the order the attempt was given
    page.get_by_label("The council budget").check()
    page.get_by_label("A local audit report").check()
    check_screen(page, "student-05-multi")
    next_exercise(page, False)
    assert shown_order(page) == drawn_order(v, "t-match")
    page.get_by_label("The bridge is safe.").select_option(label="Named and quoted")
    page.get_by_label("Repairs cost $2 million").select_option(label="Vague source")
    check_screen(page, "student-06-match")
    next_exercise(page, False)
    mouse_mark(page, 43, 52, "Source (who says it)")
    mouse_mark(page, 53, 57, "Cue (the saying word)")
    mouse_mark(page, 60, 78, "Content (what is claimed)")
    check_screen(page, "student-07-roles")
    next_exercise(page, False)
    page.get_by_label("Your answer").fill(PROBE_ANSWER)
    page.get_by_label("Your answer").blur()
    check_screen(page, "student-07a-short")
    next_exercise(page, False)
    page.get_by_label("Your neutral rewrite").fill("Critics said the plan was too risky.")
    page.get_by_label("3 – very sure").check()
    page.get_by_label("Your neutral rewrite").blur()
    wait_saved(page)
    check_screen(page, "student-08-rewrite")

    # Resume after a reload: every answer is back, from the server and this device.
    stored = server_answers(v)
    assert stored["t-highlight"]["spans"] == [{"start": 107, "end": 122}, {"start": 172, "end": 186}]
    assert stored["t-roles"]["source"] == {"start": 43, "end": 52}
    assert stored["t-rewrite"]["certainty"] == 3
    page.reload()
    page.locator(STAGE).wait_for()
    assert marks(page) == ["“reckless gamble”", "“Everyone knows”"]
    assert page.get_by_text("8 of 8 answered").is_visible()
    page.get_by_role("button", name=re.compile(r"^Exercise 4:")).click()
    assert shown_order(page) == drawn_order(v, "t-multi")  # the same order after the reload
    page.get_by_role("button", name=re.compile(r"^Exercise 7:")).click()
    assert page.get_by_label("Your answer").input_value() == PROBE_ANSWER

    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-submit").click()
    page.get_by_role("heading", name="Your result").wait_for()
    # A summary and one line per exercise; the feedback opens one click away.
    assert page.get_by_test_id("result-ex").count() == 8
    assert page.locator(".outcome").count() == 0
    # written answers wait for the teacher: the total says so rather than counting a provisional score
    total = page.get_by_test_id("total").inner_text()
    assert re.fullmatch(r"You scored [\d.]+ of 8 points so far — 2 written answers are waiting for your teacher, whose score will be added\.", total), total
    assert page.get_by_test_id("status-summary").inner_text().startswith("Of 8 exercises: ")
    check_screen(page, "student-09-result")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 2000, f"the closed result page is {height}px tall"
    page.get_by_test_id("result-ex").first.locator("summary").click()
    page.locator(".outcome").first.wait_for()
    assert page.locator(".outcome").count() == 1
    assert page.locator(".legend").count() == 1
    check_screen(page, "student-09a-result-open")


def keyboard_student(v, code: str) -> None:
    """Everything by keyboard: no click, no mouse move, at 360 px wide."""
    page = v.page
    join(v, code, PROBE_NAME, keyboard=True)
    assert page.get_by_test_id("student-name").inner_text() == PROBE_NAME
    assert page.locator("main img").count() == 0
    tab_to(page, "a.btn[href^='#/assignment/']")
    page.keyboard.press("Enter")
    page.locator(STAGE).wait_for()
    # 1 highlight
    tab_to(page, STAGE)
    key_mark(page, 107, 122)
    assert marks(page) == ["“reckless gamble”"]
    key_mark(page, 43, 52)
    page.keyboard.press("Delete")  # the caret is on the last marked word: remove that mark again
    assert marks(page) == ["“reckless gamble”"]
    assert "reckless gamble" in page.get_by_test_id("marker-live").inner_text() or True
    check_screen(page, "keyboard-01-highlight-360")
    next_exercise(page, True)
    # 2 label_spans: the third label, "Unattributed assertion"
    tab_to(page, STAGE)
    key_mark(page, 172, 222, menu_steps=2)
    assert page.locator(".stage .mark-label").all_inner_texts() == [" — Unattributed assertion"]
    next_exercise(page, True)
    # 3 single choice: Tab reaches the group (its options in this attempt's order), arrows move on to b; certainty 3 with arrows
    tab_to(page, ".stage .choices input[type=radio]")
    order = shown_order(page)
    steps = (order.index("b") - order.index(page.evaluate("() => document.activeElement.value"))) % len(order) or len(order)
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    assert page.locator(".stage input[type=radio][value=b]").is_checked()
    tab_to(page, ".stage .certainty input[type=radio]")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator(".stage .certainty input[value='3']").is_checked()
    next_exercise(page, True)
    # 4 multi choice: the first box only
    tab_to(page, ".stage input[type=checkbox][value=a]")
    page.keyboard.press("Space")
    next_exercise(page, True)
    # 5 match: arrows choose in the first select only
    tab_to(page, ".stage .match select")
    page.keyboard.press("ArrowDown")
    assert page.locator(".stage .match select").first.input_value() == shown_order(page)[0]  # the first right item shown
    next_exercise(page, True)
    # 6 roles with the menu: source, cue, content
    tab_to(page, STAGE)
    key_mark(page, 43, 52, menu_steps=0)
    key_mark(page, 53, 57, menu_steps=1)
    key_mark(page, 60, 78, menu_steps=2)
    assert len(marks(page)) == 3
    check_screen(page, "keyboard-02-roles-360")
    next_exercise(page, True)
    tab_to(page, ".stage textarea")
    page.keyboard.type("No evidence; it is about money rather than the argument.")
    next_exercise(page, True)
    tab_to(page, ".stage textarea")
    page.keyboard.type("Critics said the plan was a gamble.")
    tab_to(page, "[data-testid=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.testid === 'confirm-submit'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your result").wait_for()
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 360, f"the result page is {overflow}px wide at 360px"
    check_screen(page, "keyboard-03-result-360")


def test_whole_class_mouse_and_keyboard(visit) -> None:
    teacher = visit()
    code, dashboard_url = teacher_sets_up(teacher)
    check_screen(teacher.page, "teacher-05-gradebook-empty")

    page = teacher.page
    # The teacher's page stays open: it must fill in by polling, never by a reload.
    page.evaluate("() => { window.__not_reloaded = true; }")

    amira = visit()
    mouse_student(amira, code)
    page.get_by_test_id("gb-row").first.wait_for(timeout=15000)
    assert page.get_by_test_id("gb-row").count() == 1

    bo = visit(width=360, height=740)
    keyboard_student(bo, code)
    page.get_by_test_id("gb-row").nth(1).wait_for(timeout=15000)
    assert page.evaluate("() => window.__not_reloaded === true")
    assert page.url == dashboard_url
    rows = page.get_by_test_id("gb-row").all_inner_texts()
    assert any(r.startswith("Amira") for r in rows)
    assert any(PROBE_NAME in r for r in rows)
    assert page.locator("[data-testid=gradebook] img").count() == 0
    check_screen(page, "teacher-06-gradebook")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, "only the table scrolls sideways on a phone"
    check_screen(page, "teacher-06b-gradebook-360")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("tab", name="Item analysis").click()
    page.get_by_test_id("analysis-attempts").filter(has_text="2 submitted attempts").wait_for(timeout=15000)
    assert page.locator("[data-testid=analysis] tbody tr").count() >= 8
    check_screen(page, "teacher-07-analysis")

    page.get_by_role("tab", name="Heat map").click()
    # Word by word: both students marked "reckless" (highlight), nobody marked "Critics".
    page.locator('[data-testid=heatmap] .w[data-s="107"][data-marks]').wait_for()
    counts = page.locator("[data-testid=heatmap] .heat-count").all_inner_texts()
    assert "0 marks" in counts and any(c != "0 marks" for c in counts)
    assert page.locator('[data-testid=heatmap] .w[data-s="107"]').get_attribute("data-marks") == "2"
    assert page.locator('[data-testid=heatmap] .w[data-s="81"]').get_attribute("data-marks") is None
    page.get_by_label("Technique", exact=True).select_option(label="Unattributed assertion")
    page.wait_for_function("() => !document.querySelector('[data-testid=heatmap] .w[data-s=\"107\"]').dataset.marks")
    assert page.locator('[data-testid=heatmap] [data-block="b3"] .heat-count').inner_text() == "1 mark"
    assert page.locator('[data-testid=heatmap] .w[data-s="202"]').get_attribute("data-marks") == "1"
    check_screen(page, "teacher-08-heatmap")

    page.get_by_role("tab", name="Review queue").click()
    items = page.get_by_test_id("review-item")
    items.first.wait_for()
    assert items.count() == 4
    amira_short = items.filter(has_text="Amira — Explain")
    amira_short.get_by_test_id("student-text").wait_for()
    assert amira_short.get_by_test_id("student-text").inner_text() == PROBE_ANSWER
    amira_short.get_by_label(re.compile("^Score")).fill("1")
    amira_short.get_by_label("Comment for the student (optional)").fill(PROBE_COMMENT)
    check_screen(page, "teacher-09-review")
    amira_short.get_by_role("button", name="Save score").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=review-item]').length === 3", timeout=15000)

    with page.expect_download() as info:
        page.get_by_test_id("csv").click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "the spreadsheet download starts with a UTF-8 byte order mark"
    csv_text = raw.decode("utf-8-sig")
    assert "Amira" in csv_text and PROBE_NAME.replace('"', '""') in csv_text
    header = csv_text.splitlines()[0]
    # The columns name the exercises as the screen does: "Ex 1: Loaded words (of 1 point)".
    assert "Ex 1: Loaded words (of 1 point)" in header and "Ex 8: Rewrite (of 1 point)" in header
    assert "%" not in header and "t-highlight" not in header
    first = page.locator("[data-testid=gradebook] thead th.th-ex").first
    assert first.text_content().startswith("Ex 1") and first.locator(".th-title").text_content() == "Loaded words"

    # The reviewed comment reaches the student as text, not markup.
    amira.page.reload()
    amira.page.get_by_test_id("result-ex").filter(has_text="Explain").locator("summary").click()
    amira.page.get_by_test_id("review-comment").wait_for()
    assert amira.page.get_by_test_id("review-comment").inner_text() == PROBE_COMMENT
    assert amira.page.locator("main img, main b").count() == 0
