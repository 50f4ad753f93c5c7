"""Roster controls: a teacher can turn a class's join code off (rotating it turns joining back on).

Revision ID: 0003
Revises: 0006
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("classes", sa.Column("joining_open", sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; a batch copy of the table would have to drop
    # "classes" while students and assignments still reference it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE classes DROP COLUMN joining_open")
    else:
        op.drop_column("classes", "joining_open")
