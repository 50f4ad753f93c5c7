"""Load benchmark of the teacher-run API: 32 concurrent clients saving and submitting answers.

Starts a real server (``python -m api``, uvicorn, SQLite in WAL mode with synchronous=FULL, the
shipped lesson pack) on 127.0.0.1 and drives it with an asyncio/httpx load generator on the same
machine, in two timed phases of equal length:

1. ``GET /api/v1/health`` (which runs ``SELECT 1`` on the database) from 32 clients;
2. the classroom workload from 32 clients, each a student: ``PUT`` an answer (the perfect answer
   of the next exercise, so bodies are realistic) and every 8th request ``POST .../submit``, then
   start the next attempt (joining again when attempts run out).

Reports requests per second and latency percentiles for both phases, and the throughput ratio
answer endpoint : health (target >= 0.5) and the p99 latency of answer requests (target < 100 ms).

    .venv/bin/python bench/bench_api.py [--seconds 10] [--clients 32] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizzes.examples import perfect_response  # noqa: E402
from quizzes.loading import DEFAULT_PACK, load_shipped_banks  # noqa: E402
from tests.api.server import ServerProcess  # noqa: E402

API = "/api/v1"
TOKEN = "bench-teacher-token-0123456789abcdefghij"
TEACHER = {"Authorization": f"Bearer {TOKEN}"}
SUBMIT_EVERY = 8


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Phase:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.submits = 0

    def summary(self, seconds: float) -> dict[str, float]:
        return {
            "requests": len(self.latencies), "rps": len(self.latencies) / seconds, "errors": self.errors,
            "p50_ms": 1000 * percentile(self.latencies, 0.50), "p99_ms": 1000 * percentile(self.latencies, 0.99),
        }


async def timed(phase: Phase, request: Any) -> httpx.Response:
    started = time.perf_counter()
    response = await request
    phase.latencies.append(time.perf_counter() - started)
    if response.status_code >= 400:
        phase.errors += 1
    return response


async def health_client(http: httpx.AsyncClient, phase: Phase, stop: float) -> None:
    while time.perf_counter() < stop:
        await timed(phase, http.get(f"{API}/health"))


async def join(http: httpx.AsyncClient, code: str, name: str) -> dict[str, str]:
    response = await http.post(f"{API}/join", json={"join_code": code, "display_name": name})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def student_client(http: httpx.AsyncClient, phase: Phase, stop: float, code: str, assignment: int, answers: dict[str, Any], index: int) -> None:
    rejoin = 0
    headers = await join(http, code, f"student-{index}")
    attempt = (await http.post(f"{API}/assignments/{assignment}/attempts", headers=headers)).json()
    step = 0
    while time.perf_counter() < stop:
        step += 1
        if step % SUBMIT_EVERY == 0:
            await timed(phase, http.post(f"{API}/attempts/{attempt['id']}/submit", headers=headers))
            phase.submits += 1
            started = await http.post(f"{API}/assignments/{assignment}/attempts", headers=headers)
            if started.status_code == 409:  # attempts used up: a new student takes the seat
                rejoin += 1
                headers = await join(http, code, f"student-{index}-{rejoin}")
                started = await http.post(f"{API}/assignments/{assignment}/attempts", headers=headers)
            attempt = started.json()
            continue
        exercise_id = attempt["exercise_order"][step % len(attempt["exercise_order"])]
        await timed(phase, http.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=answers[exercise_id], headers=headers))


async def run(url: str, seconds: float, clients: int) -> dict[str, dict[str, float]]:
    bank = load_shipped_banks()[DEFAULT_PACK]
    quiz = max(bank.quizzes.values(), key=lambda q: len(q.exercises))
    answers = {e.id: perfect_response(e, bank.pack).model_dump(mode="json", exclude_none=True) for e in bank.quiz_exercises(quiz.id)}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        klass = (await http.post(f"{API}/classes", json={"name": "bench"}, headers=TEACHER)).json()
        assignment = (await http.post(f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": quiz.id, "attempts_allowed": 20}, headers=TEACHER)).json()
        for _ in range(2):  # warm up connections and code paths
            await asyncio.gather(*(http.get(f"{API}/health") for _ in range(clients)))
        health = Phase()
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(health_client(http, health, stop) for _ in range(clients)))
        work = Phase()
        stop = time.perf_counter() + seconds
        await asyncio.gather(*(student_client(http, work, stop, klass["join_code"], assignment["id"], answers, i) for i in range(clients)))
    result = {"health": health.summary(seconds), "answers": work.summary(seconds)}
    result["answers"]["submits"] = work.submits
    result["answers"]["quiz"] = quiz.id  # type: ignore[assignment]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medialit-bench-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        with ServerProcess(url, [], TOKEN, Path(folder)) as server:
            result = asyncio.run(run(server.url, args.seconds, args.clients))
    health, work = result["health"], result["answers"]
    ratio = work["rps"] / health["rps"]
    print(f"clients={args.clients} phase={args.seconds:.0f}s database={'sqlite (WAL, synchronous=FULL)' if not args.database_url else args.database_url.split(':')[0]}")
    print(f"GET /health       {health['rps']:8.1f} req/s  p50 {health['p50_ms']:6.1f} ms  p99 {health['p99_ms']:6.1f} ms  errors {health['errors']}")
    print(f"answers (PUT+sub) {work['rps']:8.1f} req/s  p50 {work['p50_ms']:6.1f} ms  p99 {work['p99_ms']:6.1f} ms  errors {work['errors']}  submits {work['submits']}  quiz {work['quiz']}")
    print(f"ratio answers:health = {ratio:.2f} (target >= 0.5); answer p99 = {work['p99_ms']:.1f} ms (target < 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
