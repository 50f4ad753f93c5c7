"""Which teacher may see what: a class belongs to its owner and co-teachers, and everything in it
(students, assignments, attempts, answers, reviews, exports) follows the class.

Another teacher's ids read as unknown ids: every check here raises ``NotFound`` (404), never a
403, so a teacher cannot even learn that another teacher's class exists. Only changing who
teaches a class needs more than access: the owner's role (``NotClassOwner``, 403, shown to
co-teachers, who can see the class anyway).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.accounts import ClassTeacherOut, Role
from api.errors import Conflict, NotClassOwner, NotFound
from api.store.auth import Teacher
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, ClassTeacherRow, StudentRow, TeacherRow

__all__ = ["OWNED_PATH_IDS", "class_role", "require_class", "require_owner", "teacher_class_ids", "class_of",
           "check_path_ids", "class_teachers", "add_co_teacher", "remove_co_teacher", "add_owner"]

_MAX_ID = 2**31 - 1


def class_role(session: Session, teacher: Teacher, class_id: int) -> Role | None:
    """The teacher's role in the class, or ``None`` when it is not theirs (or does not exist)."""
    return session.scalar(select(ClassTeacherRow.role).where(ClassTeacherRow.class_id == class_id, ClassTeacherRow.teacher_id == teacher.id))  # type: ignore[return-value]


def require_class(session: Session, teacher: Teacher, class_id: int) -> Role:
    role = class_role(session, teacher, class_id)
    if role is None:
        raise NotFound(f"no class {class_id}")
    return role


def require_owner(session: Session, teacher: Teacher, class_id: int,
                  refusal: str = "only the teacher who created this class can change who teaches it") -> None:
    """``NotClassOwner`` (403) with ``refusal`` unless ``teacher`` owns the class (a co-teacher does not)."""
    if require_class(session, teacher, class_id) != "owner":
        raise NotClassOwner(refusal)


def teacher_class_ids(session: Session, teacher: Teacher) -> list[int]:
    return list(session.scalars(select(ClassTeacherRow.class_id).where(ClassTeacherRow.teacher_id == teacher.id).order_by(ClassTeacherRow.class_id)))


def class_of(session: Session, name: str, value: int) -> int | None:
    """The class an id of kind ``name`` (a path parameter of :data:`OWNED_PATH_IDS`) belongs to."""
    match name:
        case "class_id":
            return value
        case "assignment_id":
            return session.scalar(select(AssignmentRow.class_id).where(AssignmentRow.id == value))
        case "student_id":
            return session.scalar(select(StudentRow.class_id).where(StudentRow.id == value))
        case "attempt_id":
            return session.scalar(select(AssignmentRow.class_id).join(AttemptRow, AttemptRow.assignment_id == AssignmentRow.id)
                                  .where(AttemptRow.id == value))
        case "answer_id":
            return session.scalar(select(AssignmentRow.class_id).join(AttemptRow, AttemptRow.assignment_id == AssignmentRow.id)
                                  .join(AnswerRow, AnswerRow.attempt_id == AttemptRow.id).where(AnswerRow.id == value))
        case _:
            raise KeyError(name)


OWNED_PATH_IDS = ("class_id", "assignment_id", "student_id", "attempt_id", "answer_id")
"""Path parameters that name something inside a class: on a teacher route, each is checked
against the teacher before the handler runs (:func:`check_path_ids`)."""


def check_path_ids(session: Session, teacher: Teacher, path_params: Mapping[str, str]) -> None:
    """Raise ``NotFound`` when a path id of :data:`OWNED_PATH_IDS` names something outside the
    teacher's classes. A value that is not a valid id is left to the route's validation (422)."""
    for name in OWNED_PATH_IDS:
        raw = path_params.get(name)
        if raw is None or not raw.isascii() or not raw.isdigit():
            continue
        value = int(raw)
        if not 1 <= value <= _MAX_ID:
            continue
        class_id = class_of(session, name, value)
        if class_id is None or class_role(session, teacher, class_id) is None:
            raise NotFound(f"no {name.removesuffix('_id')} {value}")


def class_teachers(session: Session, class_id: int) -> list[ClassTeacherOut]:
    """The class's owner first, then its co-teachers by name."""
    rows = session.execute(select(TeacherRow, ClassTeacherRow.role).join(ClassTeacherRow, ClassTeacherRow.teacher_id == TeacherRow.id)
                           .where(ClassTeacherRow.class_id == class_id)).all()
    ordered = sorted(rows, key=lambda r: (r.role != "owner", r.TeacherRow.display_name.casefold(), r.TeacherRow.id))
    return [ClassTeacherOut(id=r.TeacherRow.id, display_name=r.TeacherRow.display_name, role=r.role) for r in ordered]


def add_owner(session: Session, class_id: int, teacher: Teacher) -> None:
    """Record the teacher who created the class as its owner (in the caller's transaction)."""
    session.add(ClassTeacherRow(class_id=class_id, teacher_id=teacher.id, role="owner"))


def add_co_teacher(session: Session, class_id: int, teacher_id: int) -> list[ClassTeacherOut]:
    """Let another account teach the class; adding someone already there changes nothing."""
    if session.get(TeacherRow, teacher_id) is None:
        raise NotFound(f"no teacher account {teacher_id}")
    if session.scalar(select(ClassTeacherRow.id).where(ClassTeacherRow.class_id == class_id, ClassTeacherRow.teacher_id == teacher_id)) is None:
        session.add(ClassTeacherRow(class_id=class_id, teacher_id=teacher_id, role="co"))
        try:
            session.commit()
        except IntegrityError:  # added by a concurrent request: the same result
            session.rollback()
    return class_teachers(session, class_id)


def remove_co_teacher(session: Session, class_id: int, teacher_id: int) -> list[ClassTeacherOut]:
    """Stop a co-teacher's access to the class; the owner cannot be removed (``Conflict``)."""
    role = session.scalar(select(ClassTeacherRow.role).where(ClassTeacherRow.class_id == class_id, ClassTeacherRow.teacher_id == teacher_id))
    if role is None:
        raise NotFound(f"teacher {teacher_id} does not teach this class")
    if role == "owner":
        raise Conflict("the class's owner cannot be removed from it")
    session.execute(delete(ClassTeacherRow).where(ClassTeacherRow.class_id == class_id, ClassTeacherRow.teacher_id == teacher_id))
    session.commit()
    return class_teachers(session, class_id)
