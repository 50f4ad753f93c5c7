"""RFC 9457 problem details: the one place that turns errors into HTTP responses.

Every 4xx and 5xx leaves the server as ``application/problem+json`` with a stable ``type`` URI per
kind of error (``https://medialit.example/problems/<slug>``). Validation errors list the offending
fields in ``errors`` (at most ``MAX_REPORTED_ERRORS``, clipped, so an answer stays a few KB). Unexpected exceptions become a bare ``internal-error``: no stack trace, no
exception text ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from api import errors
from api.observing import note_database_error
from lesson.errors import MedialitError, PackInvalid
from quizzes.responses import Response
from quizzes.scoring.review import ReviewOutOfRange

__all__ = ["PROBLEM_BASE", "MEDIA_TYPE", "STATUS_BY_SLUG", "problem_type", "problem_response", "install_problem_handlers", "ProblemOut", "MAX_REPORTED_ERRORS"]

PROBLEM_BASE = "https://medialit.example/problems/"
MEDIA_TYPE = "application/problem+json"

STATUS_BY_SLUG: dict[str, int] = {
    errors.NotFound.slug: 404,
    errors.Unauthorized.slug: 401,
    errors.Conflict.slug: 409,
    errors.AssignmentNotOpen.slug: 409,
    errors.AssignmentClosed.slug: 409,
    errors.AttemptSubmitted.slug: 409,
    errors.AttemptsExhausted.slug: 409,
    errors.DisplayNameTaken.slug: 409,
    errors.ClassFull.slug: 409,
    errors.StorageQuotaExceeded.slug: 409,
    errors.NotReviewable.slug: 409,
    errors.JoinCodeInvalid.slug: 404,
    errors.NotPracticeExercise.slug: 403,
    errors.QuizNotReleased.slug: 403,
    errors.NotClassOwner.slug: 403,
    errors.DebriefNotReleased.slug: 409,
    errors.TooManyJoinAttempts.slug: 429,
    errors.InvalidInput.slug: 422,
    errors.BodyTooLarge.slug: 413,
    PackInvalid.slug: 409,
    ReviewOutOfRange.slug: 422,
    # exports and LTI (api/lti, quizzes/exports): bad input from the teacher or the LMS is a 400,
    # an LMS that fails the grade passback a 502 (the failure is upstream, not the client's).
    "export-unavailable": 400,
    "web-annotation-invalid": 400,
    "lti-launch-invalid": 400,
    "lti-not-configured": 400,
    "lti-passback-failed": 502,
    # the studio (api/routes/studio.py): a pack, upload or pack file the teacher must correct
    "pack-rejected": 422,
    "import-failed": 422,
    "pack-document-invalid": 422,
    "lti-keys-unavailable": 502,
    "bad-request": 400,
    "method-not-allowed": 405,
    "internal-error": 500,
    "store-unavailable": 503,
}

_HTTP_SLUGS = {400: "bad-request", 404: "not-found", 405: "method-not-allowed", 401: "unauthorized", 413: "body-too-large"}

log = logging.getLogger("medialit.api")

STORE_RETRY_AFTER_S = 5
"""``Retry-After`` of a ``503 store-unavailable``, seconds."""

_RESPONSE_TAGS = frozenset(member.model_fields["type"].default for member in get_args(get_args(Response)[0]))


class FieldErrorOut(BaseModel):
    field: str
    message: str


class ProblemOut(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | None = None


def problem_type(slug: str) -> str:
    return PROBLEM_BASE + slug


def problem_response(
    slug: str, title: str, detail: str, *, status: int | None = None,
    field_errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
) -> JSONResponse:
    status = status or STATUS_BY_SLUG.get(slug, 400)
    # A detail may echo client input (an unknown id); it is clipped so no answer grows with the request.
    body: dict[str, Any] = {"type": problem_type(slug), "title": title, "status": status, "detail": _clip(detail, _MAX_DETAIL)}
    if field_errors is not None:
        body["errors"] = field_errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    # ("body", "spans", 0, "end") -> "spans[0].end"; the first element only says where the field was.
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    if loc and loc[0] == "body" and parts and parts[0] in _RESPONSE_TAGS:
        parts = parts[1:]  # the tag of the answer's type, which the client wrote as "type", not a field
    name = ""
    for part in parts:
        if isinstance(part, str) and part[:1].isupper():
            continue  # a union member's class name, not a field the client wrote
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or (str(loc[0]) if loc else "body")


MAX_REPORTED_ERRORS = 20
"""Most field errors one problem lists: a body with thousands of bad fields gets a small answer."""
_MAX_FIELD = 80
_MAX_MESSAGE = 200
_MAX_DETAIL = 1000


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validation_errors(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": _clip(_field_name(tuple(e.get("loc", ()))), _MAX_FIELD), "message": _clip(str(e.get("msg", "invalid")), _MAX_MESSAGE)}
            for e in raw[:MAX_REPORTED_ERRORS]]


def _validation_problem(raw: list[dict[str, Any]]) -> JSONResponse:
    fields = _validation_errors(raw)
    detail = _clip("; ".join(f"{f['field']}: {f['message']}" for f in fields), _MAX_DETAIL - 40)
    if len(raw) > len(fields):
        detail += f"; and {len(raw) - len(fields)} more problems"
    return problem_response("validation-error", errors.InvalidInput.title, detail, field_errors=fields)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route offers for this path (Starlette names only the first route's).

    FastAPI wraps each included router (``_IncludedRouter``); its routes are read from the router
    it wraps (their paths already carry the router's prefix)."""
    methods: set[str] = set()
    pending = list(request.app.routes)
    while pending:
        route = pending.pop()
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending.extend(inner.routes)
            continue
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path) and getattr(route, "methods", None):
            methods.update(route.methods)
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers that make every error a problem document."""

    @app.exception_handler(MedialitError)
    async def _domain(request: Request, exc: MedialitError) -> JSONResponse:
        headers = {}
        if isinstance(exc, errors.TooManyJoinAttempts):
            headers["Retry-After"] = str(exc.retry_after_s)
        if isinstance(exc, errors.Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        fields = [{"field": exc.field, "message": exc.message}] if isinstance(exc, errors.InvalidInput) else None
        if isinstance(exc, PackInvalid):  # each problem names its file and the location inside it
            fields = [{"field": f"{p.file}:{p.location}" if p.location else p.file, "message": p.message} for p in exc.problems]
        return problem_response(exc.slug, exc.title, exc.detail, field_errors=fields, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(list(exc.errors()))

    @app.exception_handler(ValidationError)
    async def _model_invalid(request: Request, exc: ValidationError) -> JSONResponse:
        return _validation_problem([{"loc": ("body", *e["loc"]), "msg": e["msg"]} for e in exc.errors()])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = _HTTP_SLUGS.get(exc.status_code, "http-error")
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem_response(slug, detail, detail, status=exc.status_code, headers=headers or None)

    @app.exception_handler(OperationalError)
    async def _store_unavailable(request: Request, exc: OperationalError) -> JSONResponse:
        # A locked or full SQLite file, a PostgreSQL server that is down or out of space: nothing
        # was written (the transaction rolled back), and the same request can simply be sent again.
        note_database_error(request.scope, exc)
        log.warning("store unavailable on %s %s: %s", request.method, request.url.path, str(exc.orig).splitlines()[0] if exc.orig else exc)
        return problem_response("store-unavailable", "The server's store is busy or full; nothing was saved. Try again shortly.",
                                "the database could not take the change just now", headers={"Retry-After": str(STORE_RETRY_AFTER_S)})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response("internal-error", "Internal server error.", "The server could not complete the request.")
