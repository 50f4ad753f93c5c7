"""Per-student storage quota: the stored answers of one student stay under a set number of bytes.

Autosaves replace an answer in place, so a student's storage is the sum over their attempts of
each exercise's latest answer, as stored (JSON, non-ASCII characters ``\\u``-escaped, as
SQLAlchemy writes it). The total is summed (one indexed aggregate over that student's rows) only
when the answer being saved is ``CHECKED_FROM`` bytes or more: that keeps the class's ordinary
autosaves (a few hundred bytes) at the cost they had, while the answers that can fill a disk are
always checked. Small answers alone stay bounded: at most ``attempts × exercises`` rows of under
``CHECKED_FROM`` bytes each.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text, and_, bindparam, cast, func, not_, select
from sqlalchemy.orm import Session

from api.errors import StorageQuotaExceeded
from api.store.tables import AnswerRow, AttemptRow

__all__ = ["stored_size", "require_room", "CHECKED_FROM"]

CHECKED_FROM = 2048
"""Answers of this many stored bytes or more have the student's total checked before they are saved."""

_USED = (
    select(func.coalesce(func.sum(func.length(cast(AnswerRow.response, Text))), 0))
    .join(AttemptRow, AttemptRow.id == AnswerRow.attempt_id)
    .where(AttemptRow.student_id == select(AttemptRow.student_id).where(AttemptRow.id == bindparam("attempt_id")).scalar_subquery(),
           not_(and_(AnswerRow.attempt_id == bindparam("attempt_id"), AnswerRow.exercise_id == bindparam("exercise_id"))))
)
"""Bytes the attempt's student already stores, apart from the answer being replaced; built once."""


def stored_size(payload: dict[str, Any]) -> int:
    """Bytes ``payload`` takes in the ``answers.response`` column."""
    return len(json.dumps(payload))


def require_room(session: Session, attempt_id: int, exercise_id: str, payload: dict[str, Any], limit: int) -> None:
    """Raise ``StorageQuotaExceeded`` if saving ``payload`` would take the attempt's student past ``limit`` bytes."""
    size = stored_size(payload)
    if size > limit:
        raise StorageQuotaExceeded(f"this answer takes {size} bytes; a student may store {limit} bytes in all")
    if size < CHECKED_FROM:
        return
    used = session.connection().execute(_USED, {"attempt_id": attempt_id, "exercise_id": exercise_id}).scalar_one()
    if used + size > limit:
        raise StorageQuotaExceeded(f"your saved answers take {used} bytes and this one {size}; a student may store {limit} bytes in all")
