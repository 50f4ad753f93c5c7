"""Group commit for autosaves: concurrent answer writes share one transaction and one fsync.

With SQLite in ``synchronous=FULL`` every commit waits for the disk (about a millisecond or more),
so one commit per autosave caps a class at a few hundred saves a second however fast the CPU is.
A single writer thread takes every save waiting in its queue, writes them in one transaction and
acknowledges each only after that transaction is committed: durability is unchanged (no request
gets its 2xx before its answer is on disk), and 32 students saving at once cost one fsync, not 32.

Each save is one conditional upsert (:func:`save_statement`): it only lands while the attempt is
unsubmitted, so a save racing a submit is either in the submitted attempt or refused with
``attempt-submitted``.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import JSON, Engine, TextClause, bindparam, select, text

from api.errors import AttemptSubmitted
from api.store.tables import AttemptRow, UTCDateTime

__all__ = ["AnswerWriter", "save_statement"]

MAX_BATCH = 128
"""Most saves in one transaction: bounds the time the first of them waits."""


_SAVE_SQL = (
    "INSERT INTO answers (attempt_id, exercise_id, response, saved_at) "
    "SELECT :attempt_id, :exercise_id, :response, :saved_at "
    "WHERE EXISTS (SELECT 1 FROM attempts WHERE attempts.id = :attempt_id AND attempts.submitted_at IS NULL{lock}) "
    "ON CONFLICT (attempt_id, exercise_id) DO UPDATE SET response = excluded.response, saved_at = excluded.saved_at"
)


def save_statement(dialect: str) -> TextClause:
    """One save: inserts or replaces the answer only while its attempt is unsubmitted.

    On PostgreSQL the attempt row is read ``FOR SHARE``: a save that meets a submit in progress
    waits for it and then sees the attempt submitted (plain READ COMMITTED would read the old row
    and slip the answer in after the submit scored the attempt). SQLite has one writer at a time,
    so the plain statement is already serialised with the submit.
    """
    lock = " FOR SHARE" if dialect == "postgresql" else ""
    return text(_SAVE_SQL.format(lock=lock)).bindparams(bindparam("response", type_=JSON), bindparam("saved_at", type_=UTCDateTime))


@dataclass
class _Save:
    attempt_id: int
    exercise_id: str
    response: dict[str, Any]
    saved_at: datetime
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    notify: Callable[[], None] | None = None


class AnswerWriter:
    """The one thread that writes autosaves; :meth:`save` blocks until its answer is committed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statement = save_statement(engine.dialect.name)
        self._queue: queue.Queue[_Save | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _ensure_running(self) -> None:
        # Started on first use (and again after close()), so an app served without lifespan
        # events, or restarted in tests, still writes.
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="medialit-answer-writer", daemon=True)
                self._thread.start()

    def save(self, attempt_id: int, exercise_id: str, response: dict[str, Any], saved_at: datetime) -> None:
        """Store the answer durably, or raise ``AttemptSubmitted`` (or the database's error)."""
        item = _Save(attempt_id, exercise_id, response, saved_at)
        self._ensure_running()
        self._queue.put(item)
        item.done.wait()
        if item.error is not None:
            raise item.error

    async def save_async(self, attempt_id: int, exercise_id: str, response: dict[str, Any], saved_at: datetime) -> None:
        """:meth:`save` for the event loop: waits without occupying a worker thread."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        item = _Save(attempt_id, exercise_id, response, saved_at)
        item.notify = lambda: loop.call_soon_threadsafe(_settle, future, item)
        self._ensure_running()
        self._queue.put(item)
        await future

    def queue_depth(self) -> int:
        """Autosaves waiting for the writer thread now (approximate while saves arrive: a gauge)."""
        return self._queue.qsize()

    def close(self) -> None:
        """Write what is queued, then stop the thread (a later save starts it again)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._write(batch)
                    return
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list[_Save]) -> None:
        try:
            with self.engine.connect() as connection:
                # One executemany and one commit for the whole batch: few GIL hand-offs, one fsync.
                # In row order: writers of other server processes lock the same rows in the same
                # order, so two batches cannot deadlock (the sort is stable: two saves of one
                # answer keep their order, and the later one stays).
                ordered = sorted(batch, key=lambda i: (i.attempt_id, i.exercise_id))
                connection.execute(self.statement, [
                    {"attempt_id": i.attempt_id, "exercise_id": i.exercise_id, "response": i.response, "saved_at": i.saved_at} for i in ordered
                ])
                ids = sorted({i.attempt_id for i in batch})
                # Inside the same transaction (SQLite holds the write lock), so this says which saves the
                # EXISTS condition refused.
                submitted = set(connection.scalars(
                    select(AttemptRow.id).where(AttemptRow.id.in_(ids), AttemptRow.submitted_at.is_not(None))
                ))
                connection.commit()
            for item in batch:
                if item.attempt_id in submitted:
                    item.error = AttemptSubmitted(f"attempt {item.attempt_id} has been submitted")
        except BaseException as error:  # noqa: BLE001 - every waiting request must hear about it
            for item in batch:
                item.error = item.error or error
        finally:
            for item in batch:
                item.done.set()
                if item.notify is not None:
                    try:
                        item.notify()
                    except RuntimeError:  # the event loop is gone (server stopping): nobody waits any more
                        pass


def _settle(future: "asyncio.Future[None]", item: _Save) -> None:
    if future.done():
        return
    if item.error is not None:
        future.set_exception(item.error)
    else:
        future.set_result(None)
