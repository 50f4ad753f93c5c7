"""The class page's learning-gain card: tick a pre- and a post-check, see the figures and the bars."""

from __future__ import annotations

import pytest

from tests.web.conftest import TEACHER_TOKEN, check_screen

pytestmark = pytest.mark.browser

RIGHT = {"t-highlight": {"type": "highlight", "spans": [{"start": 107, "end": 122}, {"start": 172, "end": 186}]},
         "t-single": {"type": "single_choice", "choice": "b"}}
WRONG = {"t-highlight": {"type": "highlight", "spans": [{"start": 53, "end": 57}]},
         "t-single": {"type": "single_choice", "choice": "a"}}


def _take(server, token: str, assignment_id: int, answers: dict) -> None:
    attempt = server.api("POST", f"/assignments/{assignment_id}/attempts", token=token).json()
    for exercise_id, body in answers.items():
        assert server.api("PUT", f"/attempts/{attempt['id']}/answers/{exercise_id}", token=token, json=body).status_code == 200
    assert server.api("POST", f"/attempts/{attempt['id']}/submit", token=token).status_code == 200


def test_class_page_shows_the_learning_gain_of_a_pre_and_post_check(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Gain"}).json()
    pre = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"}).json()
    post = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"}).json()
    tokens = {name: server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": name}).json()["token"]
              for name in ("Ada", "Bea")}
    _take(server, tokens["Ada"], pre["id"], WRONG)
    _take(server, tokens["Ada"], post["id"], RIGHT)
    _take(server, tokens["Bea"], pre["id"], RIGHT)

    v = visit()
    v.goto("#/teacher")
    v.page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    v.page.get_by_role("button", name="Sign in").click()
    v.page.get_by_role("heading", name="Your classes").wait_for()
    v.goto(f"#/teacher/class/{klass['id']}")
    page = v.page
    card = page.locator("section").filter(has=page.get_by_role("heading", name="Learning gain"))
    card.get_by_role("button", name="Show learning gain").click()
    assert card.get_by_role("alert").inner_text() == "Tick at least one assignment on each side."
    card.get_by_role("group", name="Before (pre-check)").get_by_label(f"(#{pre['id']})").check()
    card.get_by_role("group", name="After (post-check)").get_by_label(f"(#{post['id']})").check()
    card.get_by_role("button", name="Show learning gain").click()
    page.get_by_test_id("gain-paired").wait_for()
    assert page.get_by_test_id("gain-paired").inner_text() == "1 student with both attempts."
    per_skill = card.get_by_role("region", name="Learning gain per skill")
    assert per_skill.get_by_role("row", name="All skills").inner_text().split("\t") == ["All skills", "0%", "100%", "+100", "1.00"]
    assert card.get_by_role("region", name="Learning gain per student").get_by_role("row", name="Ada").is_visible()
    assert card.get_by_text("Only a pre-check: Bea.").is_visible()
    widths = page.eval_on_selector_all(".gain-after", "els => els.map(e => e.style.width)")
    assert widths and set(widths) == {"100%"}
    check_screen(page, "teacher-11-gain")
