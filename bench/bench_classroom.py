"""Classroom mix under load: students joining, starting, autosaving and submitting while a teacher
page polls, driven by ``wrk`` so the load generator costs little CPU.

A real server (``python -m api``, uvicorn, one process) runs on SQLite (WAL, ``synchronous=FULL``)
or PostgreSQL (``--postgres`` starts a throwaway cluster as ``run.py test`` does). Before it starts,
the class is written into the database: students with attempts in progress (for autosaves),
students whose 16 answers are saved but not submitted (each submitted once during the run),
students who joined but have not started, all answering the ``final`` assessment with distinct,
realistic answers (``bench_grading.py``'s generators). Then, in one server run:

1. ``GET /health`` alone, ``--connections`` connections (``wrk``): the reference throughput.
2. The mix, for the same time, the same number of connections in total, split across four ``wrk``
   processes running at once, one per student route (so each reports its own latency
   distribution): ``PUT`` autosave (26 connections, as fast as answered), ``POST /join`` and
   ``POST .../attempts`` (start; 2 connections each, paced to about 4/s), ``POST .../submit`` (2
   connections, about 2/s: a whole class submitting within 15 s). wrk's latency is measured from
   sending, so the pacing pause is not counted.
   All the while a teacher page (a Python thread, as the browser does) polls the gradebook and the
   item analysis every 4 s with ``If-None-Match``.

Reported: requests/s per route and in total, the total as a ratio to ``/health``, p50/p99 per route
(target: p99 < 100 ms for every student route at 32 connections), non-2xx counts, and the teacher's
poll latencies and 200/304 counts.

    .venv/bin/python bench/bench_classroom.py [--seconds 10] [--connections 32] [--postgres | --database-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from api.store.attempts import draw_orders  # noqa: E402
from api.store.auth import hash_token  # noqa: E402
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, ClassRow, ClassTeacherRow, StudentRow, utcnow  # noqa: E402
from api.store.teachers import first_account  # noqa: E402
from bench_grading import _fresh, answer_pool  # noqa: E402
from tests.api.server import ServerProcess  # noqa: E402

API = "/api/v1"
TOKEN = "bench-teacher-token-0123456789abcdefghij"
QUIZ = "final"
LUA = ROOT / "bench" / "wrk" / "plan.lua"
FRESH_TYPES = ("highlight", "label_spans", "attribution_roles", "short_answer", "rewrite")
SPLIT = {"autosave": 26, "join": 2, "start": 2, "submit": 2}
"""Connections per route out of 32 (scaled for other totals): autosaves dominate a class."""
PACE_MS = {"autosave": 0, "join": 500, "start": 500, "submit": 1000}
"""Quiet time after each request of a connection: autosaves go as fast as the server answers; with
two connections each, joins and starts come at about 4/s and submits at 2/s (a class of 30
joining in 8 s and submitting in 15 s: the bursts at the start and the end of a lesson)."""


def _answer(exercise: Any, bank: Any, rng: random.Random, pools: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    raw = _fresh(exercise, bank, rng) if exercise.type in FRESH_TYPES else rng.choice(pools[exercise.id])
    return {"type": exercise.type, **{k: v for k, v in raw.items() if k != "type"}}


def write_class(url: str, savers: int, submitters: int, starters: int, seed: int = 4) -> dict[str, Any]:
    """The class, written straight into the database; returns what the plans need."""
    app = create_app(Settings(database_url=url, teacher_token=TOKEN, pack_dirs=()))
    bank = app.state.catalog.quiz(QUIZ)[0]
    exercises = bank.quiz_exercises(QUIZ)
    rng = random.Random(seed)
    pools = {e.id: answer_pool(e, bank, rng, 50) for e in exercises}
    now = utcnow()
    plan: dict[str, Any] = {"saves": [], "submits": [], "starts": []}
    with Session(app.state.engine) as session:
        klass = ClassRow(name="Load class", join_code=secrets.token_hex(4).upper())
        session.add(klass)
        session.flush()
        session.add(ClassTeacherRow(class_id=klass.id, teacher_id=first_account(session).id, role="owner"))  # the token's account owns it
        assignment = AssignmentRow(class_id=klass.id, quiz_id=QUIZ, feedback="immediate", attempts_allowed=1)
        session.add(assignment)
        session.flush()
        plan.update(join_code=klass.join_code, assignment_id=assignment.id)
        total = savers + submitters + starters
        tokens = [secrets.token_urlsafe(16) for _ in range(total)]
        session.execute(insert(StudentRow), [{"class_id": klass.id, "display_name": f"Pupil {n:05d}", "name_key": f"pupil {n:05d}",
                                              "token_hash": hash_token(t), "joined_at": now - timedelta(minutes=5)} for n, t in enumerate(tokens)])
        ids = [row.id for row in session.query(StudentRow.id).filter(StudentRow.class_id == klass.id).order_by(StudentRow.id)]
        answers = []
        for number, (student_id, token) in enumerate(zip(ids, tokens)):
            if number >= savers + submitters:
                plan["starts"].append(token)
                continue
            attempt = AttemptRow(assignment_id=assignment.id, student_id=student_id, number=1, exercise_order=list(QUIZ_ORDER(bank)),
                                 option_orders=draw_orders(exercises), started_at=now)
            session.add(attempt)
            session.flush()
            if number < savers:
                for exercise in exercises:
                    for _ in range(3):  # a few distinct versions of each answer, as a student revises
                        plan["saves"].append((attempt.id, exercise.id, token, _answer(exercise, bank, rng, pools)))
            else:
                answers += [{"attempt_id": attempt.id, "exercise_id": e.id, "response": _answer(e, bank, rng, pools), "saved_at": now}
                            for e in exercises]
                plan["submits"].append((attempt.id, token))
        for start in range(0, len(answers), 4000):
            session.execute(insert(AnswerRow), answers[start:start + 4000])
        session.commit()
    app.state.engine.dispose()
    rng.shuffle(plan["saves"])
    return plan


def QUIZ_ORDER(bank: Any) -> tuple[str, ...]:  # noqa: N802
    return tuple(bank.quizzes[QUIZ].exercises)


def _line(method: str, path: str, token: str | None, body: str | None) -> str:
    return "\t".join((method, path, token or "-", body or "-"))


def write_plans(plan: dict[str, Any], folder: Path) -> dict[str, Path]:
    assignment = plan["assignment_id"]
    plans = {
        "autosave": [_line("PUT", f"{API}/attempts/{a}/answers/{e}", t, json.dumps(body, ensure_ascii=False)) for a, e, t, body in plan["saves"]],
        "join": [_line("POST", f"{API}/join", None, json.dumps({"join_code": plan["join_code"], "display_name": "Newcomer {n}"}))],
        "start": [_line("POST", f"{API}/assignments/{assignment}/attempts", t, None) for t in plan["starts"]],
        "submit": [_line("POST", f"{API}/attempts/{a}/submit", t, None) for a, t in plan["submits"]],
    }
    paths = {}
    for name, lines in plans.items():
        paths[name] = folder / f"{name}.tsv"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def _ms(output: str, label: str) -> float:
    match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\b", output, re.M)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk(url: str, connections: int, seconds: int, plan: Path | None, path: str = "/", pace_ms: int = 0) -> subprocess.Popen[str]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if plan is not None:
        command += ["-s", str(LUA)]
    env = {"PLAN": str(plan), "DELAY_MS": str(pace_ms)} if plan is not None else {}
    return subprocess.Popen(command + [url + path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**__import__("os").environ, **env})


def _read(process: subprocess.Popen[str]) -> dict[str, float]:
    output, _ = process.communicate()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rps is None:
        raise RuntimeError(output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {"rps": float(rps.group(1)), "p50": _ms(output, "50"), "p99": _ms(output, "99"),
            "non2xx": float(bad.group(1)) if bad else 0.0, "socket": errors.group(0) if errors else ""}


def teacher_page(url: str, assignment: int, stop: threading.Event, found: dict[str, Any]) -> None:
    """Polls like the dashboard: results and analysis every 4 s, each with the ETag it holds."""
    etags: dict[str, str] = {}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=url, timeout=30) as http:
        while not stop.wait(4.0):
            for view in ("results", "analysis"):
                started = time.perf_counter()
                response = http.get(f"{API}/assignments/{assignment}/{view}", headers={**headers, **({"If-None-Match": etags[view]} if view in etags else {})})
                found.setdefault(view, []).append(1000 * (time.perf_counter() - started))
                found.setdefault(f"{view}-status", []).append(response.status_code)
                if response.status_code == 200:
                    etags[view] = response.headers["etag"]


def run(url: str, seconds: int, connections: int, folder: Path) -> dict[str, Any]:
    split = {name: max(1, round(share * connections / 32)) for name, share in SPLIT.items()}
    plan = write_class(url, savers=split["autosave"] * 4, submitters=300, starters=300)
    paths = write_plans(plan, folder)
    with ServerProcess(url, [], TOKEN, folder, {"MEDIALIT_MAX_CLASS_SIZE": "100000", "MEDIALIT_JOIN_FAILURES_ALLOWED": "100000"}) as server:
        for _ in range(2):
            httpx.get(server.url + f"{API}/health")
        health = _read(_wrk(server.url, connections, seconds, None, f"{API}/health"))
        stop, polls = threading.Event(), {}
        teacher = threading.Thread(target=teacher_page, args=(server.url, plan["assignment_id"], stop, polls))
        # the page loads once before the mix starts, as a teacher opens it before the lesson
        teacher_first = httpx.get(server.url + f"{API}/assignments/{plan['assignment_id']}/results", headers={"Authorization": f"Bearer {TOKEN}"})
        assert teacher_first.status_code == 200
        teacher.start()
        running = {name: _wrk(server.url, split[name], seconds, paths[name], pace_ms=PACE_MS[name]) for name in SPLIT}
        mix = {name: _read(process) for name, process in running.items()}
        stop.set()
        teacher.join()
    return {"health": health, "mix": mix, "teacher": polls, "split": split}


def report(result: dict[str, Any], database: str, connections: int, seconds: int) -> None:
    health, mix = result["health"], result["mix"]
    total = sum(m["rps"] for m in mix.values())
    print(f"classroom mix, {database}, {connections} connections, {seconds} s per phase, one uvicorn process")
    print(f"  GET /health alone          {health['rps']:8.1f} req/s  p50 {health['p50']:6.1f} ms  p99 {health['p99']:6.1f} ms")
    labels = {"autosave": "PUT answers (autosave)", "join": "POST /join", "start": "POST start attempt", "submit": "POST submit"}
    for name, m in mix.items():
        verdict = "met" if m["p99"] < 100 else "MISSED"
        print(f"  {labels[name]:26} {m['rps']:8.1f} req/s  p50 {m['p50']:6.1f} ms  p99 {m['p99']:6.1f} ms  non-2xx {m['non2xx']:.0f}"
              f"  ({result['split'][name]} connections; p99 < 100 ms {verdict}) {m['socket']}")
    print(f"  mix total                  {total:8.1f} req/s  = {total / health['rps']:.2f} x /health")
    for view in ("results", "analysis"):
        times = result["teacher"].get(view, [])
        codes = result["teacher"].get(f"{view}-status", [])
        if times:
            print(f"  teacher polls {view:9}   {len(times)} polls: {codes.count(200)} x 200, {codes.count(304)} x 304; "
                  f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh SQLite file)")
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL cluster (as run.py test does)")
    args = parser.parse_args()
    url, stop = args.database_url, None
    if args.postgres:
        from run import start_postgres

        started = start_postgres()
        if started is None:
            print("PostgreSQL is not installed")
            return 1
        url, stop = started
    try:
        with tempfile.TemporaryDirectory(prefix="medialit-classroom-") as folder:
            if url:
                from tests.api.conftest import reset_postgres

                reset_postgres(url)
            result = run(url or f"sqlite:///{Path(folder) / 'classroom.db'}", args.seconds, args.connections, Path(folder))
            report(result, "PostgreSQL" if url else "SQLite (WAL, synchronous=FULL)", args.connections, args.seconds)
    finally:
        if stop:
            stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
