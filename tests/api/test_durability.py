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
