"""Initial schema: classes, students, assignments, attempts, answers, reviews, regrades.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

from api.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teacher_credentials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("join_code", sa.String(32), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "students",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False, index=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("joined_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("class_id", "name_key", name="uq_students_class_name"),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False, index=True),
        sa.Column("quiz_id", sa.String(80), nullable=False),
        sa.Column("opens_at", UTCDateTime, nullable=True),
        sa.Column("due_at", UTCDateTime, nullable=True),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.Column("feedback", sa.String(16), nullable=False),
        sa.Column("attempts_allowed", sa.Integer, nullable=False),
        sa.Column("shuffle", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id"), nullable=False, index=True),
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("exercise_order", sa.JSON, nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("submitted_at", UTCDateTime, nullable=True),
        sa.UniqueConstraint("assignment_id", "student_id", "number", name="uq_attempts_number"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False, index=True),
        sa.Column("exercise_id", sa.String(80), nullable=False),
        sa.Column("response", sa.JSON, nullable=True),
        sa.Column("saved_at", UTCDateTime, nullable=False),
        sa.Column("outcome", sa.JSON, nullable=True),
        sa.UniqueConstraint("attempt_id", "exercise_id", name="uq_answers_exercise"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=False, index=True),
        sa.Column("reviewer", sa.String(80), nullable=False),
        sa.Column("provisional", sa.String(40), nullable=False),
        sa.Column("earned", sa.String(40), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "regrades",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id"), nullable=False, index=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "regrade_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("regrade_id", sa.Integer, sa.ForeignKey("regrades.id"), nullable=False, index=True),
        sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=False),
        sa.Column("old_earned", sa.String(40), nullable=True),
        sa.Column("new_earned", sa.String(40), nullable=False),
        sa.Column("old_version", sa.String(20), nullable=True),
        sa.Column("new_version", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for table in ("regrade_entries", "regrades", "reviews", "answers", "attempts", "assignments", "students", "classes", "teacher_credentials"):
        op.drop_table(table)
