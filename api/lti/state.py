"""Where LTI logins and launches are kept: in the database, so any server process can finish them.

A login (``/lti/login``) and its launch (``/lti/launch``) are two requests that a proxy may send to
two different processes, and the teacher's grade passback may come days later to a third. So:

- :class:`LoginStore` keeps each login in progress as the SHA-256 of its one-time ``state`` with
  the SHA-256 of its nonce. :meth:`LoginStore.take` removes and returns it in one
  ``DELETE ... RETURNING`` statement (SQLite 3.35+ and PostgreSQL), so of two launches with one
  state, in any processes, exactly one gets it. Logins expire after ``LOGIN_TTL_S`` seconds; at
  most ``MAX_PENDING`` are kept, the oldest dropped first (the login route is open to anyone, and
  a flood must not fill the disk).
- :class:`LaunchStore` keeps each checked launch, by the SHA-256 of its launch id, for
  ``LAUNCH_TTL_S`` seconds (30 days), long enough for a teacher to review and post the grade.

Times are Unix seconds passed in, as in :mod:`api.lti.launch`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from sqlalchemy import Engine, delete, func, select

from api.lti.launch import LOGIN_TTL_S, Launch, PendingLogin
from api.store.tables import LtiLaunchRow, LtiLoginRow

__all__ = ["LoginStore", "LaunchStore", "MAX_PENDING", "LAUNCH_TTL_S", "digest"]

MAX_PENDING = 10_000
"""Logins in progress kept at most; past it the oldest are dropped (their launches must start again)."""

LAUNCH_TTL_S = 30 * 24 * 3600.0
"""How long a launch can still take a grade passback, seconds."""


def digest(secret: str) -> str:
    """SHA-256 hex of a one-time secret (state, nonce, launch id): only digests are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class LoginStore:
    """One-time login states (``state`` → nonce digest), shared by every process on ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, state: str, login: PendingLogin) -> None:
        """Keep ``login`` under ``state``; drop expired logins and, past ``MAX_PENDING``, the oldest."""
        with self.engine.begin() as connection:
            connection.execute(delete(LtiLoginRow).where(LtiLoginRow.started_at < login.started_at - LOGIN_TTL_S))
            connection.execute(LtiLoginRow.__table__.insert().values(
                state_hash=digest(state), issuer=login.issuer, client_id=login.client_id, nonce_hash=login.nonce_hash,
                target_link_uri=login.target_link_uri, started_at=login.started_at))
            if (connection.scalar(select(func.count()).select_from(LtiLoginRow)) or 0) > MAX_PENDING:
                keep = select(LtiLoginRow.state_hash).order_by(LtiLoginRow.started_at.desc()).limit(MAX_PENDING)
                connection.execute(delete(LtiLoginRow).where(LtiLoginRow.state_hash.not_in(keep)))

    def peek(self, state: str, now: float) -> PendingLogin | None:
        """The login for ``state`` if it is pending and not expired, without using it up."""
        with self.engine.connect() as connection:
            row = connection.execute(select(*LtiLoginRow.__table__.c).where(
                LtiLoginRow.state_hash == digest(state), LtiLoginRow.started_at >= now - LOGIN_TTL_S)).first()
        return _login(row) if row is not None else None

    def take(self, state: str, now: float) -> PendingLogin | None:
        """Remove and return the login for ``state``; ``None`` if unknown, used or expired.

        One statement removes and returns the row, so a state works once across all processes."""
        table = LtiLoginRow.__table__
        with self.engine.begin() as connection:
            row = connection.execute(delete(table).where(table.c.state_hash == digest(state)).returning(*table.c)).first()
        if row is None or row.started_at < now - LOGIN_TTL_S:
            return None
        return _login(row)

    def count(self) -> int:
        """Logins in progress (expired ones included until the next login sweeps them)."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(LtiLoginRow)) or 0


def _login(row: object) -> PendingLogin:
    return PendingLogin(row.issuer, row.client_id, row.nonce_hash, row.started_at, row.target_link_uri)  # type: ignore[attr-defined]


class LaunchStore:
    """Checked launches by launch id, for ``LAUNCH_TTL_S`` seconds, shared by every process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, launch_id: str, launch: Launch, now: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(LtiLaunchRow).where(LtiLaunchRow.launched_at < now - LAUNCH_TTL_S))
            values = asdict(launch)
            values["roles"] = list(launch.roles)
            connection.execute(LtiLaunchRow.__table__.insert().values(id_hash=digest(launch_id), launched_at=now, **values))

    def get(self, launch_id: str, now: float) -> Launch | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(*LtiLaunchRow.__table__.c).where(
                LtiLaunchRow.id_hash == digest(launch_id), LtiLaunchRow.launched_at >= now - LAUNCH_TTL_S)).first()
        if row is None:
            return None
        return Launch(issuer=row.issuer, client_id=row.client_id, deployment_id=row.deployment_id, user_id=row.user_id,
                      roles=tuple(row.roles), resource_link_id=row.resource_link_id, context_id=row.context_id,
                      quiz_id=row.quiz_id, lineitem=row.lineitem, can_post_scores=row.can_post_scores)
