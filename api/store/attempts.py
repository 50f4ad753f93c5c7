"""Attempts and answers: start, autosave (idempotent), submit (idempotent), and the student's own result."""

from __future__ import annotations

import hmac
import random
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.catalog import Catalog
from api.errors import AttemptsExhausted, AttemptSubmitted, InvalidInput, NotFound, Unauthorized
from api.store.auth import hash_token, student_for_token
from api.store.quota import require_room
from api.schemas import AnswerSavedOut, AttemptOut, ResultOut
from api.store.assignments import is_feedback_released, require_open, student_assignment_row
from api.store.writer import AnswerWriter
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, StudentRow, utcnow
from quizzes.bank import Bank
from quizzes.exercises import Exercise
from quizzes.outcome import Outcome
from quizzes.responses import Response, parse_response
from quizzes.reference_responses import empty_response
from quizzes.scoring.feedback_policy import apply_feedback_policy
from quizzes.ordering import draw_order
from quizzes.scoring import score, score_unfiltered
from quizzes.views import OutcomeView, exercise_view, is_assessed, is_waiting_for_teacher, outcome_view, practice_outcome_view, to_points

__all__ = [
    "score_stored", "student_outcome", "check_answer", "draw_orders", "start_attempt", "save_answer", "submit_attempt",
    "get_attempt", "own_attempt",
]


def score_stored(bank: Bank, exercise: Exercise, raw: dict[str, Any] | None) -> Outcome:
    """Score a stored response with every detail (``None``: never answered, scored as an empty answer).

    Stored outcomes are unfiltered, for the teacher and the item analysis; a student only ever sees
    one cut down by the exercise's feedback policy (:func:`student_outcome`).
    """
    response = parse_response(exercise.type, raw) if raw is not None else empty_response(exercise)
    return score_unfiltered(exercise, response, bank.pack)


def student_outcome(outcome: Outcome, exercise: Exercise, order: list[str] | None = None) -> OutcomeView:
    """What a student may see of a stored outcome: the engine's policy cut, then the field-by-field view.

    ``order``: the option order the student was shown, so per-option feedback follows it.
    """
    return outcome_view(apply_feedback_policy(outcome, exercise.feedback_policy), exercise.feedback_policy, order)


def draw_orders(exercises: list[Exercise]) -> dict[str, list[str]]:
    """A fresh option order for every choice and match exercise (the one place that draws it)."""
    shuffle = random.SystemRandom().shuffle
    orders = {e.id: draw_order(e, shuffle) for e in exercises}
    return {k: list(v) for k, v in orders.items() if v is not None}


def check_answer(catalog: Catalog, exercise_id: str, response: Response) -> OutcomeView:
    """Practice: score one answer, store nothing, show what the exercise's feedback policy allows
    (a text answer: a self-check list instead of a provisional score)."""
    bank, exercise = catalog.exercise(exercise_id)
    _require_type(exercise, response)
    return practice_outcome_view(score(exercise, response, bank.pack), exercise, bank.pack, assessed=is_assessed(bank, exercise.id))


def _require_type(exercise: Exercise, response: Response) -> None:
    if response.type != exercise.type:
        raise InvalidInput("type", f"exercise {exercise.id!r} is a {exercise.type} exercise, not {response.type}")


def own_attempt(session: Session, student: StudentRow, attempt_id: int) -> AttemptRow:
    """The student's own attempt; anyone else's is ``NotFound``, indistinguishable from a missing one."""
    row = session.get(AttemptRow, attempt_id)
    if row is None or row.student_id != student.id:
        raise NotFound(f"no attempt {attempt_id}")
    return row


def start_attempt(session: Session, catalog: Catalog, student: StudentRow, assignment_id: int) -> tuple[AttemptOut, bool]:
    """Resume the student's unsubmitted attempt, or start the next one. Returns (attempt, created)."""
    assignment = student_assignment_row(session, student, assignment_id)
    now = utcnow()
    require_open(assignment, now)
    mine = (AttemptRow.assignment_id == assignment.id, AttemptRow.student_id == student.id)
    current = session.scalar(select(AttemptRow).where(*mine, AttemptRow.submitted_at.is_(None)))
    if current is not None:
        return _attempt_out(session, catalog, current, assignment, now), False
    used = session.scalar(select(func.count()).select_from(AttemptRow).where(*mine)) or 0
    if used >= assignment.attempts_allowed:
        raise AttemptsExhausted(f"all {assignment.attempts_allowed} attempts are used")
    bank, quiz = catalog.quiz(assignment.quiz_id)
    order = list(quiz.exercises)
    if assignment.shuffle:
        random.SystemRandom().shuffle(order)
    # Options are always shuffled (pinned ones stay put): ``assignment.shuffle`` is about exercise order.
    row = AttemptRow(assignment_id=assignment.id, student_id=student.id, number=used + 1, exercise_order=order,
                     option_orders=draw_orders(bank.quiz_exercises(quiz.id)))
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same student started twice at once: return the one that won
        session.rollback()
        row = session.scalar(select(AttemptRow).where(*mine, AttemptRow.number == used + 1))
        if row is None:
            raise
        return _attempt_out(session, catalog, row, assignment, now), False
    return _attempt_out(session, catalog, row, assignment, now), True


async def save_answer(session: Session, catalog: Catalog, writer: AnswerWriter, token: str | None, attempt_id: int, exercise_id: str, response: Response,
                      storage_limit: int | None = None) -> AnswerSavedOut:
    """Store (or replace) one answer durably before returning; the same request twice leaves the same state.

    The hottest route of a class, kept off the worker threads: the student's token, the attempt
    and its assignment are checked with one query (run in a worker thread only when the database
    is across a network, see :func:`_check_autosave`), and the write goes through the
    group-committing :class:`AnswerWriter`, awaited on the event loop.
    """
    if not token:
        raise Unauthorized("send Authorization: Bearer <student token>")
    payload = response.model_dump(mode="json", exclude_none=True)
    if session.get_bind().dialect.name == "sqlite":
        _check_autosave(session, catalog, token, attempt_id, exercise_id, response)
        if storage_limit is not None:
            require_room(session, attempt_id, exercise_id, payload, storage_limit)
    else:
        await run_in_threadpool(_check_autosave, session, catalog, token, attempt_id, exercise_id, response)
        if storage_limit is not None:
            await run_in_threadpool(require_room, session, attempt_id, exercise_id, payload, storage_limit)
    now = utcnow()
    await writer.save_async(attempt_id, exercise_id, payload, now)
    return AnswerSavedOut(attempt_id=attempt_id, exercise_id=exercise_id, saved_at=now)


_AUTOSAVE_CHECK = (
    select(AttemptRow.exercise_order, AttemptRow.submitted_at, StudentRow.token_hash,
           AssignmentRow.id, AssignmentRow.opens_at, AssignmentRow.due_at, AssignmentRow.closed_at)
    .join(StudentRow, StudentRow.id == AttemptRow.student_id)
    .join(AssignmentRow, AssignmentRow.id == AttemptRow.assignment_id)
    .where(AttemptRow.id == bindparam("attempt_id"))
)
"""Built once: on the busiest route, constructing the statement cost as much as running it."""


def _check_autosave(session: Session, catalog: Catalog, token: str, attempt_id: int, exercise_id: str, response: Response) -> None:
    """Raise unless the token's student may save ``response`` to ``exercise_id`` in ``attempt_id`` now.

    One indexed read; on SQLite (a local file, a fraction of a millisecond) it runs on the event
    loop, which costs less than handing it to a worker thread.
    """
    found = session.connection().execute(_AUTOSAVE_CHECK, {"attempt_id": attempt_id}).one_or_none()
    try:
        if found is None or not hmac.compare_digest(found.token_hash, hash_token(token)):
            student_for_token(session, token)  # Unauthorized for a bad token ...
            raise NotFound(f"no attempt {attempt_id}")  # ... and someone else's attempt looks like a missing one
        if exercise_id not in found.exercise_order:
            raise NotFound(f"exercise {exercise_id!r} is not part of attempt {attempt_id}")
        _bank, exercise = catalog.exercise(exercise_id)
        _require_type(exercise, response)
        if found.submitted_at is not None:
            raise AttemptSubmitted(f"attempt {attempt_id} was submitted at {found.submitted_at.isoformat()}")
        require_open(found, utcnow())  # type: ignore[arg-type]
    finally:
        session.rollback()  # hand the connection back while the writer commits: nothing was written here


def submit_attempt(session: Session, catalog: Catalog, student: StudentRow, attempt_id: int) -> AttemptOut:
    """Score every exercise of the attempt and freeze it. Submitting again returns the first result."""
    attempt = own_attempt(session, student, attempt_id)
    assignment = session.get(AssignmentRow, attempt.assignment_id)
    assert assignment is not None
    if attempt.submitted_at is None:
        require_open(assignment, utcnow())
        # Scored before the claim: on SQLite the claim takes the database's one write lock, and
        # scoring a whole attempt inside it kept every other student's save waiting.
        scored = _score_answers(session, catalog, attempt)
        claimed = session.execute(
            update(AttemptRow).where(AttemptRow.id == attempt_id, AttemptRow.submitted_at.is_(None)).values(submitted_at=utcnow())
        ).rowcount
        if claimed:
            _score_attempt(session, catalog, attempt, scored)
        session.commit()
        session.refresh(attempt)
    return _attempt_out(session, catalog, attempt, assignment, utcnow())


def _score_answers(session: Session, catalog: Catalog, attempt: AttemptRow) -> dict[str, tuple[Any, dict[str, Any]]]:
    """Each exercise's stored response (``None`` when unanswered) with its outcome, read and scored
    outside any write transaction."""
    stored = dict(session.execute(select(AnswerRow.exercise_id, AnswerRow.response).where(AnswerRow.attempt_id == attempt.id)).all())
    scored = {}
    for exercise_id in attempt.exercise_order:
        bank, exercise = catalog.exercise(exercise_id)
        response = stored.get(exercise_id)
        scored[exercise_id] = (response, score_stored(bank, exercise, response).model_dump(mode="json"))
    return scored


def _score_attempt(session: Session, catalog: Catalog, attempt: AttemptRow, scored: dict[str, tuple[Any, dict[str, Any]]] | None = None) -> None:
    """Write every exercise's outcome, once the attempt is claimed; an answer saved between
    :func:`_score_answers` and the claim (its response differs) is scored again here."""
    answers = {a.exercise_id: a for a in session.scalars(select(AnswerRow).where(AnswerRow.attempt_id == attempt.id))}
    for exercise_id in attempt.exercise_order:
        bank, exercise = catalog.exercise(exercise_id)
        row = answers.get(exercise_id)
        if row is None:
            row = AnswerRow(attempt_id=attempt.id, exercise_id=exercise_id, response=None)
            session.add(row)
        known = (scored or {}).get(exercise_id)
        row.outcome = known[1] if known is not None and known[0] == row.response else score_stored(bank, exercise, row.response).model_dump(mode="json")


def get_attempt(session: Session, catalog: Catalog, student: StudentRow, attempt_id: int) -> AttemptOut:
    attempt = own_attempt(session, student, attempt_id)
    assignment = session.get(AssignmentRow, attempt.assignment_id)
    assert assignment is not None
    return _attempt_out(session, catalog, attempt, assignment, utcnow())


def _attempt_out(session: Session, catalog: Catalog, attempt: AttemptRow, assignment: AssignmentRow, now: datetime) -> AttemptOut:
    answers = list(session.scalars(select(AnswerRow).where(AnswerRow.attempt_id == attempt.id)))
    orders = attempt.option_orders or {}
    released = attempt.submitted_at is not None and is_feedback_released(assignment, now)
    result = None
    if released:
        by_exercise = {a.exercise_id: a for a in answers}
        views: list[OutcomeView] = []
        earned = possible = Fraction(0)
        waiting = 0
        for exercise_id in attempt.exercise_order:
            stored = by_exercise.get(exercise_id)
            if stored is None or stored.outcome is None:
                continue
            outcome = Outcome.model_validate(stored.outcome)
            _bank, exercise = catalog.exercise(exercise_id)
            views.append(student_outcome(outcome, exercise, orders.get(exercise_id)))
            # a provisional score counts only once a teacher has confirmed it
            waiting += is_waiting_for_teacher(outcome)
            earned, possible = earned + (0 if is_waiting_for_teacher(outcome) else outcome.earned), possible + outcome.possible
        percent = to_points(100 * earned / possible) if possible else 0.0
        result = ResultOut(earned=to_points(earned), possible=to_points(possible), percent=percent, exercises=views, waiting_for_teacher=waiting)
    exercises = []
    for exercise_id in attempt.exercise_order:
        bank, exercise = catalog.exercise(exercise_id)
        exercises.append(exercise_view(exercise, bank.pack.id, orders.get(exercise_id)))
    return AttemptOut(
        id=attempt.id, assignment_id=attempt.assignment_id, number=attempt.number, exercise_order=list(attempt.exercise_order),
        exercises=exercises,
        started_at=attempt.started_at, submitted_at=attempt.submitted_at,
        answers={a.exercise_id: a.response for a in answers if a.response is not None},
        feedback_released=released, result=result,
    )
