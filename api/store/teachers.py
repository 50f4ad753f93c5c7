"""Teacher accounts: the administrator creates them and issues their tokens; each token is shown once.

The *first account* is the one with the lowest id: migrated installations get it from the old
single teacher credential (revision 0007), fresh ones at first start. ``MEDIALIT_TEACHER_TOKEN``
is that account's token, so an installation that set it keeps working unchanged.
"""

from __future__ import annotations

from sqlalchemy import delete, false, func, select, text
from sqlalchemy.orm import Session

from api.accounts import TeacherNameOut, TeacherOut, TeacherTokenOut
from api.errors import Conflict, NotFound
from api.store import audit
from api.store.auth import ensure_admin_token, hash_token, new_token
from api.store.classes import check_display_name
from api.store.tables import AdminCredential, ClassTeacherRow, TeacherRow

__all__ = ["FIRST_ACCOUNT_NAME", "MAX_TEACHER_NAME", "first_account", "ensure_first_teacher", "ensure_accounts", "create_teacher", "list_teachers",
           "teacher_names", "reset_teacher_token", "teacher_out"]

FIRST_ACCOUNT_NAME = "Teacher"
MAX_TEACHER_NAME = 80


def first_account(session: Session) -> TeacherRow | None:
    return session.scalar(select(TeacherRow).order_by(TeacherRow.id).limit(1))


def ensure_first_teacher(session: Session, configured: str | None) -> str | None:
    """Make sure the first account exists; return its newly generated token (to print once) or ``None``.

    A configured token (``MEDIALIT_TEACHER_TOKEN``) becomes the first account's token at every
    start, so changing the setting takes effect; the account is created if there is none yet.
    Leaves the change to the caller's commit (see :func:`ensure_accounts`).
    """
    first = first_account(session)
    if configured:
        digest = hash_token(configured)
        if first is None:
            session.add(TeacherRow(display_name=FIRST_ACCOUNT_NAME, token_hash=digest))
        elif first.token_hash != digest:
            first.token_hash = digest
        session.flush()
        return None
    if first is not None:
        return None
    token = new_token()
    session.add(TeacherRow(display_name=FIRST_ACCOUNT_NAME, token_hash=hash_token(token)))
    session.flush()
    return token


_SETUP_LOCK = 7_160_007
"""PostgreSQL advisory lock key of :func:`ensure_accounts` (any constant; only this code takes it)."""


def ensure_accounts(session: Session, admin_token: str | None, teacher_token: str | None) -> tuple[str | None, str | None]:
    """What every start does: make sure the administrator token and the first account exist, in
    one transaction that no other process runs at the same time (several workers starting on a
    fresh database would otherwise each make, and print, a token of their own). Returns the newly
    generated administrator and first-account tokens, ``None`` for each that already existed."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SETUP_LOCK})
    else:  # SQLite: a write as the first statement takes the database's write lock until commit
        session.execute(delete(AdminCredential).where(false()))
    made = ensure_admin_token(session, admin_token), ensure_first_teacher(session, teacher_token)
    session.commit()
    return made


def _row(session: Session, teacher_id: int) -> TeacherRow:
    row = session.get(TeacherRow, teacher_id)
    if row is None:
        raise NotFound(f"no teacher account {teacher_id}")
    return row


def teacher_out(session: Session, row: TeacherRow) -> TeacherOut:
    count = session.scalar(select(func.count()).select_from(ClassTeacherRow).where(ClassTeacherRow.teacher_id == row.id)) or 0
    return TeacherOut(id=row.id, display_name=row.display_name, created_at=row.created_at, has_token=row.token_hash is not None,
                      class_count=count)


def create_teacher(session: Session, display_name: str) -> TeacherTokenOut:
    """A new account with a fresh token (returned once). Display names follow the students' rules
    (no control characters) and must differ from every other account's, ignoring case and spacing,
    so colleagues can tell who is who."""
    key = check_display_name(display_name, MAX_TEACHER_NAME)
    for other in session.scalars(select(TeacherRow.display_name)):
        if check_display_name(other, 10**6) == key:
            raise Conflict(f"there is already a teacher account named {other!r}; choose a name colleagues can tell apart")
    token = new_token()
    row = TeacherRow(display_name=display_name.strip(), token_hash=hash_token(token))
    session.add(row)
    session.flush()  # the new account's id, for its audit entry
    audit.record(session, "teacher-account-created", owner_id=row.id, name=row.display_name)
    session.commit()
    return TeacherTokenOut(teacher=teacher_out(session, row), token=token)


def list_teachers(session: Session) -> list[TeacherOut]:
    return [teacher_out(session, row) for row in session.scalars(select(TeacherRow).order_by(TeacherRow.id))]


def teacher_names(session: Session) -> list[TeacherNameOut]:
    """Every account's id and display name: what a teacher needs to add a co-teacher."""
    return [TeacherNameOut(id=r.id, display_name=r.display_name) for r in session.scalars(select(TeacherRow).order_by(TeacherRow.display_name, TeacherRow.id))]


def reset_teacher_token(session: Session, teacher_id: int, env_token_set: bool = False) -> TeacherTokenOut:
    """Give the account a new token (returned once); the old one stops working at once.

    While ``MEDIALIT_TEACHER_TOKEN`` is set (``env_token_set``) the first account's token comes
    from it, so resetting that account is refused (``Conflict``): the next start would undo it."""
    row = _row(session, teacher_id)
    if env_token_set:
        first = first_account(session)
        if first is not None and first.id == row.id:
            raise Conflict("this account's token is set by MEDIALIT_TEACHER_TOKEN; change it there and restart")
    token = new_token()
    row.token_hash = hash_token(token)
    audit.record(session, "teacher-account-token-reset", owner_id=row.id, name=row.display_name)
    session.commit()
    return TeacherTokenOut(teacher=teacher_out(session, row), token=token)
