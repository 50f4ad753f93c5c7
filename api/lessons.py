"""Public lesson content from the catalog: summaries, student views, and (for teachers) keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from api.store.db import is_writable
from api.catalog import Catalog
from api.schemas import HealthOut, LessonSummaryOut, QuizSummaryOut
from api.store.attempts import draw_orders
from quizzes.views import ExerciseView, LessonView, QuizView, exercise_view, lesson_view, quiz_view

__all__ = ["health", "list_lessons", "get_lesson", "list_quizzes", "get_quiz", "get_exercise", "quiz_key", "lesson_annotations"]


def health(session: Session, catalog: Catalog) -> HealthOut:
    """``ok`` when the database answers a query, can take a write, and the lessons are loaded;
    ``degraded`` (still 200) with ``database`` saying why when the store cannot be written."""
    connection = session.connection()
    connection.execute(text("SELECT 1"))
    writable = is_writable(connection)
    return HealthOut(status="ok" if writable == "ok" else "degraded", database=writable, lessons=len(catalog.banks))


def list_lessons(catalog: Catalog) -> list[LessonSummaryOut]:
    return [
        LessonSummaryOut(id=b.pack.id, title=b.pack.article.title, language=b.pack.article.language, quizzes=list(b.quizzes))
        for b in catalog.banks.values()
    ]


def get_lesson(catalog: Catalog, lesson_id: str) -> LessonView:
    return lesson_view(catalog.pack(lesson_id))


def list_quizzes(catalog: Catalog) -> list[QuizSummaryOut]:
    return [
        QuizSummaryOut(id=q.id, lesson_id=b.pack.id, title=q.title, kind=q.kind.value, form=q.form,
                       description=q.description, exercise_count=len(q.exercises))
        for b, q in catalog.quizzes()
    ]


def get_quiz(catalog: Catalog, quiz_id: str) -> QuizView:
    """A quiz as students see it, options in a fresh order on every request (practice stores nothing)."""
    bank, quiz = catalog.quiz(quiz_id)
    exercises = bank.quiz_exercises(quiz_id)
    return quiz_view(quiz, exercises, bank.pack.id, draw_orders(exercises))


def get_exercise(catalog: Catalog, exercise_id: str) -> ExerciseView:
    """One exercise as students see it, options in a fresh order on every request."""
    bank, exercise = catalog.exercise(exercise_id)
    return exercise_view(exercise, bank.pack.id, draw_orders([exercise]).get(exercise.id))


def quiz_key(catalog: Catalog, quiz_id: str) -> dict[str, Any]:
    """Teachers only: every exercise definition with the master items it draws on (quotes and rationales)."""
    bank, quiz = catalog.quiz(quiz_id)
    annotation = bank.pack.annotation
    exercises = []
    for exercise in bank.quiz_exercises(quiz_id):
        items = [annotation.get(i).model_dump(mode="json") for i in dict.fromkeys(exercise.referenced_items()) if annotation.has(i)]
        exercises.append({"exercise": exercise.model_dump(mode="json"), "items": items})
    return {"quiz_id": quiz.id, "lesson_id": bank.pack.id, "title": quiz.title, "exercises": exercises}


def lesson_annotations(catalog: Catalog, lesson_id: str) -> dict[str, Any]:
    """Teachers only: the whole master annotation (id, skill, labels, start, end, quote, voice, rationale, ...)."""
    pack = catalog.pack(lesson_id)
    return {"lesson_id": pack.id, "items": [item.model_dump(mode="json") for item in pack.annotation.items]}
