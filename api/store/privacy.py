"""A student's data on request, deletion of a class or an assignment, and closing a class.

Each function is one transaction with its audit entry (see :mod:`api.store.audit`); the deletes
themselves are :mod:`api.store.erasure`'s. docs/privacy.md says what is stored and for how long.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from api.schemas import ClassSummaryOut, Out
from api.store import audit
from api.store.assignments import get_assignment_row
from api.store.classes import _summary, class_student_row, get_class_row
from api.store.erasure import Deleted, delete_assignments, delete_classes
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, AuditRow, RegradeEntryRow, ReviewRow, utcnow

__all__ = ["EXPORT_FORMAT", "DeletedOut", "student_export", "delete_class", "delete_assignment", "close_class", "reopen_class"]

EXPORT_FORMAT = "medialit-student-export/1"


class DeletedOut(Out):
    """What a deletion removed, for the teacher to read back."""

    classes: int = Field(description="classes deleted")
    students: int = Field(description="students deleted with their sign-in tokens")
    assignments: int
    attempts: int
    answers: int = Field(description="stored answers deleted (with their scores)")
    reviews: int = Field(description="teacher reviews of those answers deleted")


def _deleted_out(deleted: Deleted) -> DeletedOut:
    return DeletedOut(**deleted.counts())


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def student_export(session: Session, class_id: int, student_id: int) -> dict[str, Any]:
    """Everything stored about one student, as JSON-ready data (the sign-in token's digest excepted:
    it is a credential, not information about the student)."""
    student = class_student_row(session, class_id, student_id)
    klass = get_class_row(session, class_id)
    attempts = list(session.scalars(select(AttemptRow).where(AttemptRow.student_id == student.id).order_by(AttemptRow.id)))
    quizzes = dict(session.execute(select(AssignmentRow.id, AssignmentRow.quiz_id).where(
        AssignmentRow.id.in_({a.assignment_id for a in attempts}))).all())
    answers = list(session.scalars(select(AnswerRow).where(AnswerRow.attempt_id.in_([a.id for a in attempts])).order_by(AnswerRow.id)))
    answer_ids = [a.id for a in answers]
    reviews = list(session.scalars(select(ReviewRow).where(ReviewRow.answer_id.in_(answer_ids)).order_by(ReviewRow.id)))
    regrades = list(session.scalars(select(RegradeEntryRow).where(RegradeEntryRow.answer_id.in_(answer_ids)).order_by(RegradeEntryRow.id)))
    logged = list(session.scalars(select(AuditRow).where(
        or_(AuditRow.student_id == student.id, AuditRow.answer_id.in_(answer_ids))).order_by(AuditRow.id)))
    audit.record(session, "student-exported", klass=klass, student_id=student.id)
    session.commit()
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "student": {"id": student.id, "display_name": student.display_name, "joined_at": _time(student.joined_at)},
        "class": {"id": klass.id, "name": klass.name, "created_at": _time(klass.created_at), "closed_at": _time(klass.closed_at)},
        "attempts": [{
            "id": a.id, "assignment_id": a.assignment_id, "quiz_id": quizzes.get(a.assignment_id), "number": a.number,
            "started_at": _time(a.started_at), "submitted_at": _time(a.submitted_at),
            "exercise_order": a.exercise_order, "option_orders": a.option_orders,
            "answers": [{
                "id": r.id, "exercise_id": r.exercise_id, "response": r.response, "saved_at": _time(r.saved_at), "outcome": r.outcome,
                "reviews": [{"reviewer": v.reviewer, "provisional": v.provisional, "earned": v.earned, "comment": v.comment,
                             "created_at": _time(v.created_at)} for v in reviews if v.answer_id == r.id],
                "regrades": [{"old_earned": g.old_earned, "new_earned": g.new_earned, "old_version": g.old_version,
                              "new_version": g.new_version} for g in regrades if g.answer_id == r.id],
            } for r in answers if r.attempt_id == a.id],
        } for a in attempts],
        "audit_log": [{"at": _time(e.created_at), "actor": e.actor, "action": e.action, "detail": e.detail} for e in logged],
        "not_included": "a one-way fingerprint (SHA-256) of the student's sign-in token, which is a credential and reveals nothing about the student",
    }


def delete_class(session: Session, class_id: int) -> DeletedOut:
    """Delete a class with its students, assignments, attempts, answers and reviews, in one transaction."""
    klass = get_class_row(session, class_id)
    name, owner = klass.name, audit.class_owner(session, class_id)
    deleted = delete_classes(session, [class_id])
    audit.record(session, "class-deleted", class_name=name, owner_id=owner, **deleted.counts())
    session.commit()
    return _deleted_out(deleted)


def delete_assignment(session: Session, assignment_id: int) -> DeletedOut:
    """Delete an assignment with every attempt, answer, review and regrade on it, in one transaction."""
    row = get_assignment_row(session, assignment_id)
    klass = get_class_row(session, row.class_id)
    quiz_id = row.quiz_id
    deleted = delete_assignments(session, [assignment_id])
    audit.record(session, "assignment-deleted", klass=klass, quiz_id=quiz_id, **deleted.counts())
    session.commit()
    return _deleted_out(deleted)


def close_class(session: Session, class_id: int) -> ClassSummaryOut:
    """Close a class: joining off, open assignments closed, and the retention clock started.

    Closing twice keeps the first time (the retention period counts from when the work ended)."""
    klass = get_class_row(session, class_id)
    now = utcnow()
    closed = session.execute(update(AssignmentRow).where(
        AssignmentRow.class_id == class_id, AssignmentRow.closed_at.is_(None)).values(closed_at=now)).rowcount or 0
    if klass.closed_at is None:
        klass.closed_at = now
    klass.joining_open = False
    audit.record(session, "class-closed", klass=klass, assignments_closed=closed)
    session.commit()
    return _summary(session, klass)


def reopen_class(session: Session, class_id: int) -> ClassSummaryOut:
    """Reopen a closed class (the retention clock stops); joining and assignments stay as they are
    until the teacher turns them on one by one."""
    klass = get_class_row(session, class_id)
    klass.closed_at = None
    audit.record(session, "class-reopened", klass=klass)
    session.commit()
    return _summary(session, klass)
