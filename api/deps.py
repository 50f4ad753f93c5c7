"""Request dependencies: settings, catalog, a database session per request, and who is asking.

Dependencies that do no I/O are ``async`` on purpose: FastAPI runs every sync dependency in a
worker thread, and those hops cost more than the work itself on a busy classroom server.
"""

from __future__ import annotations

from typing import Annotated, AsyncIterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.access import Viewer, viewer_for_token
from api.catalog import Catalog
from api.limits import JoinLimiter
from api.settings import Settings
from api.store import audit
from api.store.auth import check_teacher, student_for_token
from api.store.tables import StudentRow
from api.store.writer import AnswerWriter

__all__ = ["public_scheme", "SettingsDep", "CatalogDep", "SessionDep", "TeacherDep", "StudentDep", "LimiterDep", "ClientDep", "WriterDep", "StudentTokenDep", "ViewerDep"]

_teacher_bearer = HTTPBearer(auto_error=False, scheme_name="TeacherToken", description="the teacher token printed at first start")
_student_bearer = HTTPBearer(auto_error=False, scheme_name="StudentToken", description="the token POST /join returned")
_any_bearer = HTTPBearer(auto_error=False, scheme_name="OptionalToken",
                         description="optional: a teacher's or student's token shows the assessment quizzes they may see")


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _catalog(request: Request) -> Catalog:
    # Read again when another server process has changed the packs (checked once a second at most).
    return await request.app.state.catalog_sync.current()


async def _writer(request: Request) -> AnswerWriter:
    return request.app.state.answer_writer


async def _limiter(request: Request) -> JoinLimiter:
    return request.app.state.join_limiter


async def _session(request: Request) -> AsyncIterator[Session]:
    # async so FastAPI does not hop to a worker thread for it; opening a Session does no I/O
    # (the connection is taken on first use, inside the handler's thread).
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


async def _client(request: Request) -> str:
    """The client's address: the peer, or, when the peer is a configured proxy, the last address in
    ``X-Forwarded-For`` that is not itself a configured proxy (earlier entries are client-written)."""
    peer = request.client.host if request.client else "unknown"
    trusted = request.app.state.settings.trusted_proxies
    if peer not in trusted:
        return peer
    forwarded = [part.strip() for value in request.headers.getlist("x-forwarded-for") for part in value.split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted:
            return address
    return peer


def public_scheme(request: Request) -> str:
    """The scheme the browser used: ``X-Forwarded-Proto`` when a configured proxy sent it (a proxy
    that terminates TLS forwards plain HTTP), else the connection's own."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-proto", "").strip().lower()
    if peer in request.app.state.settings.trusted_proxies and forwarded in ("http", "https"):
        return forwarded
    return request.url.scheme


SettingsDep = Annotated[Settings, Depends(_settings)]
CatalogDep = Annotated[Catalog, Depends(_catalog)]
SessionDep = Annotated[Session, Depends(_session)]
LimiterDep = Annotated[JoinLimiter, Depends(_limiter)]
WriterDep = Annotated[AnswerWriter, Depends(_writer)]
ClientDep = Annotated[str, Depends(_client)]


def _teacher(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_teacher_bearer)]) -> None:
    teacher = check_teacher(session, credentials.credentials if credentials else None)
    audit.set_actor(session, audit.actor_name(teacher))  # the request's session: the audit log names who acted


def _student(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_student_bearer)]) -> StudentRow:
    return student_for_token(session, credentials.credentials if credentials else None)


async def _student_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_student_bearer)]) -> str | None:
    return credentials.credentials if credentials else None


def _viewer(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_any_bearer)]) -> Viewer:
    return viewer_for_token(session, credentials.credentials if credentials else None)


TeacherDep = Depends(_teacher)
StudentTokenDep = Annotated[str | None, Depends(_student_token)]
"""The raw student token, for routes that check it inside their own query (autosave)."""
StudentDep = Annotated[StudentRow, Depends(_student)]
ViewerDep = Annotated[Viewer, Depends(_viewer)]
"""The teacher, a student or an anonymous visitor, for public routes that show more to some."""
