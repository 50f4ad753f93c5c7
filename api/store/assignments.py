"""Assignments: a quiz set for a class, with its window, attempts and feedback-release policy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.errors import AssignmentClosed, AssignmentNotOpen, InvalidInput, NotFound
from api.schemas import AssignmentIn, AssignmentOut, AssignmentPatchIn, FeedbackRelease, MyAssignmentOut
from api.store import audit
from api.store.classes import get_class_row
from api.store.tables import AssignmentRow, AttemptRow, StudentRow, utcnow

__all__ = ["assignment_state", "is_feedback_released", "require_open", "assignment_out", "create_assignment",
           "get_assignment_row", "get_assignment", "patch_assignment", "my_assignments", "student_assignment_row"]


def assignment_state(row: AssignmentRow, now: datetime) -> str:
    """``scheduled`` before ``opens_at``; ``closed`` once closed by the teacher or past ``due_at``; else ``open``."""
    if row.closed_at is not None or (row.due_at is not None and now >= row.due_at):
        return "closed"
    if row.opens_at is not None and now < row.opens_at:
        return "scheduled"
    return "open"


def is_feedback_released(row: AssignmentRow, now: datetime) -> bool:
    """``immediate``: always; ``after_due``: once the assignment is closed or due; ``none``: never."""
    match FeedbackRelease(row.feedback):
        case FeedbackRelease.IMMEDIATE:
            return True
        case FeedbackRelease.AFTER_DUE:
            return assignment_state(row, now) == "closed"
        case FeedbackRelease.NONE:
            return False


def require_open(row: AssignmentRow, now: datetime) -> None:
    state = assignment_state(row, now)
    if state == "scheduled":
        raise AssignmentNotOpen(f"assignment {row.id} opens at {row.opens_at.isoformat() if row.opens_at else '?'}")
    if state == "closed":
        raise AssignmentClosed(f"assignment {row.id} no longer accepts answers")


def assignment_out(catalog: Catalog, row: AssignmentRow, now: datetime | None = None) -> AssignmentOut:
    bank, quiz = catalog.quiz(row.quiz_id)
    return AssignmentOut(
        id=row.id, class_id=row.class_id, quiz_id=row.quiz_id, lesson_id=bank.pack.id, quiz_title=quiz.title,
        opens_at=row.opens_at, due_at=row.due_at, closed=row.closed_at is not None,
        state=assignment_state(row, now or utcnow()), feedback=FeedbackRelease(row.feedback),
        attempts_allowed=row.attempts_allowed, shuffle=row.shuffle, created_at=row.created_at,
    )


def _check_window(opens_at: datetime | None, due_at: datetime | None) -> None:
    if opens_at is not None and due_at is not None and due_at <= opens_at:
        raise InvalidInput("due_at", "must be later than opens_at")


def create_assignment(session: Session, catalog: Catalog, class_id: int, body: AssignmentIn) -> AssignmentOut:
    get_class_row(session, class_id)
    catalog.quiz(body.quiz_id)  # NotFound for an unknown quiz
    _check_window(body.opens_at, body.due_at)
    row = AssignmentRow(
        class_id=class_id, quiz_id=body.quiz_id, opens_at=body.opens_at, due_at=body.due_at, feedback=body.feedback.value,
        attempts_allowed=body.attempts_allowed, shuffle=body.shuffle,
    )
    session.add(row)
    session.flush()
    audit.record(session, "assignment-created", klass=get_class_row(session, class_id), assignment_id=row.id, quiz_id=row.quiz_id)
    session.commit()
    return assignment_out(catalog, row)


def get_assignment_row(session: Session, assignment_id: int) -> AssignmentRow:
    row = session.get(AssignmentRow, assignment_id)
    if row is None:
        raise NotFound(f"no assignment {assignment_id}")
    return row


def get_assignment(session: Session, catalog: Catalog, assignment_id: int) -> AssignmentOut:
    return assignment_out(catalog, get_assignment_row(session, assignment_id))


def patch_assignment(session: Session, catalog: Catalog, assignment_id: int, body: AssignmentPatchIn) -> AssignmentOut:
    """Apply only the fields the request names: ``due_at: null`` removes the due time."""
    row = get_assignment_row(session, assignment_id)
    given = body.model_fields_set
    if "closed" in given and body.closed is not None:
        row.closed_at = (row.closed_at or utcnow()) if body.closed else None
    if "due_at" in given:
        _check_window(row.opens_at, body.due_at)
        row.due_at = body.due_at
    if "attempts_allowed" in given and body.attempts_allowed is not None:
        row.attempts_allowed = body.attempts_allowed
    changes = _changes(session, row)
    if changes:
        audit.record(session, "assignment-changed", klass=get_class_row(session, row.class_id), assignment_id=row.id, quiz_id=row.quiz_id, changes=changes)
    session.commit()
    return assignment_out(catalog, row)


def _changes(session: Session, row: AssignmentRow) -> list[str]:
    """What a patch changed, in words for the audit log."""
    state = inspect(row)
    changes = []
    for attribute, words in (("closed_at", ("closed", "reopened")), ("due_at", ("due time set", "due time removed")),
                             ("attempts_allowed", ("attempts allowed changed", "attempts allowed changed"))):
        history = state.attrs[attribute].history
        if history.has_changes():
            changes.append(words[0] if history.added and history.added[0] is not None else words[1])
    return changes


def student_assignment_row(session: Session, student: StudentRow, assignment_id: int) -> AssignmentRow:
    """The assignment if it belongs to the student's class; ``NotFound`` otherwise (no hint it exists)."""
    row = session.get(AssignmentRow, assignment_id)
    if row is None or row.class_id != student.class_id:
        raise NotFound(f"no assignment {assignment_id}")
    return row


def my_assignments(session: Session, catalog: Catalog, student: StudentRow) -> list[MyAssignmentOut]:
    now = utcnow()
    rows = session.scalars(select(AssignmentRow).where(AssignmentRow.class_id == student.class_id).order_by(AssignmentRow.id))
    result = []
    for row in rows:
        used = session.scalar(select(func.count()).select_from(AttemptRow).where(
            AttemptRow.assignment_id == row.id, AttemptRow.student_id == student.id)) or 0
        open_id = session.scalar(select(AttemptRow.id).where(
            AttemptRow.assignment_id == row.id, AttemptRow.student_id == student.id, AttemptRow.submitted_at.is_(None)))
        last_submitted = session.scalar(select(AttemptRow.id).where(
            AttemptRow.assignment_id == row.id, AttemptRow.student_id == student.id, AttemptRow.submitted_at.is_not(None),
        ).order_by(AttemptRow.id.desc()).limit(1))
        out = assignment_out(catalog, row, now)
        result.append(MyAssignmentOut(
            id=row.id, quiz_id=row.quiz_id, lesson_id=out.lesson_id, quiz_title=out.quiz_title, opens_at=row.opens_at,
            due_at=row.due_at, state=out.state, feedback=out.feedback, attempts_allowed=row.attempts_allowed,
            attempts_used=used, open_attempt_id=open_id, last_submitted_attempt_id=last_submitted,
        ))
    return result
