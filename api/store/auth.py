"""Tokens: 256 random bits, stored as SHA-256 digests, compared in constant time.

A SHA-256 digest is enough for tokens drawn from ``secrets`` (no dictionary to guess from); a slow
password hash would only slow every request. Three kinds of token: the administrator's (generated
on first start and shown once, or ``MEDIALIT_ADMIN_TOKEN``), which manages teacher accounts only;
each teacher account's (``api.store.teachers``); each student's (``POST /join``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.errors import Unauthorized
from api.store.tables import AdminCredential, StudentRow, TeacherRow

__all__ = ["Teacher", "new_token", "hash_token", "check_teacher", "check_admin", "ensure_admin_token", "reset_admin_token", "student_for_token"]

TOKEN_BYTES = 32


@dataclass(frozen=True)
class Teacher:
    """The teacher account a request acts for: what ``api.deps.TeacherDep`` returns.

    ``id`` is the account's row id (``teachers.id``), stable for the account's life, for audit
    records and ownership; ``display_name`` is what people see (no e-mail is stored)."""

    id: int
    display_name: str


def new_token() -> str:
    """A fresh token: 32 random bytes (256 bits), URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_teacher(session: Session, token: str | None) -> Teacher:
    """The teacher account whose token this is; ``Unauthorized`` otherwise."""
    if not token:
        raise Unauthorized("send Authorization: Bearer <teacher token>")
    digest = hash_token(token)
    row = session.scalar(select(TeacherRow).where(TeacherRow.token_hash == digest))
    if row is None or row.token_hash is None or not hmac.compare_digest(row.token_hash, digest):
        raise Unauthorized("the teacher token is not valid")
    return Teacher(id=row.id, display_name=row.display_name)


def check_admin(session: Session, token: str | None) -> None:
    """Raise ``Unauthorized`` unless ``token`` is the administrator's (a teacher's token is not)."""
    if not token:
        raise Unauthorized("send Authorization: Bearer <administrator token>")
    digest = hash_token(token)
    stored = session.scalars(select(AdminCredential.token_hash)).all()
    if not any(hmac.compare_digest(digest, s) for s in stored):
        raise Unauthorized("the administrator token is not valid")


def ensure_admin_token(session: Session, configured: str | None) -> str | None:
    """Make sure an administrator credential exists; return a newly generated token (to print once) or ``None``.

    A configured token (``MEDIALIT_ADMIN_TOKEN``) replaces whatever was stored. Leaves the change
    to the caller's commit (``api.store.teachers.ensure_accounts`` runs it under a lock)."""
    if configured:
        if session.scalars(select(AdminCredential.token_hash)).all() != [hash_token(configured)]:
            _store_admin(session, configured)
        return None
    if session.scalar(select(AdminCredential.id).limit(1)) is not None:
        return None
    token = new_token()
    _store_admin(session, token)
    return token


def reset_admin_token(session: Session) -> str:
    """Replace the administrator's token with a new random one and return it (shown once)."""
    token = new_token()
    _store_admin(session, token)
    session.commit()
    return token


def _store_admin(session: Session, token: str) -> None:
    session.execute(delete(AdminCredential))
    session.add(AdminCredential(token_hash=hash_token(token)))
    session.flush()


def student_for_token(session: Session, token: str | None) -> StudentRow:
    """The student whose token this is; ``Unauthorized`` otherwise."""
    if not token:
        raise Unauthorized("send Authorization: Bearer <student token>")
    digest = hash_token(token)
    # Looked up by digest (an index); the digest of a guess reveals nothing about a stored token,
    # and the final comparison is constant-time as well.
    student = session.scalar(select(StudentRow).where(StudentRow.token_hash == digest))
    if student is None or not hmac.compare_digest(student.token_hash, digest):
        raise Unauthorized("the student token is not valid")
    return student
