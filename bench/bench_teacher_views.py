"""The teacher's live views on a large class: gradebook + item analysis after a change, a poll with
nothing new (304), and the server's memory.

A class of ``--students`` students takes the 16-exercise ``final`` assessment of the shipped pack
with realistic, *distinct* answers (the generators of ``bench_grading.py --pool 0``: moved span
boundaries, false alarms, foils, free text); 90 % have submitted, 5 % are working, 5 % have not
started. The rows are written straight into a fresh database (scored with the server's own
``score_stored``), then a real server (``python -m api``, uvicorn) is started on it and measured
over HTTP from this process, one request at a time:

- **after a submit**: a working student submits; then ``GET /results`` and ``GET /analysis`` (both
  rebuilt: the graded stamp changed). Target: results + analysis < 100 ms at 300 students.
- **after a first answer**: a working student answers a new exercise; ``GET /results`` (only the
  progress lists are rebuilt, the rows come from the cache).
- **poll, nothing new**: ``GET /results`` and ``GET /analysis`` with ``If-None-Match``: 304.
  Target < 5 ms.
- **memory**: the server's resident set (``VmRSS``) after start, and its peak (``VmHWM``) after
  every measurement. Target: bounded for 2,000 students.

    .venv/bin/python bench/bench_teacher_views.py [--students 300 2000] [--rounds 20] [--postgres | --database-url URL]
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
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
from api.store.attempts import draw_orders, score_stored  # noqa: E402
from api.store.auth import hash_token  # noqa: E402
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, ClassRow, ClassTeacherRow, StudentRow, utcnow  # noqa: E402
from api.store.teachers import first_account  # noqa: E402
from bench_grading import _fresh, answer_pool  # noqa: E402
from quizzes.loading import DEFAULT_PACK, load_shipped_banks  # noqa: E402
from tests.api.server import ServerProcess  # noqa: E402

API = "/api/v1"
TOKEN = "bench-teacher-token-0123456789abcdefghij"
TEACHER = {"Authorization": f"Bearer {TOKEN}"}
QUIZ = "final"
FRESH_TYPES = ("highlight", "label_spans", "attribution_roles", "short_answer", "rewrite")


def build_class(url: str, students: int, seed: int = 15) -> tuple[int, list[tuple[int, str, list[str]]]]:
    """Write a class with ``students`` students into a fresh database; returns the assignment id and
    the working students' (attempt id, token, exercises not yet answered)."""
    app = create_app(Settings(database_url=url, teacher_token=TOKEN, pack_dirs=()))
    bank = app.state.catalog.quiz(QUIZ)[0]
    quiz = bank.quizzes[QUIZ]
    exercises = bank.quiz_exercises(quiz.id)
    rng = random.Random(seed)
    pools = {e.id: answer_pool(e, bank, rng, 50) for e in exercises}
    working: list[tuple[int, str, list[str]]] = []
    now = utcnow()
    with Session(app.state.engine) as session:
        klass = ClassRow(name="Benchmark class", join_code=secrets.token_hex(4))
        session.add(klass)
        session.flush()
        session.add(ClassTeacherRow(class_id=klass.id, teacher_id=first_account(session).id, role="owner"))  # the token's account owns it
        assignment = AssignmentRow(class_id=klass.id, quiz_id=quiz.id, feedback="immediate", attempts_allowed=1)
        session.add(assignment)
        session.flush()
        tokens = [secrets.token_urlsafe(16) for _ in range(students)]
        session.execute(insert(StudentRow), [
            {"class_id": klass.id, "display_name": f"Student {n:04d}", "name_key": f"student {n:04d}", "token_hash": hash_token(t),
             "joined_at": now - timedelta(minutes=50)} for n, t in enumerate(tokens)])
        ids = [s.id for s in session.query(StudentRow.id).filter(StudentRow.class_id == klass.id).order_by(StudentRow.id)]
        answers = []
        for number, (student_id, token) in enumerate(zip(ids, tokens)):
            share = number / students
            if share >= 0.95:
                continue  # not started
            submitted = share < 0.90
            attempt = AttemptRow(assignment_id=assignment.id, student_id=student_id, number=1, exercise_order=list(quiz.exercises),
                                 option_orders=draw_orders(exercises), started_at=now - timedelta(minutes=40),
                                 submitted_at=now - timedelta(minutes=rng.randrange(1, 30)) if submitted else None)
            session.add(attempt)
            session.flush()
            answered = exercises if submitted else exercises[: rng.randrange(0, len(exercises) // 2)]
            for exercise in answered:
                if exercise.type in FRESH_TYPES:
                    raw = _fresh(exercise, bank, rng)
                else:
                    raw = rng.choice(pools[exercise.id])
                raw = {"type": exercise.type, **{k: v for k, v in raw.items() if k != "type"}}
                row = {"attempt_id": attempt.id, "exercise_id": exercise.id, "response": raw, "saved_at": now, "outcome": None}
                if submitted:
                    row["outcome"] = score_stored(bank, exercise, raw).model_dump(mode="json")
                answers.append(row)
            if not submitted:
                working.append((attempt.id, token, [e.id for e in exercises if e not in answered]))
            if len(answers) > 4000:
                session.execute(insert(AnswerRow), answers)
                answers = []
        if answers:
            session.execute(insert(AnswerRow), answers)
        session.commit()
        assignment_id = assignment.id
    answer_pools = {e.id: pools[e.id] for e in exercises}
    app.state.engine.dispose()
    build_class.pools = answer_pools  # type: ignore[attr-defined]
    build_class.types = {e.id: e.type for e in exercises}  # type: ignore[attr-defined]
    return assignment_id, working


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def timed(http: httpx.Client, path: str, headers: dict[str, str] | None = None, expect: int = 200) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = http.get(path, headers={**TEACHER, **(headers or {})})
    elapsed = 1000 * (time.perf_counter() - started)
    assert response.status_code == expect, (path, response.status_code, response.text[:300])
    return elapsed, response


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(url: str, students: int, rounds: int, folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    assignment, working = build_class(url, students)
    built_s = time.perf_counter() - started
    pools, types = build_class.pools, build_class.types  # type: ignore[attr-defined]
    results, analysis = f"{API}/assignments/{assignment}/results", f"{API}/assignments/{assignment}/analysis"
    out: dict[str, Any] = {"students": students, "built_s": built_s}
    with ServerProcess(url, [], TOKEN, folder, {"MEDIALIT_MAX_CLASS_SIZE": str(students + 10)}) as server, \
            httpx.Client(base_url=server.url, timeout=120) as http:
        pid = server.process.pid
        out["rss_start_mb"] = memory_kb(pid)["VmRSS"] / 1024
        first_results, body = timed(http, results)
        first_analysis, _ = timed(http, analysis)
        out["first_ms"] = (first_results, first_analysis)
        out["body_kb"] = len(body.content) / 1024
        after_submit, after_answer, polls_results, polls_analysis = [], [], [], []
        rng = random.Random(7)
        for round_number in range(rounds):
            attempt_id, token, left = working.pop()
            submitted = http.post(f"{API}/attempts/{attempt_id}/submit", headers={"Authorization": f"Bearer {token}"})
            assert submitted.status_code == 200, submitted.text
            r_ms, r = timed(http, results, {"If-None-Match": body.headers["etag"]})
            a_ms, a = timed(http, analysis)
            after_submit.append((r_ms, a_ms))
            # a working student answers a new exercise: the progress lists change, the rows do not
            attempt_id, token, left = working[rng.randrange(len(working))]
            if left:
                exercise_id = left.pop()
                raw = dict(rng.choice(pools[exercise_id]))
                raw["type"] = types[exercise_id]
                saved = http.put(f"{API}/attempts/{attempt_id}/answers/{exercise_id}", json=raw, headers={"Authorization": f"Bearer {token}"})
                assert saved.status_code == 200, saved.text
                ms, r = timed(http, results, {"If-None-Match": r.headers["etag"]})
                after_answer.append(ms)
            body = r
            for _ in range(10):
                polls_results.append(timed(http, results, {"If-None-Match": r.headers["etag"]}, 304)[0])
                polls_analysis.append(timed(http, analysis, {"If-None-Match": a.headers["etag"]}, 304)[0])
        health = []
        for _ in range(100):
            started_at = time.perf_counter()
            assert http.get(f"{API}/health").status_code == 200
            health.append(1000 * (time.perf_counter() - started_at))
        out["health"] = health
        memory = memory_kb(pid)
        out.update(rss_end_mb=memory["VmRSS"] / 1024, rss_peak_mb=memory["VmHWM"] / 1024,
                   after_submit=after_submit, after_answer=after_answer, polls_results=polls_results, polls_analysis=polls_analysis)
    return out


def report(result: dict[str, Any], database: str) -> None:
    n = result["students"]
    submit = result["after_submit"]
    both = [r + a for r, a in submit]
    print(f"{n} students x 16 exercises ({database}; data written in {result['built_s']:.0f} s; gradebook {result['body_kb']:.0f} KiB)")
    print(f"  first request after start     results {result['first_ms'][0]:7.1f} ms   analysis {result['first_ms'][1]:7.1f} ms")
    print(f"  after a submit (median, p90)  results {statistics.median(r for r, _ in submit):7.1f} ms   analysis {statistics.median(a for _, a in submit):7.1f} ms"
          f"   results + analysis {statistics.median(both):7.1f} ms (p90 {p(both, 0.9):.1f} ms; target < 100 ms at 300)")
    if result["after_answer"]:
        print(f"  after a first answer          results {statistics.median(result['after_answer']):7.1f} ms (median; rows from the cache)")
    for label, values in (("results", result["polls_results"]), ("analysis", result["polls_analysis"])):
        print(f"  poll, nothing new (304)       {label:8} median {statistics.median(values):5.2f} ms  p99 {p(values, 0.99):5.2f} ms (target < 5 ms)")
    print(f"  GET /health, for comparison   median {statistics.median(result['health']):5.2f} ms  p99 {p(result['health'], 0.99):5.2f} ms (same server, same moment)")
    print(f"  server memory                 {result['rss_start_mb']:.0f} MB after start, {result['rss_end_mb']:.0f} MB at the end, peak {result['rss_peak_mb']:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[300, 2000])
    parser.add_argument("--rounds", type=int, default=10, help="submits measured per class size")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh SQLite file per class size)")
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL cluster (as run.py test does)")
    args = parser.parse_args()
    stop = None
    url = args.database_url
    if args.postgres:
        sys.path.insert(0, str(ROOT))
        from run import start_postgres

        started = start_postgres()
        if started is None:
            print("PostgreSQL is not installed")
            return 1
        url, stop = started
    try:
        for students in args.students:
            with tempfile.TemporaryDirectory(prefix="medialit-views-") as folder:
                if url:
                    from tests.api.conftest import reset_postgres

                    reset_postgres(url)
                database_url = url or f"sqlite:///{Path(folder) / 'views.db'}"
                result = measure(database_url, students, args.rounds, Path(folder))
                report(result, "PostgreSQL" if url else "SQLite")
    finally:
        if stop:
            stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
