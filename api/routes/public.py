"""Public routes: no login. Lessons and exercises as students see them, and practice checking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from api import guides, lessons
from api.access import require_exercise_visible, require_practice_exercise, require_quiz_visible
from api.deps import CatalogDep, SessionDep, ViewerDep
from api.guides import GuideOut
from api.routes.common import PROBLEM_RESPONSES, problems
from api.schemas import HealthOut, LessonSummaryOut, QuizSummaryOut
from api.store.attempts import check_answer
from quizzes.responses import Response
from quizzes.views import ExerciseView, LessonView, OutcomeView, QuizView

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["public"], responses=PROBLEM_RESPONSES)

_HIGHLIGHT_EXAMPLE = {"type": "highlight", "spans": [{"start": 120, "end": 131}, {"exact": "so-called", "suffix": " reformers"}]}


@router.get("/health", response_model=HealthOut, summary="Liveness: the database answers and lessons are loaded")
def health(session: SessionDep, catalog: CatalogDep) -> HealthOut:
    return lessons.health(session, catalog)


@router.get("/lessons", response_model=list[LessonSummaryOut], summary="Every lesson served")
def list_lessons(catalog: CatalogDep) -> list[LessonSummaryOut]:
    return lessons.list_lessons(catalog)


@router.get("/lessons/{lesson_id}", response_model=LessonView, responses=problems(404), summary="Text, blocks, provenance and glossary (no key)")
def get_lesson(lesson_id: str, catalog: CatalogDep) -> LessonView:
    return lessons.get_lesson(catalog, lesson_id)


@router.get("/lessons/{lesson_id}/guides/student", response_model=GuideOut, responses=problems(404), summary="The students' reading guide as HTML")
def student_guide(lesson_id: str, catalog: CatalogDep) -> GuideOut:
    return guides.guide(catalog, lesson_id, "student")


@router.get("/quizzes", response_model=list[QuizSummaryOut], summary="Every quiz served")
def list_quizzes(catalog: CatalogDep) -> list[QuizSummaryOut]:
    return lessons.list_quizzes(catalog)


@router.get("/quizzes/{quiz_id}", response_model=QuizView, responses=problems(403, 404),
            summary="A quiz's exercises as students see them (assessments: the teacher and assigned students only)")
def get_quiz(quiz_id: str, catalog: CatalogDep, session: SessionDep, viewer: ViewerDep) -> QuizView:
    require_quiz_visible(session, catalog, viewer, quiz_id)
    return lessons.get_quiz(catalog, quiz_id)


@router.get("/exercises/{exercise_id}", response_model=ExerciseView, responses=problems(403, 404),
            summary="One exercise as students see it (assessments: the teacher and assigned students only)")
def get_exercise(exercise_id: str, catalog: CatalogDep, session: SessionDep, viewer: ViewerDep) -> ExerciseView:
    require_exercise_visible(session, catalog, viewer, exercise_id)
    return lessons.get_exercise(catalog, exercise_id)


@router.post("/exercises/{exercise_id}/check", response_model=OutcomeView, responses=problems(403, 404),
             summary="Practice: score one answer of a practice set, store nothing; feedback per the exercise's policy")
def check(exercise_id: str, catalog: CatalogDep, response: Annotated[Response, Body(openapi_examples={"highlight": {"value": _HIGHLIGHT_EXAMPLE}})]) -> OutcomeView:
    require_practice_exercise(catalog, exercise_id)
    return check_answer(catalog, exercise_id, response)
