"""Request dependencies: settings, catalog, a database session per request, and who is asking.

Who is asking, on teacher routes: ``TeacherDep`` checks the teacher token and returns the
:class:`~api.store.auth.Teacher` account (``id``, ``display_name``) the request acts for. Use it as a
router's or route's ``dependencies=[TeacherDep]``, or take the account as a parameter,
``teacher: CurrentTeacherDep`` (the same check, run once per request). Before the handler runs it
also checks every path id of ``api.store.ownership.OWNED_PATH_IDS`` (``class_id``,
``assignment_id``, ``student_id``, ``attempt_id``, ``answer_id``) against the teacher's classes:
another teacher's id is a 404, as an unknown one. Ids taken from a body or query are the handler's
to check (``api.store.ownership.require_class``). ``AdminDep`` checks the administrator's token.

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
from api.store.auth import Teacher, check_admin, check_teacher, student_for_token
from api.store.ownership import check_path_ids
from api.store.tables import StudentRow
from api.store.writer import AnswerWriter

__all__ = ["public_scheme", "SettingsDep", "CatalogDep", "SessionDep", "TeacherDep", "CurrentTeacherDep", "AdminDep", "StudentDep", "LimiterDep", "ClientDep", "WriterDep", "StudentTokenDep", "ViewerDep"]

_teacher_bearer = HTTPBearer(auto_error=False, scheme_name="TeacherToken", description="a teacher account's token (issued by the administrator)")
_admin_bearer = HTTPBearer(auto_error=False, scheme_name="AdminToken", description="the administrator token printed at first start (or MEDIALIT_ADMIN_TOKEN)")
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


def _teacher(request: Request, session: SessionDep,
             credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_teacher_bearer)]) -> Teacher:
    teacher = check_teacher(session, credentials.credentials if credentials else None)
    check_path_ids(session, teacher, request.path_params)
    audit.set_actor(session, audit.actor_name(teacher), teacher.id)  # the request's session: the audit log names who acted
    return teacher


def _admin(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_admin_bearer)]) -> None:
    check_admin(session, credentials.credentials if credentials else None)
    audit.set_actor(session, "administrator")


def _student(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_student_bearer)]) -> StudentRow:
    return student_for_token(session, credentials.credentials if credentials else None)


async def _student_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_student_bearer)]) -> str | None:
    return credentials.credentials if credentials else None


def _viewer(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_any_bearer)]) -> Viewer:
    return viewer_for_token(session, credentials.credentials if credentials else None)


TeacherDep = Depends(_teacher)
"""The teacher check, returning the :class:`Teacher`: ``dependencies=[TeacherDep]`` or ``teacher: Teacher = TeacherDep``."""
CurrentTeacherDep = Annotated[Teacher, TeacherDep]
"""The signed-in teacher's account as a handler parameter (``teacher: CurrentTeacherDep``)."""
AdminDep = Depends(_admin)
"""The administrator check, for ``dependencies=[AdminDep]``: teacher and student tokens are refused (401)."""
StudentTokenDep = Annotated[str | None, Depends(_student_token)]
"""The raw student token, for routes that check it inside their own query (autosave)."""
StudentDep = Annotated[StudentRow, Depends(_student)]
ViewerDep = Annotated[Viewer, Depends(_viewer)]
"""The teacher, a student or an anonymous visitor, for public routes that show more to some."""
