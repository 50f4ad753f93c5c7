"""State the server processes share: failed-join throttling, LTI logins and launches, the catalog's version.

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-02

Until this revision the join limiter and the LTI login state lived in one process's memory, so a
second process (or ``--workers 2``) counted failed joins for itself and could not finish a launch
another process had begun. Nothing is carried over: the in-memory state was lost at every restart.
``shared_versions`` holds a counter per shared cache: ``catalog`` goes up whenever a process reloads
the lesson packs (a studio save, a regrade), and the other processes reload when they see it change.
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "join_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.Float, nullable=False),
    )
    op.create_index("ix_join_failures_client_at", "join_failures", ["client", "failed_at"])
    op.create_index("ix_join_failures_failed_at", "join_failures", ["failed_at"])
    op.create_table(
        "join_turns",
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("next_try", sa.Float, nullable=False),
    )
    op.create_index("ix_join_turns_next_try", "join_turns", ["next_try"])
    op.create_table(
        "lti_logins",
        sa.Column("state_hash", sa.String(64), primary_key=True),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("client_id", sa.Text, nullable=False),
        sa.Column("nonce_hash", sa.String(64), nullable=False),
        sa.Column("target_link_uri", sa.Text, nullable=True),
        sa.Column("started_at", sa.Float, nullable=False),
    )
    op.create_index("ix_lti_logins_started_at", "lti_logins", ["started_at"])
    op.create_table(
        "lti_launches",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("client_id", sa.Text, nullable=False),
        sa.Column("deployment_id", sa.Text, nullable=False),
        sa.Column("user_id", sa.Text, nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("resource_link_id", sa.Text, nullable=False),
        sa.Column("context_id", sa.Text, nullable=True),
        sa.Column("quiz_id", sa.Text, nullable=True),
        sa.Column("lineitem", sa.Text, nullable=True),
        sa.Column("can_post_scores", sa.Boolean, nullable=False),
        sa.Column("launched_at", sa.Float, nullable=False),
    )
    op.create_index("ix_lti_launches_launched_at", "lti_launches", ["launched_at"])
    versions = op.create_table(
        "shared_versions",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.bulk_insert(versions, [{"name": "catalog", "version": 0}])


def downgrade() -> None:
    for table in ("shared_versions", "lti_launches", "lti_logins", "join_turns", "join_failures"):
        op.drop_table(table)
