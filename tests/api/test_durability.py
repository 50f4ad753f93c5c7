"""An answer acknowledged with 2xx survives ``kill -9`` of the server (a real uvicorn process)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.api.conftest import API, TEACHER, TEACHER_TOKEN, TINY_PACK, bearer
from tests.api.server import ServerProcess

pytestmark = pytest.mark.slow


def test_durability_acknowledged_answer_survives_kill_9(database_url: str, tmp_path: Path) -> None:
    server = ServerProcess(database_url, [TINY_PACK], TEACHER_TOKEN, tmp_path)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            klass = http.post(f"{API}/classes", json={"name": "Durable"}, headers=TEACHER).json()
            assignment = http.post(f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-all"}, headers=TEACHER).json()
            token = http.post(f"{API}/join", json={"join_code": klass["join_code"], "display_name": "Kim"}).json()["token"]
            attempt = http.post(f"{API}/assignments/{assignment['id']}/attempts", headers=bearer(token)).json()
            saved = [
                http.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=bearer(token))
                for exercise_id, body in [("sc-01", {"type": "single_choice", "choice": "a"}), ("sa-01", {"type": "short_answer", "text": "Ünïcode ✓ kept"})]
            ]
            assert [r.status_code for r in saved] == [200, 200]
        server.kill()
    finally:
        server.stop()

    with ServerProcess(database_url, [TINY_PACK], TEACHER_TOKEN, tmp_path) as again, httpx.Client(base_url=again.url, timeout=10) as http:
        state = http.get(f"{API}/attempts/{attempt['id']}", headers=bearer(token))
        assert state.status_code == 200, state.text
        assert state.json()["answers"] == {
            "sc-01": {"type": "single_choice", "choice": "a"},
            "sa-01": {"type": "short_answer", "text": "Ünïcode ✓ kept"},
        }


def test_durability_concurrent_saves_are_each_committed(any_client) -> None:  # type: ignore[no-untyped-def]
    """Group commit: 32 saves at once from different students all land, each acknowledged."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.api.conftest import make_classroom

    names = tuple(f"S{i}" for i in range(16))
    room = make_classroom(any_client, names=names)
    attempts = {name: room.start(name)["id"] for name in names}

    def save(job: tuple[str, str]) -> int:
        name, choice = job
        body = {"type": "single_choice", "choice": choice}
        return any_client.put(f"{API}/attempts/{attempts[name]}/answers/sc-01", json=body, headers=room.as_(name)).status_code

    jobs = [(name, choice) for name in names for choice in ("b", "a")]
    with ThreadPoolExecutor(max_workers=32) as pool:
        assert set(pool.map(save, jobs)) == {200}
    for name in names:
        answers = any_client.get(f"{API}/attempts/{attempts[name]}", headers=room.as_(name)).json()["answers"]
        assert answers["sc-01"]["type"] == "single_choice"


def test_durability_writer_refuses_saves_to_submitted_attempts(client) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import make_classroom

    room = make_classroom(client)
    attempt = room.start("Ada")
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    writer = client.app.state.answer_writer
    from api.errors import AttemptSubmitted
    from api.store.tables import utcnow

    try:
        writer.save(attempt["id"], "sc-01", {"type": "single_choice", "choice": "a"}, utcnow())
    except AttemptSubmitted:
        pass
    else:
        raise AssertionError("a save to a submitted attempt must be refused by the writer itself")
    assert client.get(f"{API}/attempts/{attempt['id']}", headers=room.as_("Ada")).json()["answers"] == {}


def test_durability_a_save_racing_a_submit_is_refused_not_lost(database_url: str) -> None:
    """A save that arrives while a submit is committing waits, then is refused (never stored unscored)."""
    import threading
    import time

    from fastapi.testclient import TestClient
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from api.app import create_app
    from api.errors import AttemptSubmitted
    from api.store.tables import AttemptRow, utcnow
    from tests.api.conftest import make_classroom, make_settings

    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        room = make_classroom(client)
        attempt_id = room.start("Ada")["id"]
        claimed = threading.Event()

        def slow_submit() -> None:
            with Session(app.state.engine) as session:
                session.execute(update(AttemptRow).where(AttemptRow.id == attempt_id).values(submitted_at=utcnow()))
                claimed.set()
                time.sleep(0.5)  # the submit is still scoring when the save arrives
                session.commit()

        submitter = threading.Thread(target=slow_submit)
        submitter.start()
        claimed.wait(5)
        outcome: list[object] = []
        try:
            app.state.answer_writer.save(attempt_id, "sc-01", {"type": "single_choice", "choice": "a"}, utcnow())
            outcome.append("saved")
        except AttemptSubmitted:
            outcome.append("refused")
        submitter.join()
        assert outcome == ["refused"]
        assert client.get(f"{API}/attempts/{attempt_id}", headers=room.as_("Ada")).json()["answers"] == {}
    app.state.engine.dispose()
