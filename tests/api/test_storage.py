"""The schema: Alembic migrations build exactly the tables the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from api.store.db import make_engine, migrate
from api.store.tables import Base


def test_storage_migrations_match_the_declared_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)  # a second start-up finds nothing to do
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert {"classes", "students", "assignments", "attempts", "answers", "reviews", "regrades", "regrade_entries", "alembic_version"} <= tables


def test_storage_sqlite_folder_is_created(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'er' / 'medialit.db'}")
    try:
        migrate(engine)
    finally:
        engine.dispose()
    assert (tmp_path / "deep" / "er" / "medialit.db").is_file()
