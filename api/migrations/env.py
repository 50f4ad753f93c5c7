"""Alembic environment: migrates the connection the server hands over, or the configured URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from api.store.tables import Base

target_metadata = Base.metadata
config = context.config


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("MEDIALIT_DATABASE_URL", "sqlite:///data/medialit.db")
    with create_engine(url).connect() as fresh:
        _run(fresh)
        fresh.commit()
