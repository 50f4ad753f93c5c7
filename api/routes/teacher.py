"""Teacher routes (``Authorization: Bearer <teacher token>``): classes, assignments, keys and results.

Each teacher sees only the classes they own or co-teach: ``TeacherDep`` turns another teacher's
class, assignment, student or answer id into a 404 before a handler runs (``api.deps``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import Response as HTTPResponse

from api import guides, lessons
from api.deps import CatalogDep, CurrentTeacherDep, SessionDep, SettingsDep, TeacherDep
from api.guides import GuideOut
from api.routes.common import PROBLEM_RESPONSES, RowId, problems
from api.schemas import (
    AssignmentIn, AssignmentOut, AssignmentPatchIn, ClassIn, ClassOut, ClassSummaryOut, GainOut, GradebookOut, RegradeOut, ReviewIn,
    ReviewOut, StudentTokenOut,
)
from api.conditional import NOT_MODIFIED, IfNoneMatch, ViewsDep, conditional
from api.store import assignments, classes, debriefs, gain, results, snapshots
from quizzes.analysis.items import Analysis
from quizzes.analysis.debrief import Debrief

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["teacher"], dependencies=[TeacherDep], responses={**PROBLEM_RESPONSES, **problems(401)})


@router.post("/classes", response_model=ClassSummaryOut, status_code=status.HTTP_201_CREATED, summary="Create a class with a join code")
def create_class(body: ClassIn, session: SessionDep, teacher: CurrentTeacherDep) -> ClassSummaryOut:
    return classes.create_class(session, body.name, teacher)


@router.get("/classes", response_model=list[ClassSummaryOut], summary="The classes you own or co-teach")
def list_classes(session: SessionDep, teacher: CurrentTeacherDep) -> list[ClassSummaryOut]:
    return classes.list_classes(session, teacher)


@router.get("/classes/{class_id}", response_model=ClassOut, responses=problems(404), summary="A class with its students and assignments")
def get_class(class_id: RowId, session: SessionDep, catalog: CatalogDep) -> ClassOut:
    return classes.get_class(session, class_id, lambda row: assignments.assignment_out(catalog, row))


@router.post("/classes/{class_id}/join-code", response_model=ClassSummaryOut, responses=problems(404),
             summary="Draw a new join code (the old one stops working) and turn joining on")
def rotate_join_code(class_id: RowId, session: SessionDep) -> ClassSummaryOut:
    return classes.rotate_join_code(session, class_id)


@router.delete("/classes/{class_id}/join-code", response_model=ClassSummaryOut, responses=problems(404),
               summary="Turn joining off (draw a new code to turn it on again)")
def close_joining(class_id: RowId, session: SessionDep) -> ClassSummaryOut:
    return classes.close_joining(session, class_id)


@router.delete("/classes/{class_id}/students/{student_id}", response_model=ClassOut, responses=problems(404),
               summary="Remove a student with their attempts and answers; their token stops working. Returns the class")
def remove_student(class_id: RowId, student_id: RowId, session: SessionDep, catalog: CatalogDep) -> ClassOut:
    classes.remove_student(session, class_id, student_id)
    return classes.get_class(session, class_id, lambda row: assignments.assignment_out(catalog, row))


@router.post("/classes/{class_id}/students/{student_id}/token", response_model=StudentTokenOut, responses=problems(404),
             summary="Revoke a student's token and issue a new one (shown only in this response)")
def reissue_token(class_id: RowId, student_id: RowId, session: SessionDep) -> StudentTokenOut:
    return classes.reissue_token(session, class_id, student_id)


@router.post("/classes/{class_id}/assignments", response_model=AssignmentOut, status_code=status.HTTP_201_CREATED,
             responses=problems(404), summary="Assign a quiz to a class")
def create_assignment(class_id: RowId, body: AssignmentIn, session: SessionDep, catalog: CatalogDep) -> AssignmentOut:
    return assignments.create_assignment(session, catalog, class_id, body)


@router.get("/assignments/{assignment_id}", response_model=AssignmentOut, responses=problems(404), summary="One assignment")
def get_assignment(assignment_id: RowId, session: SessionDep, catalog: CatalogDep) -> AssignmentOut:
    return assignments.get_assignment(session, catalog, assignment_id)


@router.patch("/assignments/{assignment_id}", response_model=AssignmentOut, responses=problems(404), summary="Close, reopen or extend an assignment")
def patch_assignment(assignment_id: RowId, body: AssignmentPatchIn, session: SessionDep, catalog: CatalogDep) -> AssignmentOut:
    return assignments.patch_assignment(session, catalog, assignment_id, body)


_KEY_EXAMPLE = {"quiz_id": "practice-funding", "lesson_id": "central-asia-2022", "title": "Practice: funding", "exercises": [
    {"exercise": {"id": "fun-03", "type": "single_choice", "options": [{"id": "a", "text": "…", "correct": True, "feedback": "…"}]},
     "items": [{"id": "fun-07", "skill": "funding", "labels": ["funding_discredit"], "start": 5120, "end": 5168, "quote": "…",
                "voice": "author", "rationale": "…"}]}]}
_ANNOTATIONS_EXAMPLE = {"lesson_id": "central-asia-2022", "items": _KEY_EXAMPLE["exercises"][0]["items"]}  # type: ignore[index]


def _json_example(example: object) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": example}}}}


@router.get("/quizzes/{quiz_id}/key", response_model=dict[str, Any], responses={**problems(404), **_json_example(_KEY_EXAMPLE)}, summary="The key with rationales (teachers only)")
def quiz_key(quiz_id: str, catalog: CatalogDep) -> dict[str, Any]:
    return lessons.quiz_key(catalog, quiz_id)


@router.get("/lessons/{lesson_id}/guides/teacher", response_model=GuideOut, responses=problems(404), summary="The teacher's guide as HTML (teachers only)")
def teacher_guide(lesson_id: str, catalog: CatalogDep) -> GuideOut:
    return guides.guide(catalog, lesson_id, "teacher")


@router.get("/lessons/{lesson_id}/annotations", response_model=dict[str, Any], responses={**problems(404), **_json_example(_ANNOTATIONS_EXAMPLE)}, summary="The whole master annotation")
def lesson_annotations(lesson_id: str, catalog: CatalogDep) -> dict[str, Any]:
    return lessons.lesson_annotations(catalog, lesson_id)


@router.get("/assignments/{assignment_id}/results", response_model=GradebookOut, responses={**problems(404), **NOT_MODIFIED},
            summary="Gradebook (send its ETag in If-None-Match: 304 when nothing changed)")
def gradebook(assignment_id: RowId, session: SessionDep, catalog: CatalogDep, views: ViewsDep, if_none_match: IfNoneMatch = None) -> HTTPResponse:
    return conditional(snapshots.gradebook(session, catalog, views, assignment_id), if_none_match)


@router.get("/assignments/{assignment_id}/results.csv", response_class=HTTPResponse, responses={**problems(404), 200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": "student_id,display_name,attempt,submitted_at,earned,possible,percent,discernment,awaiting_review,skill:framing (%),frm-01 (1)\r\n7,Amira K.,1,2026-03-01T09:40:00+00:00,0.67,1.00,66.67,0.750,0,66.67,0.67\r\n"}}, "description": "Gradebook CSV (columns in docs/api.md)"}},
            summary="Gradebook as CSV for an LMS")
def gradebook_csv(
    assignment_id: RowId,
    session: SessionDep,
    catalog: CatalogDep,
    layout: Literal["plain", "spreadsheet"] = Query("plain", description="plain: ids and ISO times for scripts and LMS imports; spreadsheet: the screen's exercise numbers and titles, points, local times and a UTF-8 byte order mark for Excel"),
    tz: str = Query("UTC", max_length=64, description="IANA time zone for the spreadsheet layout's times, e.g. Europe/Berlin"),
) -> HTTPResponse:
    body = results.gradebook_as_csv(session, catalog, assignment_id, layout, tz)
    headers = {"Content-Disposition": f'attachment; filename="assignment-{assignment_id}-results.csv"'}
    return HTTPResponse(content=body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/assignments/{assignment_id}/answers", response_class=HTTPResponse, summary="Stored answers as JSON Lines (for quiz-grade pull)",
            responses={**problems(404), **NOT_MODIFIED, 200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}, "example": '{"student": "Amira K.", "student_id": 7, "attempt": 1, "submitted_at": "2026-03-01T09:40:00+00:00", "exercise": "frm-01", "response": {"type": "highlight", "spans": [{"start": 1204, "end": 1215}]}}\n'}}, "description": "one answer per line"}})
def answers(assignment_id: RowId, session: SessionDep, catalog: CatalogDep, views: ViewsDep, if_none_match: IfNoneMatch = None) -> HTTPResponse:
    return conditional(snapshots.answers(session, catalog, views, assignment_id), if_none_match, "application/x-ndjson; charset=utf-8")


@router.get("/assignments/{assignment_id}/analysis", response_model=Analysis, responses={**problems(404), **NOT_MODIFIED},
            summary="Item analysis (send its ETag in If-None-Match: 304 when nothing changed)")
def analysis(assignment_id: RowId, session: SessionDep, catalog: CatalogDep, views: ViewsDep, if_none_match: IfNoneMatch = None) -> HTTPResponse:
    return conditional(snapshots.analysis(session, catalog, views, assignment_id), if_none_match)


@router.get("/assignments/{assignment_id}/debrief", response_model=Debrief, responses=problems(404, 409),
            summary="The class debrief for the projector, once feedback is released: heat map, key, foils, proposed steps; no names")
def assignment_debrief(assignment_id: RowId, session: SessionDep, catalog: CatalogDep, settings: SettingsDep) -> Debrief:
    return debriefs.assignment_debrief(session, catalog, assignment_id, settings.debrief_min_group)


@router.put("/answers/{answer_id}/review", response_model=ReviewOut, responses=problems(404, 409), summary="Confirm or override a provisional score")
def review(answer_id: RowId, body: ReviewIn, session: SessionDep, teacher: CurrentTeacherDep) -> ReviewOut:
    return results.review_answer(session, answer_id, body, reviewer=teacher.display_name)


@router.post("/assignments/{assignment_id}/regrade", response_model=RegradeOut, responses=problems(404, 409), summary="Rescore every stored answer after a key change")
def regrade(assignment_id: RowId, session: SessionDep, catalog: CatalogDep) -> RegradeOut:
    return results.regrade(session, catalog, assignment_id)


_ASSIGNMENT_IDS = Query(pattern=r"^[1-9][0-9]{0,17}(,[1-9][0-9]{0,17}){0,19}$", description="assignment ids, comma-separated (both forms when counterbalanced)")


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


@router.get("/classes/{class_id}/gain", response_model=GainOut, responses=problems(404, 422),
            summary="Learning gain between pre- and post-check assignments, per skill and student")
def class_gain(class_id: RowId, session: SessionDep, catalog: CatalogDep,
               pre: Annotated[str, _ASSIGNMENT_IDS], post: Annotated[str, _ASSIGNMENT_IDS]) -> GainOut:
    return gain.class_gain(session, catalog, class_id, _ids(pre), _ids(post))


@router.get("/classes/{class_id}/gain.svg", response_class=HTTPResponse, responses={**problems(404, 422), 200: {"content": {"image/svg+xml": {"schema": {"type": "string"}, "example": '<svg xmlns="http://www.w3.org/2000/svg" width="790" height="380" role="img"><title>Learning gain per skill, before to after</title>…</svg>\n'}}, "description": "a bar chart to project"}},
            summary="The learning gain as an SVG bar chart (before and after per skill)")
def class_gain_svg(class_id: RowId, session: SessionDep, catalog: CatalogDep,
                   pre: Annotated[str, _ASSIGNMENT_IDS], post: Annotated[str, _ASSIGNMENT_IDS]) -> HTTPResponse:
    return HTTPResponse(content=gain.class_gain_svg(session, catalog, class_id, _ids(pre), _ids(post)), media_type="image/svg+xml")
