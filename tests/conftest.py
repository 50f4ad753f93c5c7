"""Shared fixtures: the tiny pack and ways to build broken copies of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TINY_PACK = FIXTURES / "packs" / "tiny"


@pytest.fixture
def tiny_pack_dir() -> Path:
    return TINY_PACK


@pytest.fixture
def pack_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the tiny pack into ``tmp_path`` and let a test edit one JSON file of it."""

    def make(edit_file: str | None = None, edit: Callable[[Any], Any] | None = None) -> Path:
        target = tmp_path / "tiny"
        if not target.exists():
            shutil.copytree(TINY_PACK, target)
        if edit_file and edit:
            path = target / edit_file
            data = json.loads(path.read_text(encoding="utf-8"))
            result = edit(data)
            path.write_text(json.dumps(data if result is None else result, ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    return make


REQUIRE_ALL = bool(__import__("os").environ.get("MEDIALIT_REQUIRE_ALL"))
_MUST_RUN_MARKERS = ("browser", "postgres")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001 - pytest hook signature
    """In CI (``MEDIALIT_REQUIRE_ALL``), a browser or PostgreSQL test that skips is a failure.

    Locally those tests skip with a reason when chromium or a server is missing; CI installs both,
    so a skip there means the setup broke and must not pass silently.
    """
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and any(item.get_closest_marker(m) for m in _MUST_RUN_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where it must run: {report.longrepr}"
