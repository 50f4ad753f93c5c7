"""Storage: SQLAlchemy 2 tables, the engine (SQLite WAL or PostgreSQL), and the services over them."""
