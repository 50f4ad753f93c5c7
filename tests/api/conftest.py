"""Builders for API tests: a tiny pack, an app on a fresh database, and a class with students.

Storage-backed fixtures run on SQLite always and on PostgreSQL when ``MEDIALIT_TEST_POSTGRES_URL``
is set (CI starts Debian's postgresql); without it the PostgreSQL cases are skipped, visibly.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402

TINY_PACK = Path(__file__).parent / "packs" / "tiny-api"
TEACHER_TOKEN = "teacher-token-for-tests-0123456789abcdef"
POSTGRES_ENV = "MEDIALIT_TEST_POSTGRES_URL"
API = "/api/v1"


def reset_postgres(url: str) -> None:
    """Empty the test database: every table of the public schema goes, so migrations start fresh."""
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        for table in tables:
            connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'medialit.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"set {POSTGRES_ENV} to run the storage tests on PostgreSQL")
    reset_postgres(url)
    return url


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(database_url=database_url, pack_dirs=(TINY_PACK,), teacher_token=TEACHER_TOKEN)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'medialit.db'}"


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(sqlite_url)), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def any_client(database_url: str) -> Iterator[TestClient]:
    """A client on SQLite and (when configured) PostgreSQL."""
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


TEACHER = bearer(TEACHER_TOKEN)


@dataclass
class Classroom:
    """A class with one assignment and two joined students (tokens and ids)."""

    client: TestClient
    class_id: int
    join_code: str
    assignment_id: int
    students: dict[str, str]

    def as_(self, name: str) -> dict[str, str]:
        return bearer(self.students[name])

    def start(self, name: str) -> dict[str, Any]:
        response = self.client.post(f"{API}/assignments/{self.assignment_id}/attempts", headers=self.as_(name))
        assert response.status_code in (200, 201), response.text
        return response.json()


def make_classroom(client: TestClient, quiz_id: str = "tiny-all", names: tuple[str, ...] = ("Ada", "Bea"), **assignment: Any) -> Classroom:
    made = client.post(f"{API}/classes", json={"name": "Test class"}, headers=TEACHER)
    assert made.status_code == 201, made.text
    klass = made.json()
    body = {"quiz_id": quiz_id, "feedback": "immediate", **assignment}
    created = client.post(f"{API}/classes/{klass['id']}/assignments", json=body, headers=TEACHER)
    assert created.status_code == 201, created.text
    students = {}
    for name in names:
        joined = client.post(f"{API}/join", json={"join_code": klass["join_code"], "display_name": name})
        assert joined.status_code == 201, joined.text
        students[name] = joined.json()["token"]
    return Classroom(client, klass["id"], klass["join_code"], created.json()["id"], students)


PERFECT_ANSWERS: dict[str, dict[str, Any]] = {
    "hl-01": {"type": "highlight", "spans": [{"exact": "slam"}, {"exact": "so-called reformers"}, {"exact": "want chaos"}]},
    "ls-01": {"type": "label_spans", "spans": [{"exact": "so-called reformers", "label": "name_calling"}, {"exact": "want chaos", "label": "loaded_language"}]},
    "sc-01": {"type": "single_choice", "choice": "a"},
    "mc-01": {"type": "multi_choice", "choices": ["a", "c"]},
    "ma-01": {"type": "match", "pairs": {"l1": "r1", "l2": "r2"}},
    "ar-01": {"type": "attribution_roles", "source": {"exact": "Experts"}, "cue": {"exact": "say", "prefix": "Experts"}, "content": {"exact": "the plan is costly"}},
    "sa-01": {"type": "short_answer", "text": "It is there to discredit them, and no evidence is given."},
    "rw-01": {"type": "rewrite", "text": "Critics criticise the plan"},
}
WRONG_ANSWERS: dict[str, dict[str, Any]] = {
    "hl-01": {"type": "highlight", "spans": [{"exact": "Officials said"}]},
    "ls-01": {"type": "label_spans", "spans": []},
    "sc-01": {"type": "single_choice", "choice": "b"},
    "mc-01": {"type": "multi_choice", "choices": ["b"]},
    "ma-01": {"type": "match", "pairs": {"l1": "r2", "l2": "r1"}},
    "ar-01": {"type": "attribution_roles"},
    "sa-01": {"type": "short_answer", "text": "I do not know."},
    "rw-01": {"type": "rewrite", "text": "Critics slam the plan"},
}
