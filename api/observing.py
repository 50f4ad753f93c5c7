"""One measurement per request, handed to the access log and the metrics.

:class:`RequestObserver` is the outermost middleware of the app: it times each HTTP request, gives
it a request id (sent back as ``X-Request-ID``), and after the response builds a
:class:`RequestRecord` that holds only what is safe to write down: the method, the *route template*
(``/api/v1/classes/{class_id}``, never the path as sent, which can hold a join code or an id), the
status, the duration and the id. Headers, query strings and bodies, where tokens and answers
travel, never reach a record.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from sqlalchemy.exc import SQLAlchemyError

__all__ = ["RequestRecord", "RequestObserver", "note_database_error", "METHODS"]

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods recorded as sent; any other word (a client may send anything there) is recorded as ``OTHER``."""

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_DATABASE_ERROR = "medialit_database_error"


@dataclass(frozen=True)
class RequestRecord:
    """What is kept of one request; ``database_error`` is the exception class name when the store failed."""

    request_id: str
    method: str
    route: str
    status: int
    duration_ms: float
    database_error: str | None = None


def note_database_error(scope: dict[str, Any], error: BaseException) -> None:
    """Mark the request as failed by the database (called by the problem handler that answers it)."""
    scope.setdefault("state", {})[_DATABASE_ERROR] = error.__class__.__name__


def _route(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    template = getattr(route, "path", None)
    if isinstance(template, str):
        return template
    return "(no route)" if scope.get("path", "").startswith("/api/") else "(web client)"


class RequestObserver:
    """ASGI middleware: time the request, answer with ``X-Request-ID``, report a record to each observer.

    The id is generated here, unless the peer is one of ``trusted_proxies`` and sent a plausible
    ``X-Request-ID`` (8–64 letters, digits, ``.``, ``_``, ``-``): then the proxy's id is kept, so its
    log and this one can be joined. A client's own ``X-Request-ID`` is ignored: it could carry anything.
    """

    def __init__(self, app: Callable[..., Any], observers: Iterable[Callable[[RequestRecord], None]],
                 trusted_proxies: Iterable[str] = ()) -> None:
        self.app = app
        self.observers = tuple(observers)
        self.trusted_proxies = frozenset(trusted_proxies)

    def _request_id(self, scope: dict[str, Any]) -> str:
        client = scope.get("client")
        if client and client[0] in self.trusted_proxies:
            for name, value in scope.get("headers", []):
                if name == b"x-request-id":
                    candidate = value.decode("latin-1")
                    if _REQUEST_ID.fullmatch(candidate):
                        return candidate
        return secrets.token_hex(8)

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or not self.observers:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = self._request_id(scope)
        status = 500  # what the client gets when the app raises before answering
        database_error: str | None = None

        async def observed_send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode("ascii"))]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        except Exception as error:
            if isinstance(error, SQLAlchemyError):
                database_error = error.__class__.__name__
            raise
        finally:
            database_error = database_error or scope.get("state", {}).get(_DATABASE_ERROR)
            method = scope.get("method", "")
            record = RequestRecord(
                request_id=request_id,
                method=method if method in METHODS else "OTHER",
                route=_route(scope),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                database_error=database_error,
            )
            for observer in self.observers:
                observer(record)
