"""Attempts remember the order their options were shown in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

``attempts.option_orders``: ``{exercise_id: [option or right-item id, ...]}``, drawn when the
attempt starts. Attempts started before this revision have none and show the file order.
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("option_orders", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("option_orders")
