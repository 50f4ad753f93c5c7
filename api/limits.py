"""Request limits: body size (64 KiB by default) and failed-join throttling per client address."""

from __future__ import annotations

import math
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
    """Failed-join throttling per client address: slows guessing, never locks a class out.

    Up to ``allowed`` failed joins per address in a sliding window of ``window_s`` seconds are
    free. Past that, the address may try once every ``throttle_s`` seconds; other tries get
    ``TooManyJoinAttempts`` with the seconds until the next one. A right code tried at its turn
    joins, so 30 students behind one school address who all mistype still get in (within a few
    seconds of each other), while a guesser is held to about ``window_s / throttle_s`` guesses per
    window (the arithmetic is in docs/api.md). State lives in this process's memory: a restart
    forgets it, and each server process counts for itself.
    """

    MAX_TRACKED = 10_000
    """Addresses remembered at most; past it, those whose failures have all left the window are dropped."""

    def __init__(self, allowed: int, window_s: float, throttle_s: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.allowed = allowed
        self.window_s = window_s
        self.throttle_s = throttle_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._next_try: dict[str, float] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures

    def check(self, client: str) -> None:
        """Raise ``TooManyJoinAttempts`` unless ``client`` may try a join now (and, if throttled, use its turn)."""
        with self._lock:
            now = self.clock()
            if len(self._recent(client, now)) < self.allowed:
                return
            turn = self._next_try.get(client, now)
            if turn > now:
                retry = max(1, math.ceil(turn - now))
                raise TooManyJoinAttempts(f"many failed joins from this network; try again in {retry} s", retry_after_s=retry)
            self._next_try[client] = now + self.throttle_s

    def record_failure(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            self._recent(client, now).append(now)
            if len(self._failures) > self.MAX_TRACKED:
                self._forget_quiet(now)

    def _forget_quiet(self, now: float) -> None:
        for client in [c for c, failures in self._failures.items() if not failures or failures[-1] <= now - self.window_s]:
            del self._failures[client]
            self._next_try.pop(client, None)
