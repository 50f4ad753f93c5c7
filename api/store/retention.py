"""The retention setting: classes closed longer than ``MEDIALIT_RETENTION_DAYS`` are deleted.

A sweep runs when the server starts, then every ``MEDIALIT_RETENTION_INTERVAL_S`` seconds while it
runs, and on demand (``medialit retention``). Each expired class goes in its own transaction with
an audit entry naming the setting as the actor. Sweeps are idempotent, so several server
processes sweeping the same database at once only repeat each other's no-op. The audit log has
its own period (``MEDIALIT_AUDIT_RETENTION_DAYS``); both are off by default: nothing is deleted
that a teacher did not delete.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.settings import Settings
from api.store import audit
from api.store.erasure import delete_classes
from api.store.tables import ClassRow, utcnow

__all__ = ["RETENTION_ACTOR", "SweepResult", "sweep", "sweep_engine", "run_periodically"]

RETENTION_ACTOR = "retention setting"
log = logging.getLogger("medialit.retention")


@dataclass
class SweepResult:
    classes: list[str] = field(default_factory=list)
    """Names of the classes deleted."""
    answers: int = 0
    audit_entries: int = 0

    def describe(self) -> str:
        if not self.classes and not self.audit_entries:
            return "nothing is past its retention period"
        names = ", ".join(f"“{name}”" for name in self.classes)
        parts = [f"deleted {len(self.classes)} closed class(es) ({names}) with {self.answers} answer(s)"] if self.classes else []
        if self.audit_entries:
            parts.append(f"forgot {self.audit_entries} audit-log entr{'y' if self.audit_entries == 1 else 'ies'}")
        return "; ".join(parts)


def sweep(session: Session, retention_days: int | None, audit_retention_days: int | None, now: datetime | None = None) -> SweepResult:
    """Delete what is past its retention period as of ``now`` (default: the current UTC time)."""
    now = now or utcnow()
    result = SweepResult()
    audit.set_actor(session, RETENTION_ACTOR)
    if retention_days is not None:
        cutoff = now - timedelta(days=retention_days)
        expired = list(session.scalars(select(ClassRow.id).where(ClassRow.closed_at.is_not(None), ClassRow.closed_at < cutoff).order_by(ClassRow.id)))
        for class_id in expired:
            klass = session.get(ClassRow, class_id)
            if klass is None or klass.closed_at is None or klass.closed_at >= cutoff:
                continue  # another process deleted it, or a teacher reopened it meanwhile
            name, owner = klass.name, audit.class_owner(session, class_id)
            deleted = delete_classes(session, [class_id])
            audit.record(session, "class-expired", class_name=name, owner_id=owner, days=retention_days, **deleted.counts())
            session.commit()
            result.classes.append(name)
            result.answers += deleted.answers
    if audit_retention_days is not None:
        result.audit_entries = audit.forget_before(session, now - timedelta(days=audit_retention_days))
        session.commit()
    return result


def sweep_engine(engine: Engine, settings: Settings, now: datetime | None = None) -> SweepResult:
    """:func:`sweep` with the settings' periods, on its own session."""
    with Session(engine, expire_on_commit=False) as session:
        result = sweep(session, settings.retention_days, settings.audit_retention_days, now)
    if result.classes or result.audit_entries:
        log.info("retention: %s", result.describe())
    return result


async def run_periodically(engine: Engine, settings: Settings) -> None:
    """Sweep every ``settings.retention_interval_s`` seconds until cancelled; a failed sweep is
    logged and tried again next time (the database may be briefly busy)."""
    while True:
        await asyncio.sleep(settings.retention_interval_s)
        try:
            await asyncio.to_thread(sweep_engine, engine, settings)
        except Exception:  # noqa: BLE001 - a sweep must never stop the server
            log.exception("retention sweep failed; it runs again in %s s", settings.retention_interval_s)
