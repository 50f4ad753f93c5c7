"""Teacher accounts: several teachers on one server, each seeing only the classes they teach.

The single teacher credential of earlier revisions becomes the first account (display name
"Teacher", same token, so nobody has to sign in again), and that account owns every existing
class; assignments, answers, reviews and exports follow their class. The administrator's token is
new: the server generates it at the next start and prints it once (or takes ``MEDIALIT_ADMIN_TOKEN``).

An installation with classes but no stored credential (never seen in practice) still gets the
first account, without a token: the administrator issues one (``python -m api teachers reset-token 1``).

The downgrade keeps the first account's token as the one teacher credential and forgets the other
accounts and the co-teachers (their classes stay, readable by that one teacher, as before).

Revision ID: 0007
Revises: 0009
Create Date: 2026-12-02
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from api.store.tables import UTCDateTime

revision = "0007"
down_revision = "0009"
branch_labels = None
depends_on = None

FIRST_ACCOUNT_NAME = "Teacher"

_credentials = sa.table("teacher_credentials", sa.column("id", sa.Integer), sa.column("token_hash", sa.String),
                        sa.column("created_at", UTCDateTime))
_classes = sa.table("classes", sa.column("id", sa.Integer))


def upgrade() -> None:
    teachers = op.create_table(
        "teachers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "admin_credentials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    class_teachers = op.create_table(
        "class_teachers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("teacher_id", sa.Integer, sa.ForeignKey("teachers.id"), nullable=False, index=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("class_id", "teacher_id", name="uq_class_teachers"),
    )
    bind = op.get_bind()
    credential = bind.execute(sa.select(_credentials.c.token_hash, _credentials.c.created_at)
                              .order_by(_credentials.c.id.desc()).limit(1)).first()
    class_ids = bind.execute(sa.select(_classes.c.id).order_by(_classes.c.id)).scalars().all()
    if credential is not None or class_ids:
        now = datetime.now(timezone.utc)
        bind.execute(sa.insert(teachers).values(display_name=FIRST_ACCOUNT_NAME, token_hash=credential.token_hash if credential else None,
                                                created_at=credential.created_at if credential else now))
        first = bind.execute(sa.select(teachers.c.id).order_by(teachers.c.id).limit(1)).scalar_one()
        if class_ids:
            bind.execute(sa.insert(class_teachers), [{"class_id": c, "teacher_id": first, "role": "owner", "added_at": now} for c in class_ids])
    op.drop_table("teacher_credentials")


def downgrade() -> None:
    credentials = op.create_table(
        "teacher_credentials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    teachers = sa.table("teachers", sa.column("id", sa.Integer), sa.column("token_hash", sa.String), sa.column("created_at", UTCDateTime))
    bind = op.get_bind()
    first = bind.execute(sa.select(teachers.c.token_hash, teachers.c.created_at).where(teachers.c.token_hash.is_not(None))
                         .order_by(teachers.c.id).limit(1)).first()
    if first is not None:
        bind.execute(sa.insert(credentials).values(token_hash=first.token_hash, created_at=first.created_at))
    op.drop_table("class_teachers")
    op.drop_table("admin_credentials")
    op.drop_table("teachers")
