"""Deleting students, assignments and classes with everything that hangs off them.

The functions here issue the deletes, children first, and leave the commit to the caller: one
transaction per teacher action, so an error (the database failing half-way, a lock timeout)
rolls everything back and leaves nothing half-deleted. Parent rows are locked first
(``FOR UPDATE`` on PostgreSQL; SQLite's single writer does the same), so an autosave racing the
deletion waits and then finds its attempt gone instead of leaving an orphan answer.

What hangs off what: a class has students and assignments; an attempt belongs to one student and
one assignment; answers to an attempt; reviews and regrade entries to an answer; regrades (with
their entries) to an assignment. The audit log is kept (it holds no names or answers), but its
entries stop pointing at what was deleted: their ids are cleared (SQLite hands a deleted row's id
to the next new row, and the log must not then name a new student for an old one's entries) and
a deleted class is named by the name it had.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, AuditRow, ClassRow, RegradeEntryRow, RegradeRow, ReviewRow, StudentRow

__all__ = ["Deleted", "delete_students", "delete_assignments", "delete_classes"]


@dataclass(frozen=True)
class Deleted:
    """How many rows of each kind one deletion removed."""

    classes: int = 0
    students: int = 0
    assignments: int = 0
    attempts: int = 0
    answers: int = 0
    reviews: int = 0

    def counts(self) -> dict[str, Any]:
        return asdict(self)


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _delete_attempts(session: Session, which: ColumnElement[bool]) -> tuple[int, int, int]:
    """Delete the attempts matching ``which`` with their answers, reviews and regrade entries."""
    attempt_ids = select(AttemptRow.id).where(which)
    session.execute(attempt_ids.with_for_update()).all()  # PostgreSQL: a racing autosave waits for us
    answer_ids = select(AnswerRow.id).where(AnswerRow.attempt_id.in_(attempt_ids))
    reviews = _count(session, select(ReviewRow.id).where(ReviewRow.answer_id.in_(answer_ids)))
    session.execute(update(AuditRow).where(AuditRow.answer_id.in_(answer_ids)).values(answer_id=None))
    session.execute(delete(RegradeEntryRow).where(RegradeEntryRow.answer_id.in_(answer_ids)))
    session.execute(delete(ReviewRow).where(ReviewRow.answer_id.in_(answer_ids)))
    answers = session.execute(delete(AnswerRow).where(AnswerRow.attempt_id.in_(attempt_ids))).rowcount or 0
    attempts = session.execute(delete(AttemptRow).where(which)).rowcount or 0
    return attempts, answers, reviews


def delete_students(session: Session, student_ids: list[int]) -> Deleted:
    """Delete these students with their attempts, answers and reviews (the caller commits)."""
    if not student_ids:
        return Deleted()
    session.execute(select(StudentRow.id).where(StudentRow.id.in_(student_ids)).with_for_update()).all()
    attempts, answers, reviews = _delete_attempts(session, AttemptRow.student_id.in_(student_ids))
    students = session.execute(delete(StudentRow).where(StudentRow.id.in_(student_ids))).rowcount or 0
    session.execute(update(AuditRow).where(AuditRow.student_id.in_(student_ids)).values(student_id=None))
    return Deleted(students=students, attempts=attempts, answers=answers, reviews=reviews)


def delete_assignments(session: Session, assignment_ids: list[int]) -> Deleted:
    """Delete these assignments with every attempt, answer, review and regrade on them (the caller commits)."""
    if not assignment_ids:
        return Deleted()
    session.execute(select(AssignmentRow.id).where(AssignmentRow.id.in_(assignment_ids)).with_for_update()).all()
    attempts, answers, reviews = _delete_attempts(session, AttemptRow.assignment_id.in_(assignment_ids))
    regrades = select(RegradeRow.id).where(RegradeRow.assignment_id.in_(assignment_ids))
    session.execute(delete(RegradeEntryRow).where(RegradeEntryRow.regrade_id.in_(regrades)))
    session.execute(delete(RegradeRow).where(RegradeRow.assignment_id.in_(assignment_ids)))
    assignments = session.execute(delete(AssignmentRow).where(AssignmentRow.id.in_(assignment_ids))).rowcount or 0
    session.execute(update(AuditRow).where(AuditRow.assignment_id.in_(assignment_ids)).values(assignment_id=None))
    return Deleted(assignments=assignments, attempts=attempts, answers=answers, reviews=reviews)


def delete_classes(session: Session, class_ids: list[int]) -> Deleted:
    """Delete these classes with their students, assignments and everything on them (the caller commits)."""
    if not class_ids:
        return Deleted()
    session.execute(select(ClassRow.id).where(ClassRow.id.in_(class_ids)).with_for_update()).all()
    students = list(session.scalars(select(StudentRow.id).where(StudentRow.class_id.in_(class_ids))))
    assignments = list(session.scalars(select(AssignmentRow.id).where(AssignmentRow.class_id.in_(class_ids))))
    # An attempt belongs to a student and an assignment of the same class; both sides are covered
    # anyway, so no row can be left pointing at a deleted parent.
    attempts, answers, reviews = _delete_attempts(session, or_(AttemptRow.student_id.in_(students), AttemptRow.assignment_id.in_(assignments)))
    by_assignment = delete_assignments(session, assignments)
    by_student = delete_students(session, students)
    name = select(ClassRow.name).where(ClassRow.id == AuditRow.class_id).scalar_subquery()
    session.execute(update(AuditRow).where(AuditRow.class_id.in_(class_ids)).values(class_name=func.coalesce(AuditRow.class_name, name), class_id=None))
    removed = session.execute(delete(ClassRow).where(ClassRow.id.in_(class_ids))).rowcount or 0
    return Deleted(classes=removed, students=by_student.students, assignments=by_assignment.assignments,
                   attempts=attempts, answers=answers, reviews=reviews)
