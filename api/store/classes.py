"""Classes and students: creating a class with a join code, and joining it."""

from __future__ import annotations

import secrets
import unicodedata
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.errors import ClassFull, DisplayNameTaken, InvalidInput, JoinCodeInvalid, NotFound
from api.limits import JoinLimiter
from api.schemas import AssignmentOut, ClassOut, ClassSummaryOut, JoinOut, StudentOut, StudentTokenOut
from api.store import audit
from api.store.auth import Teacher, hash_token, new_token
from api.store.erasure import delete_students
from api.store.ownership import add_owner, teacher_class_ids
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, ClassRow, RegradeEntryRow, ReviewRow, StudentRow

__all__ = ["JOIN_ALPHABET", "JOIN_CODE_LENGTH", "new_join_code", "normalise_join_code", "check_display_name",
           "create_class", "list_classes", "get_class_row", "get_class", "join_class", "student_out",
           "rotate_join_code", "close_joining", "class_student_row", "remove_student", "reissue_token"]

JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a projector is typed right the first time (31 symbols, ~5 bits each)."""
JOIN_CODE_LENGTH = 10


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    """Upper-case, without spaces or hyphens, so ``k7p2-xm9q rt`` finds ``K7P2XM9QRT``."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def check_display_name(name: str, max_length: int) -> str:
    """Validate a display name and return its comparison key (case-folded, NFKC, single spaces).

    Rules: 1..``max_length`` code points after trimming; letters, marks, digits, spaces and common
    punctuation; no control or format characters anywhere, the ends included (which could hide or
    reorder text). The name itself is stored exactly as given.
    """
    for ch in name:
        category = unicodedata.category(ch)
        if category[0] == "C" or category in ("Zl", "Zp"):
            raise InvalidInput("display_name", f"must not contain control or invisible characters (U+{ord(ch):04X})")
    trimmed = name.strip()
    if not trimmed:
        raise InvalidInput("display_name", "must not be empty or only spaces")
    if len(trimmed) > max_length:
        raise InvalidInput("display_name", f"must be at most {max_length} characters")
    return " ".join(unicodedata.normalize("NFKC", trimmed).casefold().split())


def _summary(session: Session, row: ClassRow) -> ClassSummaryOut:
    count = session.scalar(select(func.count()).select_from(StudentRow).where(StudentRow.class_id == row.id)) or 0
    return ClassSummaryOut(id=row.id, name=row.name, join_code=row.join_code if row.joining_open else None,
                           created_at=row.created_at, student_count=count, closed_at=row.closed_at)


def student_out(row: StudentRow) -> StudentOut:
    return StudentOut(id=row.id, display_name=row.display_name, joined_at=row.joined_at)


def create_class(session: Session, name: str, owner: Teacher) -> ClassSummaryOut:
    """A new class with a fresh join code, owned by ``owner`` (who alone may add co-teachers)."""
    for _ in range(5):
        row = ClassRow(name=name, join_code=new_join_code())
        session.add(row)
        try:
            session.flush()
            add_owner(session, row.id, owner)
            audit.record(session, "class-created", klass=row)
            session.commit()
        except IntegrityError:  # a join-code collision: 31^10 makes it rare, but never fatal
            session.rollback()
            continue
        return _summary(session, row)
    raise RuntimeError("could not draw a unique join code")


def list_classes(session: Session, teacher: Teacher) -> list[ClassSummaryOut]:
    """The classes the teacher owns or co-teaches, oldest first."""
    rows = session.scalars(select(ClassRow).where(ClassRow.id.in_(teacher_class_ids(session, teacher))).order_by(ClassRow.id))
    return [_summary(session, row) for row in rows]


def get_class_row(session: Session, class_id: int) -> ClassRow:
    row = session.get(ClassRow, class_id)
    if row is None:
        raise NotFound(f"no class {class_id}")
    return row


def get_class(session: Session, class_id: int, assignment_out: Callable[[AssignmentRow], AssignmentOut]) -> ClassOut:
    """A class with its students and assignments (``assignment_out`` renders an assignment with the catalog)."""
    row = get_class_row(session, class_id)
    students = session.scalars(select(StudentRow).where(StudentRow.class_id == class_id).order_by(StudentRow.id))
    assignments = session.scalars(select(AssignmentRow).where(AssignmentRow.class_id == class_id).order_by(AssignmentRow.id))
    return ClassOut(
        **_summary(session, row).model_dump(),
        students=[student_out(s) for s in students],
        assignments=[assignment_out(a) for a in assignments],
    )


def rotate_join_code(session: Session, class_id: int) -> ClassSummaryOut:
    """A new join code for the class (the old one stops working) and joining turned on."""
    row = get_class_row(session, class_id)
    for _ in range(5):
        row.join_code, row.joining_open = new_join_code(), True
        try:
            audit.record(session, "join-code-rotated", klass=row)
            session.commit()
        except IntegrityError:
            session.rollback()
            row = get_class_row(session, class_id)
            continue
        return _summary(session, row)
    raise RuntimeError("could not draw a unique join code")


def close_joining(session: Session, class_id: int) -> ClassSummaryOut:
    """Turn joining off: the code stops working until the teacher draws a new one."""
    row = get_class_row(session, class_id)
    row.joining_open = False
    audit.record(session, "joining-closed", klass=row)
    session.commit()
    return _summary(session, row)


def class_student_row(session: Session, class_id: int, student_id: int) -> StudentRow:
    student = session.get(StudentRow, student_id)
    if student is None or student.class_id != class_id:
        raise NotFound(f"no student {student_id} in class {class_id}")
    return student


def remove_student(session: Session, class_id: int, student_id: int) -> None:
    """Remove a student with their attempts, answers and reviews (one transaction); their token stops working at once."""
    student = class_student_row(session, class_id, student_id)
    deleted = delete_students(session, [student.id])
    audit.record(session, "student-removed", klass=get_class_row(session, class_id), **deleted.counts())  # no id: it may be reused
    session.commit()


def reissue_token(session: Session, class_id: int, student_id: int) -> StudentTokenOut:
    """Revoke a student's token and return a new one (shown once) for the teacher to hand over."""
    student = class_student_row(session, class_id, student_id)
    token = new_token()
    student.token_hash = hash_token(token)
    audit.record(session, "student-token-reissued", klass=get_class_row(session, class_id), student_id=student.id)
    session.commit()
    return StudentTokenOut(student_id=student.id, display_name=student.display_name, token=token)


def join_class(session: Session, limiter: JoinLimiter, client: str, join_code: str, display_name: str, max_name: int,
               max_class_size: int) -> JoinOut:
    """Join the class with ``join_code`` and return the student's token (shown once).

    A wrong code (or one the teacher turned off or replaced) counts as a failure for ``client``;
    over the limit, joins are refused for a while (see :class:`JoinLimiter`). A class of
    ``max_class_size`` students takes no more.
    """
    limiter.check(client)
    key = check_display_name(display_name, max_name)
    # FOR UPDATE (PostgreSQL) makes concurrent joins to one class take turns, so the roster cap
    # holds under a burst; SQLite has no row locks, but the insert below takes its write lock
    # before the students are counted, which serialises the count just the same.
    found = select(ClassRow).where(ClassRow.join_code == normalise_join_code(join_code), ClassRow.joining_open.is_(True))
    row = session.scalar(found.with_for_update())
    if row is None:
        limiter.record_failure(client)
        raise JoinCodeInvalid("check the code on the board and try again")
    token = new_token()
    student = StudentRow(class_id=row.id, display_name=display_name, name_key=key, token_hash=hash_token(token))
    session.add(student)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DisplayNameTaken(f"{display_name!r} is already in this class; add an initial or a number") from None
    size = session.scalar(select(func.count()).select_from(StudentRow).where(StudentRow.class_id == row.id)) or 0
    if size > max_class_size:
        session.rollback()
        raise ClassFull(f"the class has {size - 1} students, the most it may have; the teacher can remove students who should not be in it")
    session.commit()
    return JoinOut(student_id=student.id, display_name=student.display_name, class_id=row.id, class_name=row.name, token=token)

