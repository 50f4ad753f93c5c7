"""The installed ``medialit`` command: ``serve`` is ``python -m api``; the authoring commands stay as they were."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api import commands
from tests.api.conftest import TINY_PACK


def _medialit(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("MEDIALIT_")} | {"MEDIALIT_PORT": "0", **env}
    return subprocess.run([sys.executable, "-m", "api.commands", *args], cwd=tmp_path, env=full,
                          capture_output=True, text=True, timeout=60)


def test_help_lists_serve_beside_the_authoring_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        commands.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("serve", "lint", "anchor", "export", "print"))


def test_authoring_commands_are_handed_to_quizzes(capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.main(["lint", str(TINY_PACK)]) == 0
    assert "ok" in capsys.readouterr().out


def test_serve_is_the_launcher_with_its_options_and_exit_codes(tmp_path: Path) -> None:
    usage = _medialit(tmp_path, "serve", "--help")
    assert usage.returncode == 0 and "--reset-teacher-token" in usage.stdout
    refused = _medialit(tmp_path, "serve", MEDIALIT_METRICS="true")
    assert refused.returncode == 2 and "MEDIALIT_METRICS_TOKEN or MEDIALIT_METRICS_ADDRESSES" in refused.stderr
    assert "Traceback" not in refused.stderr
