"""Prometheus metrics at ``/metrics``: request rates and latencies, autosave queue depth, database errors.

Off unless ``MEDIALIT_METRICS`` is set. When on, ``/metrics`` answers only a request that carries
``Authorization: Bearer <MEDIALIT_METRICS_TOKEN>`` or comes from an address in
``MEDIALIT_METRICS_ADDRESSES`` (addresses or networks; the client address is the one the join
limiter uses, so behind a trusted proxy it is the real client, not the proxy). Everyone else gets
the same ``404 not-found`` as when metrics are off. Each app has its own registry, so several apps
in one process (the tests) do not share counts; with several worker processes each reports its own.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Callable, Iterable

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from api.deps import ClientDep
from api.errors import NotFound
from api.observing import RequestRecord

__all__ = ["Metrics", "metrics_router", "METRICS_PATH", "is_allowed_address"]

METRICS_PATH = "/metrics"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The app's metrics; an observer for :class:`api.observing.RequestObserver`.

    ``queue_depth`` is read at scrape time (the autosaves waiting for the writer thread).
    """

    def __init__(self, queue_depth: Callable[[], int]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("medialit_http_requests", "HTTP requests answered, by method, route template and status",
                                ("method", "route", "status"), registry=self.registry)
        self.latency = Histogram("medialit_http_request_duration_seconds", "Time to answer an HTTP request, by method and route template",
                                 ("method", "route"), buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.database_errors = Counter("medialit_database_errors", "Requests failed by the database, by error class",
                                       ("error",), registry=self.registry)
        self.queue = Gauge("medialit_autosave_queue_depth", "Autosaves waiting for the answer writer", registry=self.registry)
        self.queue.set_function(queue_depth)

    def __call__(self, record: RequestRecord) -> None:
        self.requests.labels(record.method, record.route, str(record.status)).inc()
        self.latency.labels(record.method, record.route).observe(record.duration_ms / 1000)
        if record.database_error:
            self.database_errors.labels(record.database_error).inc()

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)


def is_allowed_address(address: str, allowed: Iterable[str]) -> bool:
    """Whether ``address`` is one of ``allowed`` (each an address or a network such as ``10.0.0.0/8``)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in allowed)


def _has_token(request: Request, token: str | None) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return token is not None and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def metrics_router(metrics: Metrics, token: str | None, addresses: tuple[str, ...]) -> APIRouter:
    """``GET /metrics`` for the token holder and the configured addresses; 404 for anyone else."""
    router = APIRouter()

    @router.get(METRICS_PATH, include_in_schema=False)
    def read_metrics(request: Request, client: ClientDep) -> Response:
        if not (_has_token(request, token) or is_allowed_address(client, addresses)):
            raise NotFound()
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

    return router
