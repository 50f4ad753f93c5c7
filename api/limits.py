"""Request limits: body size (64 KiB by default) and failed-join throttling per client address (in the database)."""

from __future__ import annotations

import math
import time
from typing import Any, Callable

from sqlalchemy import Engine, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from api.errors import BodyTooLarge, TooManyJoinAttempts
from api.problems import problem_response
from api.store.tables import JoinFailureRow, JoinTurnRow

__all__ = ["BodySizeLimit", "JoinLimiter"]


class BodySizeLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets a 413 problem before any handler runs.

    Checks ``Content-Length`` up front and also counts streamed chunks, so a chunked upload cannot
    slip past the limit.
    """

    def __init__(self, app: Any, max_bytes: int, larger: tuple[tuple[str, int], ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger  # (path prefix, limit): routes that take uploads

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = next((size for prefix, size in self.larger if scope.get("path", "").startswith(prefix)), self.max_bytes)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._reject(scope, receive, send, limit)
                    return
        # Read the whole body first (at most max_bytes are ever held), then replay it to the app:
        # a chunked upload past the limit is refused before any handler or body parser runs.
        messages: list[dict[str, Any]] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > limit:
                await self._reject(scope, receive, send, limit)
                return
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def replaying_receive() -> dict[str, Any]:
            for message in replay:
                return message
            return await receive()

        await self.app(scope, replaying_receive, send)

    async def _reject(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any], limit: int) -> None:
        response = problem_response(BodyTooLarge.slug, BodyTooLarge.title, f"request bodies are limited to {limit} bytes")
        await response(scope, receive, send)


class JoinLimiter:
    """Failed-join throttling per client address: slows guessing, never locks a class out.

    Up to ``allowed`` failed joins per address in a sliding window of ``window_s`` seconds are
    free. Past that, the address may try once every ``throttle_s`` seconds; other tries get
    ``TooManyJoinAttempts`` with the seconds until the next one. A right code tried at its turn
    joins, so 30 students behind one school address who all mistype still get in (within a few
    seconds of each other), while a guesser is held to about ``window_s / throttle_s`` guesses per
    window (the arithmetic is in docs/api.md).

    The counts live in the database (tables ``join_failures`` and ``join_turns``), so every server
    process sharing it counts the same failures, and a restart forgets nothing. Each call runs in
    its own short transaction on ``engine``, apart from the request's session: a failure is
    recorded even though the join that failed rolls back. Taking a turn is one conditional upsert,
    so two processes cannot hand out the same turn. ``clock`` gives Unix seconds (wall time, the
    same in every process); rows whose failures have left the window are deleted as new ones come.
    """

    def __init__(self, engine: Engine, allowed: int, window_s: float, throttle_s: float = 2.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.allowed = allowed
        self.window_s = window_s
        self.throttle_s = throttle_s
        self.clock = clock
        turns = JoinTurnRow.__table__
        insert = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
        upsert = insert(turns).values(client=bindparam("client"), next_try=bindparam("next_try"))
        # The turn is taken only if it is due: no row returned means another request (in any
        # process) has it. (RETURNING, because psycopg reports no rowcount for this statement.)
        self._take_turn = upsert.on_conflict_do_update(
            index_elements=[turns.c.client], set_={"next_try": upsert.excluded.next_try},
            where=turns.c.next_try <= bindparam("now")).returning(turns.c.client)

    def check(self, client: str) -> None:
        """Raise ``TooManyJoinAttempts`` unless ``client`` may try a join now (and, if throttled, use its turn)."""
        client = client[:64]
        now = self.clock()
        with self.engine.begin() as connection:
            recent = connection.scalar(select(func.count()).select_from(JoinFailureRow).where(
                JoinFailureRow.client == client, JoinFailureRow.failed_at > now - self.window_s)) or 0
            if recent < self.allowed:
                return
            taken = connection.execute(self._take_turn, {"client": client, "next_try": now + self.throttle_s, "now": now}).first()
            if taken is not None:
                return
            turn = connection.scalar(select(JoinTurnRow.next_try).where(JoinTurnRow.client == client))
        retry = max(1, math.ceil((turn if turn is not None else now) - now))
        raise TooManyJoinAttempts(f"many failed joins from this network; try again in {retry} s", retry_after_s=retry)

    def record_failure(self, client: str) -> None:
        """Count one failed join for ``client``, and drop what has left the window (any address)."""
        now = self.clock()
        cutoff = now - self.window_s
        with self.engine.begin() as connection:
            connection.execute(delete(JoinFailureRow).where(JoinFailureRow.failed_at <= cutoff))
            connection.execute(delete(JoinTurnRow).where(JoinTurnRow.next_try <= cutoff))
            connection.execute(JoinFailureRow.__table__.insert().values(client=client[:64], failed_at=now))
