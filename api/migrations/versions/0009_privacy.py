"""Privacy and retention: a class can be closed (``classes.closed_at``), and teacher actions are logged (``audit_log``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

from api.store.tables import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("classes", sa.Column("closed_at", UTCDateTime, nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("class_id", sa.Integer, nullable=True),
        sa.Column("class_name", sa.String(200), nullable=True),
        sa.Column("assignment_id", sa.Integer, nullable=True),
        sa.Column("student_id", sa.Integer, nullable=True),
        sa.Column("answer_id", sa.Integer, nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("teacher_id", sa.Integer, nullable=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
    )
    op.create_index("ix_audit_log_teacher_id", "audit_log", ["teacher_id"])
    op.create_index("ix_audit_log_owner_id", "audit_log", ["owner_id"])
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])
    op.create_index("ix_audit_log_class_id", "audit_log", ["class_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_owner_id", "audit_log")
    op.drop_index("ix_audit_log_teacher_id", "audit_log")
    op.drop_index("ix_audit_log_class_id", "audit_log")
    op.drop_index("ix_audit_log_created_at", "audit_log")
    op.drop_table("audit_log")
    # as in 0003: SQLite drops the column in place (a batch copy would drop "classes" under its children)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE classes DROP COLUMN closed_at")
    else:
        op.drop_column("classes", "closed_at")
