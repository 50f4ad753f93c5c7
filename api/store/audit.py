"""The audit log: who did what to which class, written in the same transaction as the action.

A route's teacher dependency names the actor on the request's session (:func:`set_actor`); store
functions then call :func:`record` before they commit, so an action and its entry land together
or not at all. Entries hold ids, counts and the class name, never a student's name or an answer;
:func:`list_entries` turns them into sentences, naming a student only while they still exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from api.schemas import Out
from api.store.tables import AuditRow, ClassRow, ClassTeacherRow, StudentRow

__all__ = ["ACTIONS", "AuditEntryOut", "AuditPageOut", "actor_name", "set_actor", "class_owner", "record", "list_entries", "forget_before"]

_ACTOR_KEY = "medialit.audit_actor"
_ACTOR_ID_KEY = "medialit.audit_actor_id"


def actor_name(teacher: object) -> str:
    """The name the log gives whoever the teacher dependency let in.

    A teacher account is named by its ``display_name``; anything without a name reads ``teacher``.
    """
    for attribute in ("name", "display_name"):
        value = getattr(teacher, attribute, None)
        if isinstance(value, str) and value:
            return value[:80]
    return "teacher"


def set_actor(session: Session, actor: str, teacher_id: int | None = None) -> None:
    """Name the actor of every entry recorded on ``session`` (the request's session); ``teacher_id``
    is the acting teacher account (none for the administrator, the command line or the server)."""
    session.info[_ACTOR_KEY] = actor
    session.info[_ACTOR_ID_KEY] = teacher_id


def class_owner(session: Session, class_id: int | None) -> int | None:
    """The account that owns ``class_id`` now (read it before deleting the class)."""
    if class_id is None:
        return None
    return session.scalar(select(ClassTeacherRow.teacher_id).where(ClassTeacherRow.class_id == class_id, ClassTeacherRow.role == "owner"))


def record(session: Session, action: str, *, klass: ClassRow | None = None, class_id: int | None = None,
           class_name: str | None = None, assignment_id: int | None = None, student_id: int | None = None,
           answer_id: int | None = None, owner_id: int | None = None, **detail: Any) -> None:
    """Add an entry for ``action`` (a key of :data:`ACTIONS`) to the session; the caller commits.
    ``class_name`` alone names a class already deleted; then pass ``owner_id`` (its owner, read with
    :func:`class_owner` before the deletion) so the entry stays in the owner's log."""
    assert action in ACTIONS, action
    entry_class = klass.id if klass is not None else class_id
    session.add(AuditRow(
        actor=session.info.get(_ACTOR_KEY, "teacher"), action=action,
        class_id=entry_class, class_name=klass.name if klass is not None else class_name,
        assignment_id=assignment_id, student_id=student_id, answer_id=answer_id, detail=detail,
        teacher_id=session.info.get(_ACTOR_ID_KEY), owner_id=owner_id if owner_id is not None else class_owner(session, entry_class),
    ))


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _deleted(d: dict[str, Any], *kinds: str) -> str:
    return ", ".join(_plural(d.get(kind, 0), kind[:-1]) for kind in (*kinds, "answers"))


_Sentence = Callable[[str, str, str, dict[str, Any]], str]
"""(class, student, quiz, detail) -> sentence."""

ACTIONS: dict[str, _Sentence] = {
    "class-created": lambda c, s, q, d: f"Created the class {c}.",
    "class-closed": lambda c, s, q, d: f"Closed the class {c}: joining off, {_plural(d.get('assignments_closed', 0), 'open assignment')} closed.",
    "class-reopened": lambda c, s, q, d: f"Reopened the class {c}.",
    "class-deleted": lambda c, s, q, d: f"Deleted the class {c} with {_deleted(d, 'students', 'assignments')}.",
    "class-expired": lambda c, s, q, d: f"Deleted the class {c}, closed for longer than {d.get('days')} days, with {_deleted(d, 'students', 'assignments')}.",
    "join-code-rotated": lambda c, s, q, d: f"Drew a new join code for {c} (joining on).",
    "joining-closed": lambda c, s, q, d: f"Turned joining off for {c}.",
    "student-removed": lambda c, s, q, d: f"Removed {s} from {c} with {_deleted(d)}.",
    "student-token-reissued": lambda c, s, q, d: f"Gave {s} in {c} a new sign-in token; the old one stopped working.",
    "student-exported": lambda c, s, q, d: f"Downloaded everything stored about {s} in {c}.",
    "assignment-created": lambda c, s, q, d: f"Assigned the quiz {q} to {c}.",
    "assignment-changed": lambda c, s, q, d: f"Changed the assignment {q} in {c}: {', '.join(d.get('changes', [])) or 'nothing'}.",
    "assignment-deleted": lambda c, s, q, d: f"Deleted the assignment {q} in {c} with {_deleted(d)}.",
    "answer-reviewed": lambda c, s, q, d: f"Scored an answer of {s} in the assignment {q}: {d.get('provisional')} became {d.get('earned')} points.",
    "assignment-regraded": lambda c, s, q, d: f"Rescored {_plural(d.get('answers', 0), 'answer')} of the assignment {q} in {c}; {d.get('changed', 0)} changed.",
    "teacher-account-created": lambda c, s, q, d: f"Created the teacher account “{d.get('name', '')}”.",
    "teacher-account-token-reset": lambda c, s, q, d: f"Gave the teacher account “{d.get('name', '')}” a new token; the old one stopped working.",
    "database-restored": lambda c, s, q, d: f"Restored the database from the backup {d.get('file', '')}.".replace(" .", "."),
}
"""Every action the log knows, with the sentence a teacher reads for it."""


class AuditEntryOut(Out):
    id: int
    at: datetime
    actor: str
    action: str
    sentence: str
    class_id: int | None
    assignment_id: int | None
    student_id: int | None


class AuditPageOut(Out):
    entries: list[AuditEntryOut]
    older: int | None
    """Pass as ``before`` for the next (older) page; null at the end of the log."""


def list_entries(session: Session, quiz_title: Callable[[str], str], viewer_id: int, class_ids: list[int],
                 class_id: int | None, before: int | None, limit: int) -> AuditPageOut:
    """The newest ``limit`` entries (of ``class_id``, when given) older than entry ``before``, of the
    log teacher ``viewer_id`` may read: entries about the classes they teach (``class_ids``), their
    own actions, entries about what they own, and server-wide ones (a restore) that concern nobody in
    particular. Another teacher's classes stay out of it."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit + 1).where(or_(
        AuditRow.class_id.in_(class_ids), AuditRow.teacher_id == viewer_id, AuditRow.owner_id == viewer_id,
        (AuditRow.class_id.is_(None) & AuditRow.teacher_id.is_(None) & AuditRow.owner_id.is_(None))))
    if class_id is not None:
        query = query.where(AuditRow.class_id == class_id)
    if before is not None:
        query = query.where(AuditRow.id < before)
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    names = dict(session.execute(select(ClassRow.id, ClassRow.name).where(ClassRow.id.in_({r.class_id for r in rows if r.class_id}))).all())
    students = dict(session.execute(select(StudentRow.id, StudentRow.display_name).where(
        StudentRow.id.in_({r.student_id for r in rows if r.student_id}))).all())
    entries = []
    for row in rows:
        klass = row.class_name or names.get(row.class_id)  # type: ignore[arg-type]
        student = students.get(row.student_id)  # type: ignore[arg-type]
        quiz = row.detail.get("quiz_id")
        sentence = ACTIONS[row.action](
            f"“{klass}”" if klass else "a deleted class",
            student if student else "a student no longer stored",
            f"“{quiz_title(quiz)}”" if quiz else "(a quiz no longer known)",
            row.detail,
        )
        entries.append(AuditEntryOut(id=row.id, at=row.created_at, actor=row.actor, action=row.action, sentence=sentence,
                                     class_id=row.class_id, assignment_id=row.assignment_id, student_id=row.student_id))
    return AuditPageOut(entries=entries, older=rows[-1].id if more and rows else None)


def forget_before(session: Session, cutoff: datetime) -> int:
    """Delete entries written before ``cutoff``; the caller commits. Returns how many went."""
    return session.execute(delete(AuditRow).where(AuditRow.created_at < cutoff)).rowcount or 0
