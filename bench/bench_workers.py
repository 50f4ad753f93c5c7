"""Autosave throughput and p99 with 1 and 2 server processes on one PostgreSQL, in the same run.

For each worker count (rounds alternate 1, 2, 1, 2 ...): empty the database, start
``python -m api --workers N`` on it (the shipped lesson pack), join 32 students, start their
attempts, and let ``wrk`` (Debian's package, a C load generator) send ``PUT`` autosaves of the
perfect answers over 32 connections for ``--seconds``, after a short warm-up. Printed per run:
requests/s, p50 and p99 latency, non-2xx answers, and the CPU the server processes (parent and
workers) and PostgreSQL spent per request. The client, the server and PostgreSQL share this
machine's cores, so the ratio 2 : 1 workers says what a second process buys on this machine, not
on a school's server with more cores.

    .venv/bin/python bench/bench_workers.py [--seconds 10] [--clients 32] [--rounds 1] [--database-url URL]

Without ``--database-url`` it starts a throwaway PostgreSQL cluster (``run.py``'s, needs Debian's
``postgresql``) and removes it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_api  # noqa: E402
import run as launcher  # noqa: E402
from quizzes.reference_responses import perfect_response  # noqa: E402
from quizzes.loading import DEFAULT_PACK, load_shipped_banks  # noqa: E402
from tests.api.conftest import reset_postgres  # noqa: E402
from tests.api.server import ServerProcess  # noqa: E402

API, TOKEN, TEACHER = bench_api.API, bench_api.TOKEN, bench_api.TEACHER
process_cpu_seconds = bench_api.server_cpu_seconds


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and all its descendants (Linux ``/proc``), in seconds."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += process_cpu_seconds(current)
        except OSError:
            continue
        todo += _children(current)
    return total


def postgres_cpu_seconds() -> float:
    """CPU of every ``postgres`` process on the machine so far, in seconds (ours is the only busy one)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def run_wrk(url: str, path: str, seconds: float, clients: int, script: Path | None, pid: int) -> dict[str, float]:
    # bench_api.run_wrk measures one process's CPU; here the server is a parent with workers.
    bench_api.server_cpu_seconds = tree_cpu_seconds  # type: ignore[assignment]
    postgres_before = postgres_cpu_seconds()
    try:
        result = bench_api.run_wrk(url, path, seconds, clients, script, pid)
    finally:
        bench_api.server_cpu_seconds = process_cpu_seconds  # type: ignore[assignment]
    total = result["rps"] * max(1, int(seconds))
    result["postgres_cpu_ms"] = 1000 * (postgres_cpu_seconds() - postgres_before) / total if total else float("nan")
    return result


async def prepare(url: str, clients: int, folder: Path) -> Path:
    bank = load_shipped_banks()[DEFAULT_PACK]
    quiz = max(bank.quizzes.values(), key=lambda q: len(q.exercises))
    answers = {e.id: perfect_response(e, bank.pack).model_dump(mode="json", exclude_none=True) for e in bank.quiz_exercises(quiz.id)}
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        klass = (await http.post(f"{API}/classes", json={"name": "bench-workers"}, headers=TEACHER)).json()
        assignment = (await http.post(f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": quiz.id}, headers=TEACHER)).json()
    plan = await bench_api.prepare_autosaves(url, clients, answers, klass["join_code"], assignment["id"])
    script = folder / "saves.lua"
    rows = ",\n".join("{" + ", ".join(bench_api._lua_string(part) for part in row) + "}" for row in plan)
    script.write_text("PLAN = {\n" + rows + "\n}\n" + bench_api.WRK_SCRIPT, encoding="utf-8")
    return script


def measure(database_url: str, workers: int, seconds: float, clients: int, folder: Path) -> dict[str, float]:
    reset_postgres(database_url)
    with ServerProcess(database_url, [], TOKEN, folder, {"MEDIALIT_WORKERS": str(workers)}) as server:
        script = asyncio.run(prepare(server.url, clients, folder))
        # Every worker has loaded the packs and served a few saves before the measured phase.
        run_wrk(server.url, "/", 3, clients, script, server.process.pid)
        result = run_wrk(server.url, "/", seconds, clients, script, server.process.pid)
        result["processes"] = len(_children(server.process.pid))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measured phase")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1, help="runs of each worker count; the median is reported")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use (its tables are dropped); default: a throwaway cluster")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench_workers needs wrk (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    postgres = None
    url = args.database_url
    if url is None:
        postgres = launcher.start_postgres()
        if postgres is None:
            print("bench_workers needs PostgreSQL (Debian: apt-get install postgresql) or --database-url", file=sys.stderr)
            return 2
        url = postgres[0]
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    load_before = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="medialit-bench-workers-") as folder:
            for _ in range(args.rounds):
                for workers in (1, 2):
                    runs[workers].append(measure(url, workers, args.seconds, args.clients, Path(folder)))
    except subprocess.CalledProcessError as error:
        print(f"wrk failed: {error.stderr}", file=sys.stderr)
        return 1
    finally:
        if postgres is not None:
            postgres[1]()
    print(f"clients={args.clients} phase={args.seconds:.0f}s rounds={args.rounds} database=postgresql cores={os.cpu_count()} "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other work on the machine takes cores too)")
    medians = {}
    for workers, results in runs.items():
        median = {key: statistics.median(r[key] for r in results) for key in results[0]}
        medians[workers] = median
        rounds = ", ".join(f"{r['rps']:.0f}" for r in results)
        print(f"wrk PUT answers, {workers} worker{'s' if workers > 1 else ' '}  {median['rps']:8.1f} req/s  p50 {median['p50_ms']:6.1f} ms  "
              f"p99 {median['p99_ms']:6.1f} ms  non-2xx {median['errors']:.0f}  CPU/req server {median['cpu_ms']:.2f} ms  "
              f"postgres {median['postgres_cpu_ms']:.2f} ms  (req/s of each round: {rounds})")
    print(f"ratio 2 workers : 1 worker = {medians[2]['rps'] / medians[1]['rps']:.2f} (throughput), p99 {medians[1]['p99_ms']:.1f} -> {medians[2]['p99_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
