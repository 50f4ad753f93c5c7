"""``medialit backup`` and ``restore`` on a school-sized database, with and without writes.

Builds a database of ``--classes`` classes of 30 students, each with one submitted attempt of 16
answers (a realistic answer is a few hundred bytes of JSON), then times, in this order:

1. ``backup`` of the idle database;
2. ``backup`` while a thread commits one autosave-sized answer after another through the server's
   own writer (the figure shows what the writes cost the backup, and how many saves landed
   during it: none of them had to wait for it);
3. ``restore`` into an empty database.

SQLite always; PostgreSQL too when ``--postgres URL`` is given (a scratch database on that
server is created and dropped). Run: ``.venv/bin/python bench/bench_backup.py --classes 40``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.backup import backup, restore  # noqa: E402
from api.store.db import make_engine, migrate  # noqa: E402
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, ClassRow, StudentRow, utcnow  # noqa: E402
from api.store.writer import AnswerWriter  # noqa: E402

STUDENTS = 30
EXERCISES = 16
RESPONSE = {"type": "highlight", "spans": [{"start": 1200 + i, "end": 1240 + i} for i in range(6)]}
OUTCOME = {"earned": "2/3", "possible": "1", "status": "partial", "scoring_version": "3", "detail": {"found": ["a", "b"], "missed": ["c"]}}


def build(url: str, classes: int) -> int:
    engine = make_engine(url)
    migrate(engine)
    now = utcnow()
    with engine.begin() as connection:
        for c in range(classes):
            class_id = connection.execute(insert(ClassRow).values(name=f"Class {c}", join_code=f"C{c:09d}", created_at=now)).inserted_primary_key[0]
            assignment_id = connection.execute(insert(AssignmentRow).values(
                class_id=class_id, quiz_id="final", feedback="immediate", attempts_allowed=1, shuffle=False, created_at=now)).inserted_primary_key[0]
            for s in range(STUDENTS):
                student_id = connection.execute(insert(StudentRow).values(
                    class_id=class_id, display_name=f"S{s}", name_key=f"s{s}", token_hash=f"{c:032d}{s:032d}", joined_at=now)).inserted_primary_key[0]
                attempt_id = connection.execute(insert(AttemptRow).values(
                    assignment_id=assignment_id, student_id=student_id, number=1, exercise_order=[f"e{i}" for i in range(EXERCISES)],
                    started_at=now, submitted_at=now)).inserted_primary_key[0]
                connection.execute(insert(AnswerRow), [
                    {"attempt_id": attempt_id, "exercise_id": f"e{i}", "response": RESPONSE, "outcome": OUTCOME, "saved_at": now} for i in range(EXERCISES)])
        # one open attempt for the writer to save into
        open_attempt = connection.execute(insert(AttemptRow).values(
            assignment_id=assignment_id, student_id=student_id, number=2, exercise_order=[], started_at=now)).inserted_primary_key[0]
    engine.dispose()
    return open_attempt


def timed_backup(url: str, out: Path, attempt_id: int | None) -> tuple[float, int]:
    saves, stop = [0], threading.Event()
    writer = AnswerWriter(make_engine(url, pool_size=1)) if attempt_id else None

    def save() -> None:
        while not stop.is_set():
            writer.save(attempt_id, f"w{saves[0] % 50}", RESPONSE, utcnow())  # type: ignore[union-attr, arg-type]
            saves[0] += 1

    thread = threading.Thread(target=save) if writer else None
    if thread:
        thread.start()
        while saves[0] < 50:
            time.sleep(0.01)
    before = saves[0]
    started = time.perf_counter()
    backup(url, out)
    seconds = time.perf_counter() - started
    during = saves[0] - before
    stop.set()
    if thread and writer:
        thread.join()
        writer.close()
        writer.engine.dispose()
    return seconds, during


def run(kind: str, url: str, target: str, classes: int, folder: Path) -> None:
    attempt = build(url, classes)
    out = folder / f"{kind}.backup"
    idle, _ = timed_backup(url, out, None)
    busy, during = timed_backup(url, out, attempt)
    started = time.perf_counter()
    summary = restore(target, out)
    restored = time.perf_counter() - started
    print(f"{kind:10} {summary.answers:>9,} answers  file {out.stat().st_size / 1e6:7.1f} MB  "
          f"backup idle {idle:6.2f} s  backup under writes {busy:6.2f} s ({during:,} saves landed during it)  restore {restored:6.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=40, help="classes of 30 students, 16 answers each (default 40: 19,200 answers)")
    parser.add_argument("--postgres", help="a PostgreSQL URL (postgresql+psycopg://...) to measure as well")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="medialit-bench-backup-"))
    try:
        run("sqlite", f"sqlite:///{folder / 'source.db'}", f"sqlite:///{folder / 'target.db'}", args.classes, folder)
        if args.postgres:
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                for name in ("bench_backup_source", "bench_backup_target"):
                    connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    connection.execute(text(f"CREATE DATABASE {name}"))
            base = make_url(args.postgres)
            urls = [base.set(database=n).render_as_string(hide_password=False) for n in ("bench_backup_source", "bench_backup_target")]
            try:
                run("postgresql", urls[0], urls[1], args.classes, folder)
            finally:
                with admin.connect() as connection:
                    for name in ("bench_backup_source", "bench_backup_target"):
                        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                admin.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
