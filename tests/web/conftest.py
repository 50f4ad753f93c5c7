"""Browser tests: a real uvicorn server on a free port with a temporary SQLite database and the
tiny fixture pack, driven by Debian's chromium through Python playwright (sync API).

Every page records the requests it makes; a test fails if any goes to another origin. Screenshots
of each screen go to ``artifacts/screenshots/`` (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
TINY_PACK = ROOT / "tests" / "fixtures" / "packs" / "tiny"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TEACHER_TOKEN = "teacher-token-for-browser-tests-0123456789abcdef"
ADMIN_TOKEN = "admin-token-for-browser-tests-0123456789abcdef"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real chromium against a real server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A uvicorn process serving ``api.app:create_app(Settings())`` configured by environment."""

    def __init__(self, workdir: Path, pack_dirs: list[Path]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        env = {
            **os.environ,
            "MEDIALIT_DATABASE_URL": f"sqlite:///{workdir / 'medialit.db'}",
            "MEDIALIT_DATA_DIR": str(workdir),
            "MEDIALIT_TEACHER_TOKEN": TEACHER_TOKEN,
            "MEDIALIT_ADMIN_TOKEN": ADMIN_TOKEN,
            "MEDIALIT_PACK_DIRS": json.dumps([str(p) for p in pack_dirs]),
            "PYTHONPATH": str(ROOT),
        }
        code = (
            "import uvicorn; from api.app import create_app; from api.settings import Settings; "
            f"uvicorn.run(create_app(Settings()), host='127.0.0.1', port={self.port}, log_level='warning')"
        )
        self.log = open(workdir / "server.log", "wb")
        self.process = subprocess.Popen([sys.executable, "-c", code], cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {(workdir / 'server.log').read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start: {(workdir / 'server.log').read_text(errors='replace')}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def api(self, method: str, path: str, token: str | None = TEACHER_TOKEN, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    srv = Server(tmp_path_factory.mktemp("server"), [TINY_PACK])
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """One browser context (one person's device) with request recording."""

    def __init__(self, browser: Any, server: Server, width: int = 1280, height: int = 900, touch: bool = False) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        # Uncaught exceptions in the client; failed HTTP requests are expected in some tests and are not counted.
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        # A script-injection probe that ran would most likely call alert(): record and dismiss it.
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def goto(self, hash_path: str = "#/") -> None:
        self.page.goto(f"{self.server.url}/{hash_path}")

    def external_requests(self) -> list[str]:
        own = urlsplit(self.server.url).netloc
        return [u for u in self.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, server: Server) -> Iterator[Callable[..., Visit]]:
    opened: list[Visit] = []

    def make(**kwargs: Any) -> Visit:
        v = Visit(browser, server, **kwargs)
        opened.append(v)
        return v

    yield make
    for v in opened:
        external = v.external_requests()
        v.close()
        assert external == [], f"requests left the server: {external}"
        assert v.dialogs == [], f"a dialog opened (injected script ran?): {v.dialogs}"
        assert v.page_errors == [], f"uncaught errors in the page: {v.page_errors}"


def check_screen(page: Any, name: str) -> None:
    """Screenshot the screen and run axe-core on it: no violation of any impact is allowed."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]
    assert bad == [], f"axe on {name}: " + "; ".join(bad)
