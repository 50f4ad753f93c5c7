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


def test_launcher_serves_lti_routes_only_when_configured(tmp_path: Path, sqlite_url: str) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import make_settings
    from tests.api.lti.test_config_file import PLATFORM, write

    with TestClient(create_app(make_settings(sqlite_url))) as plain:
        assert plain.get("/lti/jwks").status_code == 404
        assert plain.get("/api/v1/quizzes/tiny-all/export/qti").status_code == 401, "exports are always served, to teachers"
    config = write(tmp_path, {"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [PLATFORM]})
    with TestClient(create_app(make_settings(sqlite_url, lti_config=config))) as with_lti:
        assert with_lti.get("/lti/jwks").json()["keys"][0]["kid"] == "k1"


def test_launcher_refuses_a_broken_lti_file(tmp_path: Path) -> None:
    (tmp_path / "lti.json").write_text("{}")
    done = _run(tmp_path, MEDIALIT_LTI_CONFIG=str(tmp_path / "lti.json"), MEDIALIT_PACK_DIRS=json.dumps([str(TINY_PACK)]))
    assert done.returncode == 2 and "LTI registration file" in done.stderr and "Traceback" not in done.stderr


def test_launcher_refuses_several_workers_on_sqlite_and_says_why(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "api", "--workers", "2"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MEDIALIT_PORT": "0", "MEDIALIT_PACK_DIRS": json.dumps([str(TINY_PACK)])})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "SQLite" in done.stderr and "write lock" in done.stderr and "--allow-sqlite-workers" in done.stderr
    assert not (tmp_path / "data").exists(), "refused before the database is touched"


def test_sqlite_workers_refusal_follows_the_settings(tmp_path: Path) -> None:
    from api.serving import sqlite_workers_refusal
    from tests.api.conftest import make_settings

    sqlite = f"sqlite:///{tmp_path / 'medialit.db'}"
    assert sqlite_workers_refusal(make_settings(sqlite)) is None
    assert "write lock" in (sqlite_workers_refusal(make_settings(sqlite, workers=3)) or "")
    assert sqlite_workers_refusal(make_settings(sqlite, workers=3, sqlite_workers=True)) is None
    assert sqlite_workers_refusal(make_settings("postgresql+psycopg://u@127.0.0.1/db", workers=3)) is None


def test_workers_get_the_guarded_protocol_by_name() -> None:
    import importlib

    from api.serving import APP, PROTOCOL

    module, name = PROTOCOL.split(":")
    protocol = getattr(importlib.import_module(module), name)
    assert hasattr(protocol, "_evict_one") and hasattr(protocol, "_headers_overdue"), "uvicorn's workers must run the connection guard"
    module, name = APP.split(":")
    assert callable(getattr(importlib.import_module(module), name))
