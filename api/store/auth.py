"""Tokens: 256 random bits, stored as SHA-256 digests, compared in constant time.

A SHA-256 digest is enough for tokens drawn from ``secrets`` (no dictionary to guess from); a slow
password hash would only slow every request. The teacher token is generated on first start and
shown once, or taken from ``MEDIALIT_TEACHER_TOKEN`` (then only its digest is stored).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.errors import Unauthorized
from api.store.tables import StudentRow, TeacherCredential

__all__ = ["new_token", "hash_token", "ensure_teacher_token", "reset_teacher_token", "check_teacher", "student_for_token"]

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh token: 32 random bytes (256 bits), URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ensure_teacher_token(session: Session, configured: str | None) -> str | None:
    """Make sure a teacher credential exists; return a newly generated token (to print once) or ``None``.

    A configured token replaces whatever was stored, so changing ``MEDIALIT_TEACHER_TOKEN`` takes effect.
    """
    if configured:
        session.execute(delete(TeacherCredential))
        session.add(TeacherCredential(token_hash=hash_token(configured)))
        session.commit()
        return None
    if session.scalar(select(TeacherCredential.id).limit(1)) is not None:
        return None
    return reset_teacher_token(session)


def reset_teacher_token(session: Session) -> str:
    """Replace the teacher credential with a new random token and return it (shown once)."""
    token = new_token()
    session.execute(delete(TeacherCredential))
    session.add(TeacherCredential(token_hash=hash_token(token)))
    session.commit()
    return token


def check_teacher(session: Session, token: str | None) -> None:
    """Raise ``Unauthorized`` unless ``token`` is the teacher's."""
    if not token:
        raise Unauthorized("send Authorization: Bearer <teacher token>")
    digest = hash_token(token)
    stored = session.scalars(select(TeacherCredential.token_hash)).all()
    if not any(hmac.compare_digest(digest, s) for s in stored):
        raise Unauthorized("the teacher token is not valid")


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
