"""The database schema (SQLAlchemy 2 declarative). Alembic migrations in ``api/migrations`` create it.

Every timestamp is stored in UTC. Secrets (tokens) are stored only as SHA-256 hex digests.
JSON columns hold wire-format values: a response as the student sent it, an outcome as
``Outcome.model_dump(mode="json")`` (fractions as ``"a/b"`` strings, so nothing is rounded).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, true, DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "UTCDateTime", "TeacherRow", "AdminCredential", "ClassTeacherRow", "ClassRow", "StudentRow", "AssignmentRow", "AttemptRow", "AnswerRow", "ReviewRow", "RegradeRow", "RegradeEntryRow",
           "JoinFailureRow", "JoinTurnRow", "LtiLoginRow", "LtiLaunchRow", "SharedVersionRow", "AuditRow", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone, so one is added back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class TeacherRow(Base):
    """A teacher account: a display name (no e-mail) and the digest of its token.

    ``token_hash`` is ``NULL`` until the administrator issues a token (an account migrated without
    a stored credential); such an account cannot sign in."""

    __tablename__ = "teachers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AdminCredential(Base):
    """The administrator's token digest (one row): it manages teacher accounts, nothing else."""

    __tablename__ = "admin_credentials"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassTeacherRow(Base):
    """Who teaches a class: its owner (``role`` ``owner``, exactly one) and any co-teachers (``co``).

    Assignments, attempts, answers and reviews belong to a class, so this table alone decides which
    teacher may see them."""

    __tablename__ = "class_teachers"
    __table_args__ = (UniqueConstraint("class_id", "teacher_id", name="uq_class_teachers"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassRow(Base):
    __tablename__ = "classes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """When the teacher closed the class (its work is done); the retention setting counts from here."""


class StudentRow(Base):
    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("class_id", "name_key", name="uq_students_class_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssignmentRow(Base):
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    quiz_id: Mapped[str] = mapped_column(String(80))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    feedback: Mapped[str] = mapped_column(String(16))
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=1)
    shuffle: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AttemptRow(Base):
    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("assignment_id", "student_id", "number", name="uq_attempts_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    exercise_order: Mapped[list[str]] = mapped_column(JSON)
    option_orders: Mapped[dict[str, list[str]] | None] = mapped_column(JSON, nullable=True)
    """The order each choice and match exercise's options were shown in (``quizzes.ordering``)."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "exercise_id", name="uq_answers_exercise"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(80))
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ReviewRow(Base):
    """Audit trail: every teacher review, with the provisional score it replaced."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(80))
    provisional: Mapped[str] = mapped_column(String(40))
    earned: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegradeRow(Base):
    __tablename__ = "regrades"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegradeEntryRow(Base):
    """One rescored answer: old and new score and scoring version."""

    __tablename__ = "regrade_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regrade_id: Mapped[int] = mapped_column(ForeignKey("regrades.id"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"))
    old_earned: Mapped[str | None] = mapped_column(String(40), nullable=True)
    new_earned: Mapped[str] = mapped_column(String(40))
    old_version: Mapped[str | None] = mapped_column(String(20), nullable=True)
    new_version: Mapped[str] = mapped_column(String(20))


# --- State the server processes share (revision 0008) ---------------------------------------------
# Times in these tables are Unix seconds (float), passed in by the code that writes them, so the
# checks are testable with a fake clock and every process compares the same kind of number.


class JoinFailureRow(Base):
    """One failed join of a client address; rows older than the limiter's window are deleted."""

    __tablename__ = "join_failures"
    __table_args__ = (Index("ix_join_failures_client_at", "client", "failed_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[float] = mapped_column(Float, index=True)


class JoinTurnRow(Base):
    """When a throttled client address may next try a join."""

    __tablename__ = "join_turns"
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_try: Mapped[float] = mapped_column(Float, index=True)


class LtiLoginRow(Base):
    """An LTI login in progress: the one-time ``state`` (as its SHA-256) and the nonce bound to it."""

    __tablename__ = "lti_logins"
    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    issuer: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(Text)
    nonce_hash: Mapped[str] = mapped_column(String(64))
    target_link_uri: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[float] = mapped_column(Float, index=True)


class LtiLaunchRow(Base):
    """A checked LTI launch, by the SHA-256 of its launch id, for the teacher's grade passback."""

    __tablename__ = "lti_launches"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    issuer: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(Text)
    deployment_id: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(JSON)
    resource_link_id: Mapped[str] = mapped_column(Text)
    context_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    quiz_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    lineitem: Mapped[str | None] = mapped_column(Text, nullable=True)
    can_post_scores: Mapped[bool] = mapped_column(Boolean)
    launched_at: Mapped[float] = mapped_column(Float, index=True)


class SharedVersionRow(Base):
    """A counter per cache the processes keep (``catalog``): a change tells the others to reload."""

    __tablename__ = "shared_versions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class AuditRow(Base):
    """One teacher action (a review, a regrade, a deletion, a token reset, a roster change...).

    No foreign keys on purpose: the entry outlives what it describes (a deleted class is still in
    the log). It holds ids, counts and the class name, never a student's name or an answer, so
    deleting a student leaves nothing about them here that could name them.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    class_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    class_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    assignment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    student_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Whose log the entry is in: the account that acted (``teacher_id``, null for the administrator,
    # the command line and the retention sweep) and the account the action concerns (``owner_id``:
    # the class's owner at the time, or the account an administrator changed). Kept as plain ids,
    # so a deleted class's entries still reach its owner.
    teacher_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
