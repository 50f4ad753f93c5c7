"""First load: light (under 150 KB transferred) and entirely local (no request leaves the server)."""

from __future__ import annotations

import pytest

from tests.web.conftest import check_screen

pytestmark = pytest.mark.browser

BUDGET_BYTES = 150 * 1024


def test_first_load_under_budget_and_local(visit) -> None:
    v = visit()
    sizes: dict[str, int] = {}

    def record(response) -> None:
        try:
            body = response.body()
        except Exception:  # a redirect or aborted response has no body
            body = b""
        # Transferred size: the body as sent (after content-encoding) plus headers.
        headers = response.headers
        length = int(headers["content-length"]) if "content-length" in headers else len(body)
        sizes[response.url] = length + sum(len(k) + len(val) + 4 for k, val in headers.items())

    v.page.on("response", record)
    v.goto("#/")
    v.page.wait_for_selector("#join-h")
    v.page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert total < BUDGET_BYTES, f"first load transferred {total} bytes: {sizes}"
    assert any(u.endswith("/app.js") for u in sizes), "the app script was not loaded"
    assert v.external_requests() == []
    check_screen(v.page, "home")


def test_every_screen_stays_on_the_server(visit, server) -> None:
    v = visit()
    for screen in ("#/", "#/practice", "#/read", "#/teacher", "#/student", "#/no-such-screen"):
        v.goto(screen)
        v.page.wait_for_selector("main h1")
        v.page.wait_for_load_state("networkidle")
    check_screen(v.page, "not-found")
    v.goto("#/student")
    v.page.get_by_role("heading", name="Join a class first").wait_for()
    check_screen(v.page, "student-not-joined")
    assert v.external_requests() == []
    assert any("/api/v1/" in u for u in v.requests), "the screens did not call the API"
