"""Connection guard for uvicorn: idle or slow clients cannot starve the server.

uvicorn has a keep-alive timeout but no limit on how long a client may take to send its request
headers, and no cap that keeps it below its file-descriptor limit: 1,100 connections that send one
header line every few seconds made every other request fail. ``guarded_protocol`` returns
uvicorn's HTTP protocol with two additions:

- **Header deadline.** A connection that has not finished a request's headers ``header_timeout_s``
  after it opened (or after its previous response) is closed.
- **Connection cap.** At most ``max_connections`` connections, and never more than the process's
  file-descriptor limit less a reserve for the database and log files. A new connection over the
  cap closes the connection that has waited longest for its headers; when every connection is
  busy with a request, the new one gets a ``503`` with ``Retry-After`` and is closed.
"""

from __future__ import annotations

import asyncio
import json
import resource
import time
from typing import Any

__all__ = ["guarded_protocol", "connection_cap", "FD_RESERVE"]

FD_RESERVE = 64
"""File descriptors kept free of client connections: database, WAL, log files, the listening socket."""


def _base_protocol() -> type:
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
        return HttpToolsProtocol
    except ImportError:  # uvicorn without its [standard] extra
        from uvicorn.protocols.http.h11_impl import H11Protocol
        return H11Protocol


_BUSY_BODY = json.dumps({"type": "https://medialit.example/problems/server-busy", "title": "The server is busy.", "status": 503,
                         "detail": "too many open connections; try again in a moment"}).encode()
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\nconnection: close\r\n"
         b"content-length: " + str(len(_BUSY_BODY)).encode() + b"\r\n\r\n" + _BUSY_BODY)


def connection_cap(max_connections: int) -> int:
    """``max_connections``, lowered to the current file-descriptor limit less ``FD_RESERVE``."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return max_connections
    return max(1, min(max_connections, soft - FD_RESERVE))


def guarded_protocol(header_timeout_s: float, max_connections: int) -> type:
    """uvicorn's HTTP protocol class with a header deadline and a connection cap (see the module)."""
    base = _base_protocol()

    class GuardedProtocol(base):  # type: ignore[misc, valid-type]
        _waiting_since: float | None = None  # when it began waiting for a request's headers; None while one runs
        _waiting_cycle: Any = None
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._await_headers()
            open_now = sum(1 for c in self.connections if c.transport is not None and not c.transport.is_closing())
            if open_now > connection_cap(max_connections) and not self._evict_one():
                transport.write(_BUSY)
                transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._await_headers()

        def _await_headers(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._waiting_since = time.monotonic()
            self._waiting_cycle = self.cycle
            self._deadline = self.loop.call_later(header_timeout_s, self._headers_overdue)

        def _is_waiting(self) -> bool:
            """No request has begun since it started waiting (or the one that did has been answered)."""
            cycle = self.cycle
            return cycle is self._waiting_cycle and (cycle is None or cycle.response_complete)

        def _headers_overdue(self) -> None:
            self._deadline = None
            if self._is_waiting() and not self.transport.is_closing():
                self.transport.close()

        def _evict_one(self) -> bool:
            """Close the connection that has waited longest for its headers (not this one)."""
            waiting = [c for c in self.connections if c is not self and isinstance(c, GuardedProtocol)
                       and c._waiting_since is not None and c._is_waiting() and not c.transport.is_closing()]
            if not waiting:
                return False
            min(waiting, key=lambda c: c._waiting_since).transport.close()
            return True

    return GuardedProtocol
