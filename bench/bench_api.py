"""Load benchmark of the teacher-run API: 32 concurrent clients saving and submitting answers.

Starts a real server (``python -m api``, uvicorn, SQLite in WAL mode with synchronous=FULL, the
shipped lesson pack) on 127.0.0.1 and loads it from the same machine in timed phases of equal
length, 32 connections each:

1. ``wrk`` (Debian's package; a C load generator, so the client does not eat the server's CPU):
   ``GET /api/v1/health`` (which runs ``SELECT 1`` on the database), then ``PUT`` autosaves
   spread over 32 students' attempts (the perfect answer of each exercise, so bodies are
   realistic). The throughput ratio autosave : health (target >= 0.5) and the autosave p99
   latency (target < 100 ms) come from this phase.
2. asyncio/httpx, 32 students each saving answers and submitting every 8th request, then starting
   the next attempt (joining again when attempts run out): the full classroom mix, submits
   included. The Python client costs CPU on the same two cores, so its rates are lower bounds.

    .venv/bin/python bench/bench_api.py [--seconds 10] [--clients 32] [--submit-every 8] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizzes.reference_responses import perfect_response  # noqa: E402
from quizzes.loading import DEFAULT_PACK, load_shipped_banks  # noqa: E402
from tests.api.server import ServerProcess  # noqa: E402

API = "/api/v1"
TOKEN = "bench-teacher-token-0123456789abcdefghij"
TEACHER = {"Authorization": f"Bearer {TOKEN}"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Phase:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.dropped = 0
        self.submits = 0

    def summary(self, seconds: float) -> dict[str, float]:
        return {
            "requests": len(self.latencies), "rps": len(self.latencies) / seconds, "errors": self.errors, "dropped": self.dropped,
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


async def student_client(http: httpx.AsyncClient, phase: Phase, stop: float, code: str, assignment: int, answers: dict[str, Any], index: int, submit_every: int) -> None:
    seat = {"rejoin": 0, "headers": await join(http, code, f"student-{index}")}
    seat["attempt"] = (await http.post(f"{API}/assignments/{assignment}/attempts", headers=seat["headers"])).json()
    step = 0
    while time.perf_counter() < stop:
        step += 1
        try:
            await student_step(http, phase, seat, code, assignment, answers, index, submit_every, step)
        except httpx.TransportError:
            # A dropped connection is a failed request, counted and reported, not the end of the run.
            phase.errors += 1
            phase.dropped += 1


async def student_step(http: httpx.AsyncClient, phase: Phase, seat: dict[str, Any], code: str, assignment: int,
                       answers: dict[str, Any], index: int, submit_every: int, step: int) -> None:
    """One request of a student: an autosave, or (every ``submit_every``-th) a submit and a new attempt."""
    attempt, headers = seat["attempt"], seat["headers"]
    if step % submit_every == 0:
        await timed(phase, http.post(f"{API}/attempts/{attempt['id']}/submit", headers=headers))
        phase.submits += 1
        started = await http.post(f"{API}/assignments/{assignment}/attempts", headers=headers)
        if started.status_code == 409:  # attempts used up: a new student takes the seat
            seat["rejoin"] += 1
            seat["headers"] = headers = await join(http, code, f"student-{index}-{seat['rejoin']}")
            started = await http.post(f"{API}/assignments/{assignment}/attempts", headers=headers)
        seat["attempt"] = started.json()
        return
    exercise_id = attempt["exercise_order"][step % len(attempt["exercise_order"])]
    await timed(phase, http.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=answers[exercise_id], headers=headers))


WRK_SCRIPT = """
local requests = {}
local counter = 0
init = function(args)
  for i, r in ipairs(PLAN) do
    requests[i] = wrk.format(r[1], r[2], {["Authorization"] = "Bearer " .. r[3], ["Content-Type"] = "application/json"}, r[4])
  end
  counter = math.random(#requests)
end
request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


async def prepare_autosaves(url: str, clients: int, answers: dict[str, Any], code: str, assignment: int) -> list[tuple[str, str, str, str]]:
    """Join ``clients`` students and start their attempts; one PUT per (student, exercise)."""
    plan = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for index in range(clients):
            headers = await join(http, code, f"wrk-{index}")
            attempt = (await http.post(f"{API}/assignments/{assignment}/attempts", headers=headers)).json()
            token = headers["Authorization"].removeprefix("Bearer ")
            for exercise_id in attempt["exercise_order"]:
                plan.append(("PUT", f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", token, json.dumps(answers[exercise_id])))
    return plan


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process so far (Linux ``/proc``), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, path: str, seconds: float, clients: int, script: Path | None, pid: int) -> dict[str, float]:
    """Run wrk and read its requests/s, p50/p99 latency (ms), non-2xx count and the server's CPU ms per request.

    CPU per request does not depend on what else the machine is doing, unlike the rates: on a
    shared machine it is the steadier figure for comparing the two routes.
    """
    command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, int(seconds))}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    cpu_before = server_cpu_seconds(pid)
    output = subprocess.run(command + [url + path], capture_output=True, text=True, check=True).stdout
    cpu = server_cpu_seconds(pid) - cpu_before

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    total = float(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return {"rps": rps, "p50_ms": latency("50"), "p99_ms": latency("99"), "errors": float(errors.group(1)) if errors else 0.0,
            "cpu_ms": 1000 * cpu / total if total else float("nan")}


async def run(url: str, seconds: float, clients: int, submit_every: int) -> dict[str, dict[str, float]]:
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
        await asyncio.gather(*(student_client(http, work, stop, klass["join_code"], assignment["id"], answers, i, submit_every) for i in range(clients)))
    result = {"health": health.summary(seconds), "answers": work.summary(seconds)}
    result["answers"]["submits"] = work.submits
    result["answers"]["quiz"] = quiz.id  # type: ignore[assignment]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--submit-every", type=int, default=8, help="every n-th request of a student is a submit")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medialit-bench-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        with ServerProcess(url, [], TOKEN, Path(folder)) as server:
            wrk = asyncio.run(wrk_phase(server.url, args.seconds, args.clients, Path(folder), server.process.pid)) if shutil.which("wrk") else None
            result = asyncio.run(run(server.url, args.seconds, args.clients, args.submit_every))
    print(f"clients={args.clients} phase={args.seconds:.0f}s database={'sqlite (WAL, synchronous=FULL)' if not args.database_url else args.database_url.split(':')[0]}")
    if wrk is not None:
        health, saves = wrk["health"], wrk["saves"]
        print(f"wrk   GET /health        {health['rps']:8.1f} req/s  p50 {health['p50_ms']:6.1f} ms  p99 {health['p99_ms']:6.1f} ms  non-2xx {health['errors']:.0f}  server CPU {health['cpu_ms']:.2f} ms/req")
        print(f"wrk   PUT answers        {saves['rps']:8.1f} req/s  p50 {saves['p50_ms']:6.1f} ms  p99 {saves['p99_ms']:6.1f} ms  non-2xx {saves['errors']:.0f}  server CPU {saves['cpu_ms']:.2f} ms/req")
        print(f"wrk   ratio PUT answers : health = {saves['rps'] / health['rps']:.2f} (target >= 0.5); PUT p99 = {saves['p99_ms']:.1f} ms (target < 100 ms)")
        print(f"      server CPU per request, health : PUT = 1 : {saves['cpu_ms'] / health['cpu_ms']:.2f}")
    health, work = result["health"], result["answers"]
    print(f"httpx GET /health        {health['rps']:8.1f} req/s  p50 {health['p50_ms']:6.1f} ms  p99 {health['p99_ms']:6.1f} ms  errors {health['errors']}")
    print(f"httpx saves + submits    {work['rps']:8.1f} req/s  p50 {work['p50_ms']:6.1f} ms  p99 {work['p99_ms']:6.1f} ms  errors {work['errors']} (dropped connections {work['dropped']})  submits {work['submits']}  quiz {work['quiz']}")
    print(f"httpx ratio (saves + submits) : health = {work['rps'] / health['rps']:.2f}")
    return 0


async def wrk_phase(url: str, seconds: float, clients: int, folder: Path, pid: int) -> dict[str, dict[str, float]]:
    bank = load_shipped_banks()[DEFAULT_PACK]
    quiz = max(bank.quizzes.values(), key=lambda q: len(q.exercises))
    answers = {e.id: perfect_response(e, bank.pack).model_dump(mode="json", exclude_none=True) for e in bank.quiz_exercises(quiz.id)}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        klass = (await http.post(f"{API}/classes", json={"name": "bench-wrk"}, headers=TEACHER)).json()
        assignment = (await http.post(f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": quiz.id}, headers=TEACHER)).json()
    plan = await prepare_autosaves(url, clients, answers, klass["join_code"], assignment["id"])
    script = folder / "saves.lua"
    rows = ",\n".join("{" + ", ".join(_lua_string(part) for part in row) + "}" for row in plan)
    script.write_text("PLAN = {\n" + rows + "\n}\n" + WRK_SCRIPT, encoding="utf-8")
    health = run_wrk(url, f"{API}/health", seconds, clients, None, pid)
    saves = run_wrk(url, "/", seconds, clients, script, pid)
    return {"health": health, "saves": saves}


if __name__ == "__main__":
    raise SystemExit(main())
