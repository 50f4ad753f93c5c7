"""The teacher's live views, built once per change and cached per assignment.

The teacher's page polls the gradebook, the item analysis and (while the heat map shows) the stored
answers every few seconds. Building them reads every submitted attempt, so without a cache a poll
costs as much as the class's whole history. Here each view is built once per *change*:

- A **change stamp** is read from the database on every request: a handful of aggregates over
  indexed columns (how many attempts and which are submitted, the latest submit, how many answers,
  the roster, the latest review and regrade, the assignment's settings and state). Several server
  processes may share the database, so the stamp — never a process's memory of what it did — says
  whether anything changed: a submit, review or regrade made through another process changes it
  too. The stamp is read *before* the view, so a cached view is never older than its stamp (on
  PostgreSQL a later statement sees at least what an earlier one saw; on SQLite the session reads
  one snapshot).
- Two stamps: the **graded** one (submitted attempts, reviews, regrades, roster) keys what only
  submissions change — the gradebook rows, the analysis, the answers; the **live** one adds the
  attempts in progress and how many exercises they answered, for the gradebook's progress lists,
  which are cheap to rebuild.
- Behind the views, a **ledger** per assignment keeps each submitted attempt's gradebook row and
  analysis contribution: when the graded stamp moves, only new, reviewed or removed attempts are
  (re)built or dropped, so a submit costs one attempt, not the class's history.
- The ETag is a hash of the stamp and of the quiz's definition, so every process gives the same
  ETag for the same state, and ``If-None-Match`` turns a poll with nothing new into a 304.
- The cache holds serialised bodies only, at most :data:`MAX_ENTRIES` views and :data:`MAX_BYTES`
  bytes (least recently used go first), so memory is bounded however many classes a server has.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Hashable

from pydantic import TypeAdapter
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.errors import NotFound
from api.schemas import GradebookRowOut, InProgressOut, StudentOut
from api.store import results
from api.store.assignments import assignment_out, assignment_state, get_assignment_row
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, RegradeRow, ReviewRow, StudentRow, utcnow
from quizzes.analysis.items import Contribution
from quizzes.bank import Bank

__all__ = ["Snapshot", "ViewCache", "change_stamps", "gradebook", "analysis", "answers", "MAX_ENTRIES", "MAX_BYTES"]

MAX_ENTRIES = 256
"""Most cached views (three per assignment a teacher watches)."""
MAX_BYTES = 64 * 1024 * 1024
"""Most bytes of cached bodies; a 2,000-student gradebook is a few megabytes."""


@dataclass(frozen=True)
class Snapshot:
    """A view's serialised body with its (weak) ETag."""

    etag: str
    body: bytes


@dataclass(frozen=True)
class _Entry:
    stamp: Hashable
    bank: Bank  # held so the identity check below cannot be fooled by a reused id
    value: Any
    size: int


class ViewCache:
    """A bounded, thread-safe least-recently-used map of views and ledgers, one per (kind, assignment)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple[str, int], _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.builds = 0
        """How many values were stored (built, not found in the cache): tests and benchmarks read it."""

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: tuple[str, int], bank: Bank) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.bank is not bank:
                return None
            self._entries.move_to_end(key)
            return entry

    def get(self, key: tuple[str, int], stamp: Hashable, bank: Bank) -> Any:
        """The value stored under ``key`` for exactly this stamp and bank, or ``None``."""
        entry = self.lookup(key, bank)
        return entry.value if entry is not None and entry.stamp == stamp else None

    def put(self, key: tuple[str, int], stamp: Hashable, bank: Bank, value: Any, size: int | None = None) -> None:
        size = len(value.body) if size is None else size
        with self._lock:
            self.builds += 1
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            if size > self.max_bytes:
                return  # larger than the whole cache: served, not kept
            self._entries[key] = _Entry(stamp, bank, value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size


@dataclass(frozen=True)
class Stamps:
    graded: tuple[Any, ...]
    live: tuple[Any, ...]
    reviews: tuple[int, int]
    """Reviews in the whole database: how many, and the latest id."""
    regrades: tuple[int, int]


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _stamp_statement() -> Any:
    attempts = AttemptRow.__table__.c
    assignment_id, class_id = bindparam("assignment_id"), bindparam("class_id")
    submitted = attempts.submitted_at.is_not(None)
    # only attempts in progress: their answer counts are what the gradebook shows of them
    working = (select(func.count(AnswerRow.id)).join(AttemptRow, AttemptRow.id == AnswerRow.attempt_id)
               .where(AttemptRow.assignment_id == assignment_id, AttemptRow.submitted_at.is_(None)).scalar_subquery())
    in_class = StudentRow.class_id == class_id
    return select(
        func.count(attempts.id), func.coalesce(func.sum(attempts.id), 0),
        func.count(attempts.submitted_at), func.coalesce(func.sum(case((submitted, attempts.id), else_=0)), 0),
        func.coalesce(func.sum(case((submitted, attempts.id * attempts.id), else_=0)), 0), func.max(attempts.submitted_at),
        working,
        select(func.count(ReviewRow.id)).scalar_subquery(), select(func.coalesce(func.max(ReviewRow.id), 0)).scalar_subquery(),
        select(func.count(RegradeRow.id)).scalar_subquery(), select(func.coalesce(func.max(RegradeRow.id), 0)).scalar_subquery(),
        select(func.count(StudentRow.id)).where(in_class).scalar_subquery(),
        select(func.coalesce(func.sum(StudentRow.id), 0)).where(in_class).scalar_subquery(),
    ).where(attempts.assignment_id == assignment_id)


_STAMP = _stamp_statement()
"""Built once: constructing this statement cost more than running it."""


def change_stamps(session: Session, assignment: AssignmentRow) -> Stamps:
    """Read what the assignment's views depend on, in one round trip of indexed aggregates.

    Attempts, students and reviews are never edited in place except by a submit (which sets
    ``submitted_at`` once): a count with a sum of ids tells one set from another when rows are
    added and removed between two polls (ids are handed out before commit, so a count, not only the
    latest id, has to change). Reviews and regrades are counted over the whole database: a
    teacher's click is rare, and reading them per assignment would cost a join per answer.
    """
    row = session.execute(_STAMP, {"assignment_id": assignment.id, "class_id": assignment.class_id}).one()
    (all_count, all_sum, done_count, done_sum, done_squares, last_submit, answers_count,
     reviews, last_review, regrades, last_regrade, students, student_sum) = row
    review, regrade = (int(reviews), int(last_review)), (int(regrades), int(last_regrade))
    graded = (int(done_count), int(done_sum), int(done_squares), _value(last_submit), *review, *regrade, int(students), int(student_sum))
    settings = (assignment.quiz_id, _value(assignment.opens_at), _value(assignment.due_at), _value(assignment.closed_at),
                assignment.feedback, assignment.attempts_allowed, assignment.shuffle, assignment_state(assignment, utcnow()))
    return Stamps(graded=graded, live=(*graded, int(all_count), int(all_sum), int(answers_count), *settings), reviews=review, regrades=regrade)


_FINGERPRINTS: dict[int, tuple[Bank, str]] = {}
_FINGERPRINT_LOCK = threading.Lock()


def _quiz_fingerprint(bank: Bank, quiz_id: str) -> str:
    """A hash of what the views read from the pack: the quiz, its exercises, the article's blocks.

    Equal in every process that loaded the same pack, so their ETags agree.
    """
    key = id(bank)
    with _FINGERPRINT_LOCK:
        known = _FINGERPRINTS.get(key)
        if known is not None and known[0] is bank:
            return known[1]
    digest = hashlib.sha256()
    digest.update(bank.pack.article.text.encode())
    for block in bank.pack.article.blocks:
        digest.update(f"{block.id}:{block.role.value}:{block.start}:{block.end};".encode())
    for quiz in sorted(bank.quizzes.values(), key=lambda q: q.id):
        digest.update(quiz.model_dump_json().encode())
        for exercise in bank.quiz_exercises(quiz.id):
            digest.update(exercise.model_dump_json().encode())
    text = digest.hexdigest()[:16]
    with _FINGERPRINT_LOCK:
        if len(_FINGERPRINTS) > 64:
            _FINGERPRINTS.clear()
        _FINGERPRINTS[key] = (bank, text)
    return text


def _etag(kind: str, assignment_id: int, stamp: tuple[Any, ...], fingerprint: str) -> str:
    text = json.dumps([kind, assignment_id, fingerprint, list(stamp)], default=str, separators=(",", ":"))
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def _cached(cache: ViewCache, kind: str, assignment_id: int, stamp: tuple[Any, ...], bank: Bank, fingerprint: str,
            build: Callable[[], bytes]) -> Snapshot:
    key = (kind, assignment_id)
    found = cache.get(key, stamp, bank)
    if isinstance(found, Snapshot):
        return found
    snapshot = Snapshot(_etag(kind, assignment_id, stamp, fingerprint), build())
    cache.put(key, stamp, bank, snapshot)
    return snapshot


@dataclass(frozen=True)
class _Ledger:
    """Per submitted attempt of one assignment: its gradebook row (JSON) and analysis contribution.

    A submitted attempt changes only when one of its answers is reviewed, when the assignment is
    regraded or when its student is removed, so after a submit only the new attempt is built.
    Filled lazily (the gradebook fills ``rows``, the analysis ``parts``); replaced, never mutated,
    so concurrent requests each see a whole ledger.
    """

    regrades: tuple[int, int]
    reviews: tuple[int, int]
    marks: dict[int, tuple[int, int]]
    rows: dict[int, bytes]
    parts: dict[int, Contribution]

    @property
    def size(self) -> int:
        return sum(map(len, self.rows.values())) + PART_BYTES * len(self.parts) + 64 * len(self.marks)


PART_BYTES = 2048
"""An estimate of one analysis contribution's memory (a few small dicts), for the cache's bound."""

_ROW = TypeAdapter(GradebookRowOut)
_PROGRESS = TypeAdapter(list[InProgressOut])
_STUDENTS = TypeAdapter(list[StudentOut])


def _ledger(session: Session, cache: ViewCache, assignment: AssignmentRow, bank: Bank, stamps: Stamps) -> tuple[_Ledger, list[int]]:
    """The assignment's ledger brought up to the database's state, and the submitted attempts in order.

    Only what changed is dropped: everything on a regrade (or a reloaded pack), the attempts whose
    reviews changed, the attempts that are gone.
    """
    order = results.submitted_attempts(session, assignment.id)
    entry = cache.lookup(("ledger", assignment.id), bank)
    old: _Ledger | None = entry.value if entry is not None else None
    if old is None or old.regrades != stamps.regrades:
        marks = results.review_marks(session, assignment.id) if stamps.reviews[0] else {}
        return _Ledger(stamps.regrades, stamps.reviews, marks, {}, {}), order
    rows, parts, marks = dict(old.rows), dict(old.parts), old.marks
    if old.reviews != stamps.reviews:
        marks = results.review_marks(session, assignment.id)
        for attempt in {a for a in marks.keys() | old.marks.keys() if marks.get(a) != old.marks.get(a)}:
            rows.pop(attempt, None)
            parts.pop(attempt, None)
    present = set(order)
    for gone in [a for a in rows if a not in present]:
        del rows[gone]
    for gone in [a for a in parts if a not in present]:
        del parts[gone]
    return _Ledger(stamps.regrades, stamps.reviews, marks, rows, parts), order


def _keep(cache: ViewCache, assignment_id: int, bank: Bank, ledger: _Ledger) -> None:
    cache.put(("ledger", assignment_id), None, bank, ledger, ledger.size)


def _context(session: Session, catalog: Catalog, assignment_id: int) -> tuple[AssignmentRow, Bank, str, Stamps]:
    assignment = get_assignment_row(session, assignment_id)  # NotFound before anything is built
    bank, _quiz = catalog.quiz(assignment.quiz_id)
    return assignment, bank, _quiz_fingerprint(bank, assignment.quiz_id), change_stamps(session, assignment)


def gradebook(session: Session, catalog: Catalog, cache: ViewCache, assignment_id: int) -> Snapshot:
    """``GradebookOut`` as JSON. After a submit only the new attempt's row is built; the progress
    lists (cheap, no answer is read) when an attempt starts or answers a new exercise."""
    assignment, bank, fingerprint, stamps = _context(session, catalog, assignment_id)

    def rows() -> bytes:
        ledger, order = _ledger(session, cache, assignment, bank, stamps)
        missing = [a for a in order if a not in ledger.rows]
        if missing:
            ledger.rows.update((row.attempt_id, _ROW.dump_json(row)) for row in results.gradebook_rows(session, catalog, assignment_id, missing))
        _keep(cache, assignment_id, bank, ledger)
        return b"[" + b",".join(ledger.rows[a] for a in order if a in ledger.rows) + b"]"

    def whole() -> bytes:
        graded = _cached(cache, "rows", assignment_id, stamps.graded, bank, fingerprint, rows)
        in_progress, not_started = results.gradebook_progress(session, assignment)
        _bank, quiz = catalog.quiz(assignment.quiz_id)
        exercises = [e.id for e in bank.quiz_exercises(quiz.id)]
        return b"".join((
            b'{"assignment":', assignment_out(catalog, assignment).model_dump_json().encode(),
            b',"exercises":', json.dumps(exercises).encode(), b',"rows":', graded.body,
            b',"in_progress":', _PROGRESS.dump_json(in_progress), b',"not_started":', _STUDENTS.dump_json(not_started), b"}",
        ))

    return _cached(cache, "results", assignment_id, stamps.live, bank, fingerprint, whole)


def analysis(session: Session, catalog: Catalog, cache: ViewCache, assignment_id: int) -> Snapshot:
    """The item analysis as JSON: after a submit only the new attempt is counted, then the
    contributions are added up (see ``quizzes.analysis.items.combine``)."""
    assignment, bank, fingerprint, stamps = _context(session, catalog, assignment_id)

    def build() -> bytes:
        ledger, order = _ledger(session, cache, assignment, bank, stamps)
        missing = [a for a in order if a not in ledger.parts]
        if missing:
            ledger.parts.update(results.analysis_parts(session, catalog, assignment_id, missing))
        _keep(cache, assignment_id, bank, ledger)
        report = results.combine_parts(catalog, assignment, (ledger.parts[a] for a in order if a in ledger.parts))
        return report.model_dump_json().encode()

    return _cached(cache, "analysis", assignment_id, stamps.graded, bank, fingerprint, build)


def answers(session: Session, catalog: Catalog, cache: ViewCache, assignment_id: int) -> Snapshot:
    """The stored answers as JSON Lines (the heat map's source, ``quiz-grade pull``'s input),
    rebuilt on the same changes. They need no pack: when the quiz is no longer served, they are
    built on every request (with an ETag from the stamp alone) rather than refused."""
    assignment = get_assignment_row(session, assignment_id)
    try:
        bank, _quiz = catalog.quiz(assignment.quiz_id)
    except NotFound:
        stamps = change_stamps(session, assignment)
        return Snapshot(_etag("answers", assignment_id, stamps.graded, "no-pack"), results.answers_jsonl(session, assignment_id).encode())
    stamps = change_stamps(session, assignment)
    return _cached(cache, "answers", assignment_id, stamps.graded, bank, _quiz_fingerprint(bank, assignment.quiz_id),
                   lambda: results.answers_jsonl(session, assignment_id).encode())
