"""Several server processes: what ``python -m api --workers N`` hands to uvicorn's process manager.

uvicorn starts each worker in a fresh interpreter (``spawn``), so the app and the HTTP protocol are
named by import string and built inside the worker from the environment's :class:`Settings`.
The parent has already checked those settings, migrated the database and made the teacher token
before any worker starts, so workers find the schema current and print nothing. uvicorn restarts
a worker that dies; every state two requests must agree on lives in the database (see
docs/deploy.md), so a request may reach any worker.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.app import create_app
from api.connections import guarded_protocol
from api.settings import Settings
from api.store.db import is_sqlite

__all__ = ["worker_app", "WorkerProtocol", "APP", "PROTOCOL", "sqlite_workers_refusal"]

APP = "api.serving:worker_app"
PROTOCOL = "api.serving:WorkerProtocol"


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn ``factory=True``)."""
    return create_app(Settings())


def sqlite_workers_refusal(settings: Settings) -> str | None:
    """Why ``settings`` must not start several workers, in one sentence, or ``None`` if they may."""
    if settings.workers == 1 or not is_sqlite(settings.database) or settings.sqlite_workers:
        return None
    return (f"{settings.workers} workers on SQLite would take turns for its one write lock, so they would serve no more "
            "students than one and could refuse autosaves (503) while they wait; use PostgreSQL (MEDIALIT_DATABASE_URL, "
            "see docs/deploy.md), or pass --allow-sqlite-workers (MEDIALIT_SQLITE_WORKERS=true) to start them anyway")


def __getattr__(name: str) -> Any:
    # uvicorn imports the protocol class by name in each worker; it is built from that worker's settings.
    if name == "WorkerProtocol":
        settings = Settings()
        return guarded_protocol(settings.header_timeout_s, settings.max_connections)
    raise AttributeError(name)
