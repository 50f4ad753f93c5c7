"""The access log: one JSON object per line and per request, on standard error.

Each line holds the fields of :class:`api.observing.RequestRecord` and a UTC time::

    {"time": "2026-12-02T18:04:05.123Z", "request_id": "5f0c9a1e2b3d4c6f", "method": "PUT",
     "route": "/api/v1/attempts/{attempt_id}/answers/{exercise_id}", "status": 204, "duration_ms": 3.412}

Paths appear only as route templates, so a join code, a student's id or a token in a URL never
reaches the log; headers, query strings and bodies are never read. ``database_error`` is added when
the store failed the request. Lines go to the logger ``medialit.access`` (level INFO), which writes
them to standard error unless the host application gave it handlers of its own.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from api.observing import RequestRecord

__all__ = ["AccessLog", "LOGGER_NAME", "access_line"]

LOGGER_NAME = "medialit.access"


def access_line(record: RequestRecord, now: datetime) -> str:
    """The JSON line for ``record`` (``now`` in UTC, written with milliseconds and a ``Z``)."""
    fields: dict[str, object] = {
        "time": now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "request_id": record.request_id,
        "method": record.method,
        "route": record.route,
        "status": record.status,
        "duration_ms": record.duration_ms,
    }
    if record.database_error:
        fields["database_error"] = record.database_error
    return json.dumps(fields, separators=(", ", ": "))


class _StandardError(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (a handler holding the stream of start-up
    would keep writing to a closed stream after a test harness swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # noqa: BLE001  (logging must never fail a request)
            self.handleError(record)


class AccessLog:
    """An observer for :class:`api.observing.RequestObserver` that logs each record as a JSON line."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or logging.getLogger(LOGGER_NAME)
        if not self.logger.handlers:
            self.logger.addHandler(_StandardError())
        self.logger.propagate = False  # one line per request, not a second copy through the root logger
        if self.logger.level == logging.NOTSET:
            self.logger.setLevel(logging.INFO)

    def __call__(self, record: RequestRecord) -> None:
        if self.logger.isEnabledFor(logging.INFO):
            self.logger.info(access_line(record, datetime.now(timezone.utc)))
