"""``python -m api``: clear messages and exit codes when it cannot start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.api.conftest import TINY_PACK


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "MEDIALIT_PORT": "0", **env}
    return subprocess.run([sys.executable, "-m", "api"], cwd=tmp_path, env=full, capture_output=True, text=True, timeout=60)


def test_launcher_refuses_a_broken_pack(tmp_path: Path) -> None:
    broken = tmp_path / "pack"
    broken.mkdir()
    (broken / "pack.json").write_text("{not json")
    done = _run(tmp_path, MEDIALIT_PACK_DIRS=json.dumps([str(broken)]))
    assert done.returncode == 3 and "pack.json" in done.stderr and "Traceback" not in done.stderr


def test_launcher_reports_an_unreachable_database(tmp_path: Path) -> None:
    done = _run(tmp_path, MEDIALIT_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none", MEDIALIT_PACK_DIRS=json.dumps([str(TINY_PACK)]))
    assert done.returncode == 4 and "cannot open the database" in done.stderr and "Traceback" not in done.stderr
