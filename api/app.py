"""The ASGI application: ``create_app(settings)`` builds it; ``api.app:app`` builds one from the environment.

Start-up migrates the database, loads the lesson packs (a broken pack stops the server with the
validator's messages) and makes sure an administrator token and a first teacher account exist.
Tokens generated here are kept on ``app.state.new_admin_token`` and ``app.state.new_teacher_token``
(the first account's) so the launcher can print them once; only their hashes are stored.
Every request is timed by one outermost middleware that feeds the JSON access log and, when
``MEDIALIT_METRICS`` is on, the Prometheus metrics at ``/metrics`` (docs/operations.md).
With a retention setting, what is past its period is deleted at start and then periodically
(``api.store.retention``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI, HTTPException
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from api.access_log import AccessLog
from api.catalog import load_catalog
from api.catalog_sync import CatalogSync
from api.headers import SecurityHeaders
from api.limits import BodySizeLimit, JoinLimiter
from api.lti.config_file import load_lti_config
from api.routes.exports import exports_router
from api.lti.router import lti_router
from api.metrics import Metrics, metrics_router
from api.observing import RequestObserver, RequestRecord
from api.problems import MEDIA_TYPE, install_problem_handlers
from api.routes import public_router, student_router, teacher_router
from api.routes.privacy import router as privacy_router
from api.routes.studio import router as studio_router
from api.settings import Settings
from api.routes.accounts import admin_router, colleagues_router
from api.store.teachers import ensure_accounts
from api.store.db import make_engine, migrate
from api.store.retention import run_periodically, sweep_engine
from api.store.writer import AnswerWriter
from api.store.snapshots import ViewCache

__all__ = ["create_app", "app", "API_PREFIX", "WEB_DIR"]

API_PREFIX = "/api/v1"
WEB_DIR = Path(__file__).resolve().parent / "web"


def create_app(settings: Settings) -> FastAPI:
    """Build the app for ``settings``: database migrated, packs loaded, admin token and first teacher ensured.

    Raises ``PackInvalid`` for a broken lesson pack, ``LtiNotConfigured`` for a broken LTI
    registration file (when ``settings.lti_config`` is set) and SQLAlchemy's errors for a database
    that cannot be opened.
    """
    engine = make_engine(settings.database, pool_size=settings.db_pool_size, busy_timeout_s=settings.store_busy_timeout_s)
    migrate(engine)
    catalog = load_catalog(settings.pack_dirs, settings.studio_packs)
    configured = settings.teacher_token.get_secret_value() if settings.teacher_token else None
    configured_admin = settings.admin_token.get_secret_value() if settings.admin_token else None
    with Session(engine) as session:
        new_admin_token, new_token = ensure_accounts(session, configured_admin, configured)
    retention_on = settings.retention_days is not None or settings.audit_retention_days is not None
    if retention_on:
        sweep_engine(engine, settings)  # at start, before the first request sees expired data

    writer = AnswerWriter(make_engine(settings.database, pool_size=1, busy_timeout_s=settings.store_busy_timeout_s))  # its own connection: never starved by requests

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The loaded packs are tens of thousands of long-lived objects; moving them out of the
        # collector's reach keeps full collections (and so latency spikes under load) short.
        gc.collect()
        gc.freeze()
        sweeper = asyncio.create_task(run_periodically(engine, settings)) if retention_on else None
        yield
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        writer.close()  # saves already queued are written before the thread ends
        writer.engine.dispose()

    application = FastAPI(
        lifespan=lifespan,
        title="medialit API",
        version="1",
        summary="Teacher-run classes, assignments, answers and results for the media-literacy lessons.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs" if settings.api_docs else None,  # Swagger UI comes from a public CDN
        redoc_url=None,
    )
    application.state.settings = settings
    application.state.engine = engine
    application.state.catalog = catalog
    application.state.catalog_sync = CatalogSync(engine, catalog)
    application.state.join_limiter = JoinLimiter(engine, settings.join_failures_allowed, settings.join_failure_window_s, settings.join_throttle_s)
    application.state.new_teacher_token = new_token
    application.state.new_admin_token = new_admin_token
    application.state.answer_writer = writer
    application.state.view_cache = ViewCache()
    install_problem_handlers(application)
    for router in (public_router, teacher_router, colleagues_router, admin_router, privacy_router, student_router, studio_router, exports_router()):
        application.include_router(router)
    if settings.lti_config is not None:
        application.include_router(lti_router(load_lti_config(settings.lti_config)))
    application.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                               larger=((f"{API_PREFIX}/studio/", settings.studio_max_body_bytes),))
    application.add_middleware(SecurityHeaders, api_prefix=API_PREFIX, docs_path=application.docs_url)
    _observe(application, settings, writer)
    _document_problems(application)
    application.router.default = _WebClient(WEB_DIR)  # type: ignore[assignment]
    return application


def _observe(application: FastAPI, settings: Settings, writer: AnswerWriter) -> None:
    """The access log and (when on) the metrics, fed by one outermost middleware that times every request."""
    observers: list[Callable[[RequestRecord], None]] = [AccessLog()] if settings.access_log else []
    application.state.metrics = None
    if settings.metrics:
        metrics = Metrics(queue_depth=writer.queue_depth)
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        application.include_router(metrics_router(metrics, token, settings.metrics_addresses))
        application.state.metrics = metrics
        observers.append(metrics)
    application.add_middleware(RequestObserver, observers=observers, trusted_proxies=settings.trusted_proxies)


class _WebClient:
    """The static browser client, for every path no API route claims.

    Installed as the router's fallback rather than mounted at ``/``: a known API path with a wrong
    method still gets the API's 405 with its ``Allow`` header, and an unknown ``/api/...`` path a
    problem 404 instead of a file lookup.
    """

    def __init__(self, folder: Path) -> None:
        self.files = StaticFiles(directory=folder, html=True, check_dir=False)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/") or not WEB_DIR.is_dir():
            raise HTTPException(status_code=404)
        await self.files(scope, receive, send)


def _document_problems(application: FastAPI) -> None:
    """Publish error responses as ``application/problem+json`` in the OpenAPI document, as they are sent."""

    def openapi() -> dict[str, Any]:
        if application.openapi_schema:
            return application.openapi_schema
        schema = get_openapi(title=application.title, version=application.version, summary=application.summary, routes=application.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if code[0] in "45" and "application/json" in content:
                        content[MEDIA_TYPE] = content.pop("application/json")
        application.openapi_schema = schema
        return schema

    application.openapi = openapi  # type: ignore[method-assign]


class _LazyApp:
    """``api.app:app`` for ``uvicorn api.app:app``: built from ``Settings()`` on first use, not at import."""

    def __init__(self) -> None:
        self._app: FastAPI | None = None

    def _build(self) -> FastAPI:
        if self._app is None:
            self._app = create_app(Settings())
            admin = self._app.state.new_admin_token
            if admin:
                print(f"medialit: new administrator token (shown once): {admin}", file=sys.stderr, flush=True)
            token = self._app.state.new_teacher_token
            if token:
                print(f"medialit: new teacher token of the first account (shown once): {token}", file=sys.stderr, flush=True)
        return self._app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self._build()(scope, receive, send)


app = _LazyApp()
