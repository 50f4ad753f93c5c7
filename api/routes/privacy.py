"""Teacher routes for privacy: a student's data, deleting a class or an assignment, closing a class,
and reading the audit log. Every action here is in the audit log (see docs/privacy.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response as HTTPResponse

from api.catalog import Catalog
from api.errors import NotFound
from api.deps import CatalogDep, CurrentTeacherDep, SessionDep, TeacherDep
from api.routes.common import PROBLEM_RESPONSES, RowId, problems
from api.schemas import ClassSummaryOut
from api.store import audit, privacy
from api.store.ownership import require_owner, teacher_class_ids

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["privacy"], dependencies=[TeacherDep], responses={**PROBLEM_RESPONSES, **problems(401)})

_EXPORT_EXAMPLE = {"format": privacy.EXPORT_FORMAT, "exported_at": "2026-06-30T12:00:00+00:00",
                   "student": {"id": 7, "display_name": "Amira K.", "joined_at": "2026-03-01T09:05:00+00:00"},
                   "class": {"id": 1, "name": "Year 10 media studies", "created_at": "2026-03-01T09:00:00+00:00", "closed_at": None},
                   "attempts": [{"id": 3, "assignment_id": 2, "quiz_id": "practice-funding", "number": 1, "answers": [
                       {"exercise_id": "fun-03", "response": {"type": "single_choice", "choice": "b"}, "outcome": {"earned": "1", "possible": "1"},
                        "reviews": [], "regrades": []}]}],
                   "audit_log": [], "not_included": "…"}


@router.get("/classes/{class_id}/students/{student_id}/export", response_class=HTTPResponse, responses={
    **problems(404), 200: {"content": {"application/json": {"example": _EXPORT_EXAMPLE}}, "description": "everything stored about the student"}},
    summary="Everything stored about one student, as a JSON download (for a data-access request)")
def export_student(class_id: RowId, student_id: RowId, session: SessionDep) -> HTTPResponse:
    body = json.dumps(privacy.student_export(session, class_id, student_id), ensure_ascii=False, indent=1)
    headers = {"Content-Disposition": f'attachment; filename="student-{student_id}-data.json"'}
    return HTTPResponse(content=body, media_type="application/json", headers=headers)


@router.delete("/classes/{class_id}", response_model=privacy.DeletedOut, responses=problems(403, 404),
               summary="Delete a class with its students, assignments, answers and reviews (all or nothing; its owner only)")
def delete_class(class_id: RowId, session: SessionDep, teacher: CurrentTeacherDep) -> privacy.DeletedOut:
    require_owner(session, teacher, class_id, "only the teacher who created this class can delete it")
    return privacy.delete_class(session, class_id)


@router.delete("/assignments/{assignment_id}", response_model=privacy.DeletedOut, responses=problems(404),
               summary="Delete an assignment with every attempt, answer, review and regrade on it (all or nothing)")
def delete_assignment(assignment_id: RowId, session: SessionDep) -> privacy.DeletedOut:
    return privacy.delete_assignment(session, assignment_id)


@router.post("/classes/{class_id}/close", response_model=ClassSummaryOut, responses=problems(404),
             summary="Close a class: joining off, open assignments closed, the retention period starts")
def close_class(class_id: RowId, session: SessionDep) -> ClassSummaryOut:
    return privacy.close_class(session, class_id)


@router.post("/classes/{class_id}/reopen", response_model=ClassSummaryOut, responses=problems(404),
             summary="Reopen a closed class (the retention period stops)")
def reopen_class(class_id: RowId, session: SessionDep) -> ClassSummaryOut:
    return privacy.reopen_class(session, class_id)


def _title(catalog: Catalog) -> Any:
    def title(quiz_id: str) -> str:
        try:
            return catalog.quiz(quiz_id)[1].title
        except NotFound:  # a quiz since removed from the packs is named by its id
            return quiz_id
    return title


@router.get("/audit", response_model=audit.AuditPageOut, responses=problems(404),
            summary="The audit log of your classes and your own actions, newest first")
def audit_log(session: SessionDep, catalog: CatalogDep, teacher: CurrentTeacherDep,
              class_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="only this class's entries (a deleted class's entries are kept without its id)")] = None,
              before: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="the previous page's `older`: entries older than that")] = None,
              limit: Annotated[int, Query(ge=1, le=200)] = 50) -> audit.AuditPageOut:
    mine = teacher_class_ids(session, teacher)
    if class_id is not None and class_id not in mine:
        raise NotFound(f"no class {class_id}")  # another teacher's class reads as an unknown one
    return audit.list_entries(session, _title(catalog), teacher.id, mine, class_id, before, limit)
