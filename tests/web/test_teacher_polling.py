"""The teacher's dashboard polls conditionally: it sends the ETag it holds, a 304 leaves the screen as
it is, a change is drawn at the next poll, and a hidden tab polls less and less often.

The dashboard test waits for the page's own polls (events, not durations); the back-off test runs
on Playwright's fake clock, which the test moves on.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import TEACHER_TOKEN

pytestmark = pytest.mark.browser



def _sign_in(v) -> None:  # type: ignore[no-untyped-def]
    v.goto("#/teacher")
    v.page.get_by_label("Teacher token").fill(TEACHER_TOKEN)
    v.page.get_by_role("button", name="Sign in").click()
    v.page.get_by_role("heading", name="Your classes").wait_for()


def _submit(server, klass, assignment, name: str) -> None:  # type: ignore[no-untyped-def]
    joined = server.api("POST", "/join", token=None, json={"join_code": klass["join_code"], "display_name": name}).json()
    attempt = server.api("POST", f"/assignments/{assignment['id']}/attempts", token=joined["token"]).json()
    r = server.api("PUT", f"/attempts/{attempt['id']}/answers/t-short", token=joined["token"], json={"type": "short_answer", "text": "Because."})
    assert r.status_code in (200, 201), r.text
    assert server.api("POST", f"/attempts/{attempt['id']}/submit", token=joined["token"]).status_code == 200


def test_the_dashboard_polls_with_if_none_match_and_draws_what_changed(visit, server) -> None:
    klass = server.api("POST", "/classes", json={"name": "Polling"}).json()
    assignment = server.api("POST", f"/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-all"}).json()
    _submit(server, klass, assignment, "Ada Poll")
    v = visit()
    _sign_in(v)
    page = v.page
    path = f"/api/v1/assignments/{assignment['id']}/results"
    is_results = lambda r: r.url.endswith(path)  # noqa: E731
    with page.expect_response(is_results) as first:
        v.goto(f"#/teacher/assignment/{assignment['id']}")
    assert first.value.status == 200 and "if-none-match" not in first.value.request.all_headers()
    etag = first.value.headers["etag"]
    gradebook = page.get_by_test_id("gradebook")
    gradebook.get_by_text("Ada Poll").first.wait_for()

    # the next poll (the page's own 4 s timer) sends the ETag and gets a 304
    with page.expect_response(is_results, timeout=15000) as unchanged:
        pass
    assert unchanged.value.request.all_headers()["if-none-match"] == etag
    assert unchanged.value.status == 304
    assert gradebook.get_by_text("Ada Poll").first.is_visible()  # a 304 keeps what is on screen

    _submit(server, klass, assignment, "Bea Poll")
    with page.expect_response(lambda r: is_results(r) and r.status == 200, timeout=15000) as changed:
        pass
    assert changed.value.request.all_headers()["if-none-match"] == etag
    assert changed.value.headers["etag"] != etag
    gradebook.get_by_text("Bea Poll").first.wait_for()
    assert gradebook.get_by_text("Ada Poll").first.is_visible()
    # the analysis is polled the same way (the poll after the change is the first to find it unchanged)
    with page.expect_response(lambda r: r.url.endswith(f"/assignments/{assignment['id']}/analysis") and r.status == 304, timeout=15000) as analysis:
        pass
    assert analysis.value.request.all_headers()["if-none-match"].startswith('W/"')


_POLL_PROBE = """async ({interval, maxHidden}) => {
  const { poll } = await import("/polling.js");
  window.__ticks = [];
  window.__hidden = false;
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (window.__hidden ? "hidden" : "visible") });
  window.__stop = poll(() => { window.__ticks.push(Date.now()); }, { interval, maxHidden });
  window.__start = Date.now();
}"""


def _ticks(page) -> list[int]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__ticks.map((t) => t - window.__start)")


def _advance(page, ms: int, step: int = 500) -> None:  # type: ignore[no-untyped-def]
    # small steps, so the next timeout (set once the previous tick settles) falls inside the run
    for _ in range(ms // step):
        page.clock.run_for(step)


def test_polling_backs_off_while_the_tab_is_hidden_and_resumes_when_shown(visit, server) -> None:
    v = visit()
    page = v.page
    page.clock.install()
    v.goto("#/")
    page.wait_for_selector("#join-h")
    page.clock.pause_at(page.evaluate("Date.now()") + 100)
    page.evaluate(_POLL_PROBE, {"interval": 1000, "maxHidden": 8000})

    _advance(page, 3000)
    visible = _ticks(page)
    assert len(visible) == 3  # every second while visible

    page.evaluate("() => { window.__hidden = true; document.dispatchEvent(new Event('visibilitychange')); }")
    _advance(page, 40000)
    hidden = [t for t in _ticks(page) if t > visible[-1]]
    gaps = [b - a for a, b in zip([visible[-1], *hidden], hidden)]
    assert gaps[:4] == [1000, 2000, 4000, 8000], gaps  # each wait doubles ...
    assert set(gaps[4:]) <= {8000}, gaps  # ... up to the ceiling
    assert len(hidden) < 10  # far fewer than the 40 a visible tab would make

    before = len(_ticks(page))
    page.evaluate("() => { window.__hidden = false; document.dispatchEvent(new Event('visibilitychange')); }")
    assert len(_ticks(page)) == before + 1  # shown again: polled at once, without waiting
    _advance(page, 2000)
    assert len(_ticks(page)) == before + 3  # and every second again
    page.evaluate("window.__stop()")
    _advance(page, 5000)
    assert len(_ticks(page)) == before + 3
