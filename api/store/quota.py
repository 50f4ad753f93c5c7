"""Per-student storage quota: the stored answers of one student stay under a set number of bytes.

Autosaves replace an answer in place, so a student's storage is the sum over their attempts of
each exercise's latest answer, as stored (JSON, non-ASCII characters ``\\u``-escaped, as
SQLAlchemy writes it). One indexed aggregate per save, over that student's rows only.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text, and_, cast, func, not_, select
from sqlalchemy.orm import Session

from api.errors import StorageQuotaExceeded
from api.store.tables import AnswerRow, AttemptRow

__all__ = ["stored_size", "require_room"]


def stored_size(payload: dict[str, Any]) -> int:
    """Bytes ``payload`` takes in the ``answers.response`` column."""
    return len(json.dumps(payload))


def require_room(session: Session, attempt_id: int, exercise_id: str, payload: dict[str, Any], limit: int) -> None:
    """Raise ``StorageQuotaExceeded`` if saving ``payload`` would take the attempt's student past ``limit`` bytes."""
    size = stored_size(payload)
    if size > limit:
        raise StorageQuotaExceeded(f"this answer takes {size} bytes; a student may store {limit} bytes in all")
    student = select(AttemptRow.student_id).where(AttemptRow.id == attempt_id).scalar_subquery()
    others = (
        select(func.coalesce(func.sum(func.length(cast(AnswerRow.response, Text))), 0))
        .join(AttemptRow, AttemptRow.id == AnswerRow.attempt_id)
        .where(AttemptRow.student_id == student, not_(and_(AnswerRow.attempt_id == attempt_id, AnswerRow.exercise_id == exercise_id)))
    )
    used = session.connection().execute(others).scalar_one()
    if used + size > limit:
        raise StorageQuotaExceeded(f"your saved answers take {used} bytes and this one {size}; a student may store {limit} bytes in all")
