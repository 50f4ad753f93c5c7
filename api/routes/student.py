"""Student routes: join with a code, then work on one's own attempts (``Authorization: Bearer <student token>``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, status
from fastapi.responses import JSONResponse

from api.deps import CatalogDep, ClientDep, LimiterDep, SessionDep, SettingsDep, StudentDep, StudentTokenDep, WriterDep
from api.routes.common import PROBLEM_RESPONSES, RowId, problems
from api.schemas import AnswerSavedOut, AttemptOut, JoinIn, JoinOut, MyAssignmentOut
from api.store import assignments, attempts, classes, debriefs
from quizzes.analysis.debrief import ClassView
from quizzes.responses import Response

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["student"], responses=PROBLEM_RESPONSES)


@router.post("/join", response_model=JoinOut, status_code=status.HTTP_201_CREATED, responses=problems(404, 409, 429),
             summary="Join a class; the token is shown only in this response")
def join(body: JoinIn, session: SessionDep, settings: SettingsDep, limiter: LimiterDep, client: ClientDep) -> JoinOut:
    return classes.join_class(session, limiter, client, body.join_code, body.display_name, settings.max_display_name,
                             settings.max_class_size)


@router.get("/me/assignments", response_model=list[MyAssignmentOut], responses=problems(401), summary="My class's assignments")
def my_assignments(student: StudentDep, session: SessionDep, catalog: CatalogDep) -> list[MyAssignmentOut]:
    return assignments.my_assignments(session, catalog, student)


@router.post("/assignments/{assignment_id}/attempts", response_model=AttemptOut, status_code=status.HTTP_201_CREATED,
             responses={**problems(401, 404, 409), 200: {"model": AttemptOut, "description": "the unsubmitted attempt, resumed"}},
             summary="Start an attempt (or resume the unsubmitted one)")
def start_attempt(assignment_id: RowId, student: StudentDep, session: SessionDep, catalog: CatalogDep) -> JSONResponse:
    attempt, created = attempts.start_attempt(session, catalog, student, assignment_id)
    return JSONResponse(attempt.model_dump(mode="json"), status_code=201 if created else 200)


@router.put("/attempts/{attempt_id}/answers/{exercise_id}", response_model=AnswerSavedOut, responses=problems(401, 404, 409),
            summary="Autosave one answer (repeating the request is harmless)")
async def save_answer(attempt_id: RowId, exercise_id: str, token: StudentTokenDep, session: SessionDep, catalog: CatalogDep, writer: WriterDep, settings: SettingsDep,
                      response: Annotated[Response, Body(openapi_examples={"single_choice": {"value": {"type": "single_choice", "choice": "a"}}})]) -> AnswerSavedOut:
    return await attempts.save_answer(session, catalog, writer, token, attempt_id, exercise_id, response, settings.student_storage_bytes)


@router.post("/attempts/{attempt_id}/submit", response_model=AttemptOut, responses=problems(401, 404, 409),
             summary="Submit (idempotent: again returns the first result)")
def submit(attempt_id: RowId, student: StudentDep, session: SessionDep, catalog: CatalogDep) -> AttemptOut:
    return attempts.submit_attempt(session, catalog, student, attempt_id)


@router.get("/attempts/{attempt_id}", response_model=AttemptOut, responses=problems(401, 404),
            summary="My attempt, with feedback as the assignment's policy allows")
def get_attempt(attempt_id: RowId, student: StudentDep, session: SessionDep, catalog: CatalogDep) -> AttemptOut:
    return attempts.get_attempt(session, catalog, student, attempt_id)


@router.get("/attempts/{attempt_id}/class", response_model=ClassView, responses=problems(401, 404, 409),
            summary="My submitted marks beside the class's, once feedback is released (nobody named)")
def class_view(attempt_id: RowId, student: StudentDep, session: SessionDep, catalog: CatalogDep, settings: SettingsDep) -> ClassView:
    return debriefs.student_class_view(session, catalog, student, attempt_id, settings.debrief_min_group)
