"""The app (which always serves the export routes) on the tiny fixture pack and a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import TEACHER_TOKEN, make_settings
from tests.conftest import TINY_PACK


@pytest.fixture
def export_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'medialit.db'}", pack_dirs=(TINY_PACK,)))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def teacher(export_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(export_app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {TEACHER_TOKEN}"}) as client:
        yield client
