"""Teacher routes for the exports: a quiz as QTI 3.0, Moodle XML or GIFT; the key as Web Annotation
or SemEval; students' marks in Web Annotation form read back as responses.

``exports_router()`` builds the router; ``api/app.py`` includes it with the others. Each handler
parses, calls one function of ``quizzes.exports`` and maps the result (domain errors become RFC 9457
problems through ``api.problems``).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body
from fastapi.responses import Response as HTTPResponse

from api.deps import CatalogDep, TeacherDep
from api.routes.common import PROBLEM_RESPONSES, problems
from quizzes.exports.formats import ExportFormat, SemevalForm, export_quiz
from quizzes.exports.webanno import read_marks

__all__ = ["exports_router"]

QuizFormat = ExportFormat
"""Every format of ``medialit export``: a new one in :mod:`quizzes.exports.formats` is served here too."""
KeyFormat = Literal["webanno", "semeval"]
"""The formats that hold a pack's whole key without a quiz."""
Form = SemevalForm
_FILE = {200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, "description": "The exported file"}}


def _download(exported: Any) -> HTTPResponse:
    headers = {
        "Content-Disposition": f'attachment; filename="{exported.filename}"',
        "X-Medialit-Export-Notes": str(len(exported.notes)),
    }
    return HTTPResponse(content=exported.content, media_type=exported.media_type, headers=headers)


def exports_router() -> APIRouter:
    """The export routes under ``/api/v1`` (teacher token required)."""
    router = APIRouter(prefix="/api/v1", tags=["exports"], dependencies=[TeacherDep], responses={**PROBLEM_RESPONSES, **problems(401)})

    @router.get("/quizzes/{quiz_id}/export/{export_format}", response_class=HTTPResponse, responses={**problems(404), **_FILE},
                summary="A quiz as QTI 3.0 (zip), Moodle XML, GIFT, or its items as Web Annotation / SemEval")
    def export_one_quiz(quiz_id: str, export_format: QuizFormat, catalog: CatalogDep, semeval_form: Form = "tsv") -> HTTPResponse:
        bank, _quiz = catalog.quiz(quiz_id)
        return _download(export_quiz(bank, quiz_id, export_format, semeval_form))

    @router.get("/quizzes/{quiz_id}/export/{export_format}/notes", response_model=dict[str, list[str]], responses=problems(404),
                summary="What the export of this quiz in this format leaves out or changes")
    def export_notes(quiz_id: str, export_format: QuizFormat, catalog: CatalogDep, semeval_form: Form = "tsv") -> dict[str, list[str]]:
        bank, _quiz = catalog.quiz(quiz_id)
        return {"notes": list(export_quiz(bank, quiz_id, export_format, semeval_form).notes)}

    @router.get("/lessons/{lesson_id}/export/{export_format}", response_class=HTTPResponse, responses={**problems(404), **_FILE},
                summary="The whole master key as Web Annotation JSON-LD or in a SemEval format")
    def export_key(lesson_id: str, export_format: KeyFormat, catalog: CatalogDep, semeval_form: Form = "tsv") -> HTTPResponse:
        return _download(export_quiz(catalog.bank(lesson_id), None, export_format, semeval_form))

    @router.post("/lessons/{lesson_id}/marks/web-annotation", response_model=list[dict[str, Any]], responses=problems(400, 404),
                 summary="Read students' marks (Web Annotation collection) as responses, without storing them")
    def import_marks(lesson_id: str, catalog: CatalogDep, document: dict[str, Any] = Body(...)) -> list[dict[str, Any]]:
        submissions = read_marks(catalog.bank(lesson_id), document)
        return [
            {"student": s.student, "exercise_id": s.exercise_id, "response": s.response.model_dump(mode="json", exclude_none=True)}
            for s in submissions
        ]

    return router
