"""Script-injection probes: user text is shown as text, never run; and the probe detector works."""

from __future__ import annotations

import pytest

from tests.web.conftest import TEACHER_TOKEN, Visit

pytestmark = pytest.mark.browser

PROBES = [
    '<img src=x onerror="alert(11)">',
    "<script>alert(12)</script>",
    '"><svg onload=alert(13)>',
    "javascript:alert(14)",
]


def test_dialog_detector_notices_a_script_that_runs(browser, server) -> None:
    v = Visit(browser, server)
    try:
        v.goto("#/")
        v.page.evaluate("() => alert('probe ran')")
        assert v.dialogs == ["probe ran"]
    finally:
        v.close()


def test_probes_in_a_class_name_and_display_names_stay_text(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": PROBES[0] + " class"}).json()
    server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-a"})
    for k, probe in enumerate(PROBES):
        r = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": f"{probe}{k}"})
        assert r.status_code == 201, r.text
    v = visit()
    v.goto("#/teacher")
    v.page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    v.page.get_by_role("button", name="Sign in").click()
    v.page.get_by_role("link", name=PROBES[0] + " class").click()
    v.page.locator(".students li").nth(len(PROBES) - 1).wait_for()
    names = v.page.locator(".students li .student-name").all_inner_texts()
    assert sorted(names) == sorted(f"{p}{k}" for k, p in enumerate(PROBES))
    assert v.page.locator("main img, main svg, main script").count() == 0


def test_probe_in_a_practice_answer_stays_text(visit) -> None:
    v = visit()
    v.goto("#/practice/tiny-practice/7")
    area = v.page.get_by_label("Your answer")
    area.fill(PROBES[0] + PROBES[1])
    v.page.get_by_test_id("check").click()
    v.page.get_by_test_id("outcome").wait_for()
    assert area.input_value() == PROBES[0] + PROBES[1]
    assert v.page.locator("main img, main script:not([src])").count() == 0
