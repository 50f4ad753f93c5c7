"""Teacher accounts: the administrator's routes (``/api/v1/admin``) and a teacher's own account and
class colleagues (``/api/v1/teachers``, ``/api/v1/classes/{class_id}/teachers``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.accounts import ClassTeacherOut, CoTeacherIn, TeacherAccountOut, TeacherIn, TeacherNameOut, TeacherOut, TeacherTokenOut
from api.deps import AdminDep, CurrentTeacherDep, SessionDep, SettingsDep, TeacherDep
from api.routes.common import PROBLEM_RESPONSES, RowId, problems
from api.store import ownership, teachers

__all__ = ["admin_router", "colleagues_router"]

admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin"], dependencies=[AdminDep], responses={**PROBLEM_RESPONSES, **problems(401)})
colleagues_router = APIRouter(prefix="/api/v1", tags=["teacher"], dependencies=[TeacherDep], responses={**PROBLEM_RESPONSES, **problems(401)})


@admin_router.get("/teachers", response_model=list[TeacherOut], summary="Every teacher account")
def list_accounts(session: SessionDep) -> list[TeacherOut]:
    return teachers.list_teachers(session)


@admin_router.post("/teachers", response_model=TeacherTokenOut, status_code=status.HTTP_201_CREATED, responses=problems(409),
                   summary="Create a teacher account (a display name, no e-mail); its token is shown only in this response")
def create_account(body: TeacherIn, session: SessionDep) -> TeacherTokenOut:
    return teachers.create_teacher(session, body.display_name)


@admin_router.post("/teachers/{teacher_id}/token", response_model=TeacherTokenOut, responses=problems(404, 409),
                   summary="Issue a teacher a new token (shown only in this response); the old one stops working")
def reset_account_token(teacher_id: RowId, session: SessionDep, settings: SettingsDep) -> TeacherTokenOut:
    return teachers.reset_teacher_token(session, teacher_id, env_token_set=settings.teacher_token is not None)


@colleagues_router.get("/teachers/me", response_model=TeacherAccountOut, summary="Your own teacher account")
def my_account(teacher: CurrentTeacherDep) -> TeacherAccountOut:
    return TeacherAccountOut(id=teacher.id, display_name=teacher.display_name)


@colleagues_router.get("/teachers", response_model=list[TeacherNameOut], summary="Every teacher on this server, by name (to add a co-teacher)")
def list_colleagues(session: SessionDep) -> list[TeacherNameOut]:
    return teachers.teacher_names(session)


@colleagues_router.get("/classes/{class_id}/teachers", response_model=list[ClassTeacherOut], responses=problems(404),
                       summary="Who teaches a class: its owner and co-teachers")
def class_teachers(class_id: RowId, session: SessionDep) -> list[ClassTeacherOut]:
    return ownership.class_teachers(session, class_id)


@colleagues_router.post("/classes/{class_id}/teachers", response_model=list[ClassTeacherOut], responses=problems(403, 404),
                        summary="Add a co-teacher (the class's owner only); they see and change the class as you do")
def add_co_teacher(class_id: RowId, body: CoTeacherIn, session: SessionDep, teacher: CurrentTeacherDep) -> list[ClassTeacherOut]:
    ownership.require_owner(session, teacher, class_id)
    return ownership.add_co_teacher(session, class_id, body.teacher_id)


@colleagues_router.delete("/classes/{class_id}/teachers/{teacher_id}", response_model=list[ClassTeacherOut], responses=problems(403, 404, 409),
                          summary="Remove a co-teacher (the class's owner only; a co-teacher may remove themselves)")
def remove_co_teacher(class_id: RowId, teacher_id: RowId, session: SessionDep, teacher: CurrentTeacherDep) -> list[ClassTeacherOut]:
    if teacher_id != teacher.id:
        ownership.require_owner(session, teacher, class_id)
    return ownership.remove_co_teacher(session, class_id, teacher_id)
