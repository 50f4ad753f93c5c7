"""Answers a student's device kept from before revision 0006 are not sent again.

That revision renamed option ids in the stored answers; a draft the old client kept names the old
ids, so sending it on the next visit would choose another option than the student did.
"""

from __future__ import annotations

import pytest

from tests.web.actions import STAGE
from tests.web.test_student_errors import make_class, start_first_assignment

pytestmark = pytest.mark.browser


def test_a_draft_in_the_old_ids_is_dropped_not_sent(visit, server) -> None:
    v = visit()
    start_first_assignment(v, make_class(server), "Draft Dora")
    token = v.page.evaluate("() => JSON.parse(localStorage.getItem('medialit.student')).token")
    attempt_id = server.api("GET", "/me/assignments", token=token).json()[0]["open_attempt_id"]
    saved = server.api("PUT", f"/attempts/{attempt_id}/answers/t-single", json={"type": "single_choice", "choice": "b"}, token=token)
    assert saved.status_code == 200, saved.text
    # What the client before 0006 left on the device: every answer it had sent, under the old key.
    old_draft = '{"t-single": {"type": "single_choice", "choice": "a"}}'
    v.page.evaluate("([k, d]) => localStorage.setItem(k, d)", [f"medialit.answers.{attempt_id}", old_draft])
    v.page.reload()
    v.page.locator(STAGE).wait_for()
    v.page.wait_for_timeout(1500)  # longer than the client's 400 ms autosave delay
    assert v.page.get_by_test_id("save-state").inner_text() == "All answers saved."
    answers = server.api("GET", f"/attempts/{attempt_id}", token=token).json()["answers"]
    assert answers["t-single"] == {"type": "single_choice", "choice": "b"}
    assert v.page.evaluate("k => localStorage.getItem(k)", f"medialit.answers.{attempt_id}") is None
