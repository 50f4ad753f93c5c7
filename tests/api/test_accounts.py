"""Teacher accounts: the administrator's routes and commands, and who may use them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api import deps
from api.app import create_app
from api.problems import MEDIA_TYPE, PROBLEM_BASE
from api.settings import Settings
from tests.api.conftest import API, TEACHER, TEACHER_TOKEN, TINY_PACK, bearer, make_classroom, make_settings
from tests.api.test_teacher_isolation import routes_needing

ADMIN_TOKEN = "admin-token-for-tests-0123456789abcdef"
ADMIN = bearer(ADMIN_TOKEN)


@pytest.fixture
def admin_client(sqlite_url: str):  # type: ignore[no-untyped-def]
    with TestClient(create_app(make_settings(sqlite_url, admin_token=ADMIN_TOKEN)), raise_server_exceptions=False) as client:
        yield client


def _problem(response, status: int, slug: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == MEDIA_TYPE and response.json()["type"] == PROBLEM_BASE + slug


def test_every_admin_route_refuses_teachers_students_and_anonymous_visitors(admin_client: TestClient) -> None:
    room = make_classroom(admin_client)
    routes = routes_needing(admin_client.app, deps._admin)
    assert len(routes) >= 3
    for method, template in routes:
        path = re.sub(r"{\w+}", "1", template)
        body = {"display_name": "Intruder"} if method == "POST" and template.endswith("/teachers") else None
        for who, headers in (("anonymous", {}), ("teacher", TEACHER), ("student", room.as_("Ada")), ("wrong", bearer("x" * 43))):
            response = admin_client.request(method, path, headers=headers, json=body)
            _problem(response, 401, "unauthorized")
            assert "Intruder" not in admin_client.get(f"{API}/admin/teachers", headers=ADMIN).text, who
    assert admin_client.get(f"{API}/classes", headers=ADMIN).status_code == 401, "the administrator token opens no class"


def test_the_administrator_creates_accounts_and_resets_their_tokens(admin_client: TestClient) -> None:
    made = admin_client.post(f"{API}/admin/teachers", json={"display_name": "  Ms Okafor "}, headers=ADMIN)
    assert made.status_code == 201, made.text
    account, token = made.json()["teacher"], made.json()["token"]
    assert account["display_name"] == "Ms Okafor" and account["has_token"] and len(token) >= 43
    assert admin_client.get(f"{API}/teachers/me", headers=bearer(token)).json()["display_name"] == "Ms Okafor"
    _problem(admin_client.post(f"{API}/admin/teachers", json={"display_name": "ms  OKAFOR"}, headers=ADMIN), 409, "conflict")
    _problem(admin_client.post(f"{API}/admin/teachers", json={"display_name": "Ms\u202eOkafor"}, headers=ADMIN), 422, "validation-error")
    reset = admin_client.post(f"{API}/admin/teachers/{account['id']}/token", headers=ADMIN)
    assert reset.status_code == 200 and reset.json()["token"] != token
    _problem(admin_client.get(f"{API}/teachers/me", headers=bearer(token)), 401, "unauthorized")
    assert admin_client.get(f"{API}/teachers/me", headers=bearer(reset.json()["token"])).status_code == 200
    _problem(admin_client.post(f"{API}/admin/teachers/999/token", headers=ADMIN), 404, "not-found")
    _problem(admin_client.post(f"{API}/admin/teachers/1/token", headers=ADMIN), 409, "conflict")  # MEDIALIT_TEACHER_TOKEN sets it
    names = [t["display_name"] for t in admin_client.get(f"{API}/admin/teachers", headers=ADMIN).json()]
    assert names == ["Teacher", "Ms Okafor"]
    assert [t["display_name"] for t in admin_client.get(f"{API}/teachers", headers=TEACHER).json()] == ["Ms Okafor", "Teacher"]


def test_first_start_makes_an_administrator_token_and_a_first_account_printed_once(sqlite_url: str) -> None:
    first = create_app(make_settings(sqlite_url, teacher_token=None))
    admin, teacher = first.state.new_admin_token, first.state.new_teacher_token
    assert admin and teacher and admin != teacher
    first.state.engine.dispose()
    second = create_app(make_settings(sqlite_url, teacher_token=None))
    assert second.state.new_admin_token is None and second.state.new_teacher_token is None
    with TestClient(second) as client:
        assert client.get(f"{API}/admin/teachers", headers=bearer(admin)).status_code == 200
        assert client.get(f"{API}/admin/teachers", headers=bearer(teacher)).status_code == 401
        assert client.get(f"{API}/teachers/me", headers=bearer(teacher)).json()["display_name"] == "Teacher"
    second.state.engine.dispose()
    third = create_app(make_settings(sqlite_url, teacher_token=TEACHER_TOKEN))
    with TestClient(third) as client:
        assert client.get(f"{API}/teachers/me", headers=TEACHER).json()["id"] == 1, "MEDIALIT_TEACHER_TOKEN is the first account's"
        assert client.get(f"{API}/teachers/me", headers=bearer(teacher)).status_code == 401


def test_admin_token_setting_is_checked() -> None:
    with pytest.raises(ValidationError, match="MEDIALIT_ADMIN_TOKEN must be at least"):
        Settings(admin_token="short")
    with pytest.raises(ValidationError, match="must differ"):
        Settings(admin_token=TEACHER_TOKEN, teacher_token=TEACHER_TOKEN)


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("MEDIALIT_")}
    full.update({"MEDIALIT_DATABASE_URL": f"sqlite:///{tmp_path / 'medialit.db'}", **env})
    return subprocess.run([sys.executable, "-m", "api", *args], cwd=tmp_path, env=full, capture_output=True, text=True, timeout=120)


def test_commands_add_list_and_reset_teacher_accounts(tmp_path: Path) -> None:
    added = _cli(tmp_path, "teachers", "add", "Ms Okafor")
    assert added.returncode == 0, added.stderr
    assert "new administrator token" in added.stdout and "first teacher account" in added.stdout, "the start-up tokens, once"
    token = re.search(r"account 2, 'Ms Okafor'; token \(shown only now\): (\S+)", added.stdout).group(1)  # type: ignore[union-attr]
    again = _cli(tmp_path, "teachers", "add", "MS OKAFOR")
    assert again.returncode == 1 and "already a teacher account" in again.stderr and "Traceback" not in again.stderr
    listed = _cli(tmp_path, "teachers", "list")
    assert listed.returncode == 0 and re.search(r"1\s+Teacher", listed.stdout) and re.search(r"2\s+Ms Okafor\s+\(0 classes\)", listed.stdout)
    assert "no token" not in listed.stdout and token not in listed.stdout
    reset = _cli(tmp_path, "teachers", "reset-token", "2")
    assert reset.returncode == 0, reset.stderr
    new_token = reset.stdout.strip().rsplit(" ", 1)[-1]
    assert new_token != token and len(new_token) >= 43
    assert _cli(tmp_path, "teachers", "reset-token", "99").returncode == 1
    admin = _cli(tmp_path, "admin", "reset-token")
    assert admin.returncode == 0
    admin_token = admin.stdout.strip().rsplit(" ", 1)[-1]
    assert _cli(tmp_path, "admin", "reset-token", MEDIALIT_ADMIN_TOKEN=ADMIN_TOKEN).returncode == 2
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'medialit.db'}", pack_dirs=(TINY_PACK,)))
    with TestClient(app) as client:
        assert client.get(f"{API}/teachers/me", headers=bearer(new_token)).json() == {"id": 2, "display_name": "Ms Okafor"}
        assert client.get(f"{API}/teachers/me", headers=bearer(token)).status_code == 401
        assert client.get(f"{API}/admin/teachers", headers=bearer(admin_token)).status_code == 200
    app.state.engine.dispose()


def test_commands_refuse_to_reset_a_token_the_environment_sets(tmp_path: Path) -> None:
    done = _cli(tmp_path, "teachers", "reset-token", "1", MEDIALIT_TEACHER_TOKEN=TEACHER_TOKEN)
    assert done.returncode == 1 and "MEDIALIT_TEACHER_TOKEN" in done.stderr


def test_workers_starting_together_on_a_fresh_database_make_one_administrator_token_and_one_first_account(database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from api.store.db import make_engine, migrate
    from api.store.tables import AdminCredential, TeacherRow
    from api.store.teachers import ensure_accounts

    engine = make_engine(database_url)
    migrate(engine)
    start = Barrier(4)

    def start_up(_: int) -> tuple[str | None, str | None]:
        with Session(engine) as session:
            start.wait()
            return ensure_accounts(session, None, None)

    try:
        with ThreadPoolExecutor(4) as pool:
            made = list(pool.map(start_up, range(4)))
        printed = [m for m in made if m != (None, None)]
        assert len(printed) == 1 and None not in printed[0], made
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(AdminCredential)) == 1
            assert session.scalar(select(func.count()).select_from(TeacherRow)) == 1
    finally:
        engine.dispose()
