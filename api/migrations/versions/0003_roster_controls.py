"""Roster controls: a teacher can turn a class's join code off (rotating it turns joining back on).

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("classes", sa.Column("joining_open", sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("classes") as batch:
        batch.drop_column("joining_open")
