"""Request dependencies: settings, catalog, a database session per request, and who is asking."""

from __future__ import annotations

from typing import Annotated, Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.limits import JoinLimiter
from api.settings import Settings
from api.store.auth import check_teacher, student_for_token
from api.store.tables import StudentRow

__all__ = ["SettingsDep", "CatalogDep", "SessionDep", "TeacherDep", "StudentDep", "LimiterDep", "ClientDep"]

_teacher_bearer = HTTPBearer(auto_error=False, scheme_name="TeacherToken", description="the teacher token printed at first start")
_student_bearer = HTTPBearer(auto_error=False, scheme_name="StudentToken", description="the token POST /join returned")


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _catalog(request: Request) -> Catalog:
    return request.app.state.catalog


def _limiter(request: Request) -> JoinLimiter:
    return request.app.state.join_limiter


def _session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[Settings, Depends(_settings)]
CatalogDep = Annotated[Catalog, Depends(_catalog)]
SessionDep = Annotated[Session, Depends(_session)]
LimiterDep = Annotated[JoinLimiter, Depends(_limiter)]
ClientDep = Annotated[str, Depends(_client)]


def _teacher(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_teacher_bearer)]) -> None:
    check_teacher(session, credentials.credentials if credentials else None)


def _student(session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_student_bearer)]) -> StudentRow:
    return student_for_token(session, credentials.credentials if credentials else None)


TeacherDep = Depends(_teacher)
StudentDep = Annotated[StudentRow, Depends(_student)]
