"""What the teacher-to-teacher ownership check costs a teacher request.

Reproduce (from the repository root)::

    PYTHONPATH=. .venv/bin/python bench/bench_teacher_check.py

Times ``GET /api/v1/assignments/{id}`` in process (TestClient, SQLite) 500 times with the path-id
check of ``api.deps`` (``api.store.ownership.check_path_ids``: one indexed query per id in the
path) and 500 times with it replaced by a no-op, alternating twice; prints median and p90 of each.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

from fastapi.testclient import TestClient  # noqa: E402

import api.deps  # noqa: E402
from api.app import create_app  # noqa: E402
from tests.api.conftest import TEACHER, make_classroom, make_settings  # noqa: E402

ROUNDS, WARM_UP = 600, 100


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="medialit-bench-"))
    app = create_app(make_settings(f"sqlite:///{folder / 'medialit.db'}"))
    with TestClient(app) as client:
        room = make_classroom(client)
        real = api.deps.check_path_ids

        def run(label: str) -> None:
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                assert client.get(f"/api/v1/assignments/{room.assignment_id}", headers=TEACHER).status_code == 200
                times.append(time.perf_counter() - started)
            kept = sorted(times[WARM_UP:])
            print(f"{label}: median {statistics.median(kept) * 1000:.2f} ms, p90 {kept[int(len(kept) * 0.9)] * 1000:.2f} ms")

        for _ in range(2):
            api.deps.check_path_ids = real
            run("with the path check   ")
            api.deps.check_path_ids = lambda *args: None  # type: ignore[assignment]
            run("without the path check")
        api.deps.check_path_ids = real
    app.state.engine.dispose()


if __name__ == "__main__":
    main()
