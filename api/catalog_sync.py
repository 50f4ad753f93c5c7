"""One catalog for every server process: a reload in one process reaches the others.

Each process holds the lesson packs in memory (:class:`api.catalog.Catalog`). A teacher saving a
pack in the studio, or a regrade, reloads them in the process that took the request; the packs on
disk are shared, the memory is not. So that process also raises the ``catalog`` counter in the
database (``shared_versions``), and every process compares that counter with the one it loaded,
at most every ``CHECK_EVERY_S`` seconds, reading the packs again (in a worker thread) when it
moved. A pack saved through one process is therefore served by all of them about a second later;
until then, a request on another process sees the packs as they were.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable

from sqlalchemy import Engine, insert, select, update
from starlette.concurrency import run_in_threadpool

from api.catalog import Catalog
from api.store.tables import SharedVersionRow

__all__ = ["CatalogSync", "CHECK_EVERY_S"]

CHECK_EVERY_S = 1.0
"""How often a process asks the database whether the packs changed, at most, seconds."""

NAME = "catalog"


class CatalogSync:
    """Keeps ``catalog`` in step with the other processes on ``engine`` (see the module docstring)."""

    def __init__(self, engine: Engine, catalog: Catalog, clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.catalog = catalog
        self.clock = clock
        self.loaded = self._read()
        self.checked_at = clock()
        self._lock = asyncio.Lock()
        catalog.on_reload = self.publish

    def _read(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(SharedVersionRow.version).where(SharedVersionRow.name == NAME)) or 0

    def publish(self) -> None:
        """After a reload here: raise the shared counter, so the other processes reload too."""
        with self.engine.begin() as connection:
            raised = connection.execute(update(SharedVersionRow).where(SharedVersionRow.name == NAME)
                                        .values(version=SharedVersionRow.version + 1).returning(SharedVersionRow.version)).scalar()
            if raised is None:  # the row the migration made is gone: start the count again
                connection.execute(insert(SharedVersionRow).values(name=NAME, version=1))
                raised = 1
            self.loaded = raised

    async def current(self) -> Catalog:
        """The catalog, read again first if another process changed the packs (checked every second at most)."""
        if self.clock() - self.checked_at < CHECK_EVERY_S or self._lock.locked():
            return self.catalog
        async with self._lock:
            self.checked_at = self.clock()
            shared = await run_in_threadpool(self._read)
            if shared != self.loaded:
                await run_in_threadpool(self.catalog.refresh)
                self.loaded = shared
        return self.catalog
