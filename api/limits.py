"""Request limits: body size (64 KiB by default) and failed-join limiting per client address."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Any, Callable

from api.errors import BodyTooLarge, TooManyJoinAttempts
from api.problems import problem_response

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
    """At most ``allowed`` failed joins per client in a sliding window of ``window_s`` seconds."""

    def __init__(self, allowed: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.allowed = allowed
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures

    def check(self, client: str) -> None:
        """Raise ``TooManyJoinAttempts`` while ``client`` is over the limit."""
        with self._lock:
            now = self.clock()
            failures = self._recent(client, now)
            if len(failures) >= self.allowed:
                retry = int(failures[0] + self.window_s - now) + 1
                raise TooManyJoinAttempts(f"{len(failures)} failed joins; try again in {retry} s", retry_after_s=retry)

    def record_failure(self, client: str) -> None:
        with self._lock:
            self._recent(client, self.clock()).append(self.clock())
