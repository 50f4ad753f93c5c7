"""The class debrief (teacher, for the projector) and a student's view of the class, after release.

Both read each student's latest submitted attempt; neither ever carries a student's name or score.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.errors import DebriefNotReleased
from api.store.assignments import get_assignment_row, is_feedback_released
from api.store.attempts import own_attempt
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, StudentRow, utcnow
from quizzes.analysis.debrief import ClassView, Debrief, StudentResponses, class_view, debrief
from quizzes.exercises import Exercise
from quizzes.responses import parse_response

__all__ = ["assignment_debrief", "student_class_view"]


def _latest_responses(session: Session, assignment_id: int, exercises: list[Exercise]) -> dict[int, StudentResponses]:
    """Student id -> responses of that student's latest submitted attempt."""
    types = {e.id: e.type for e in exercises}
    latest: dict[int, AttemptRow] = {}
    for attempt in session.scalars(select(AttemptRow).where(AttemptRow.assignment_id == assignment_id, AttemptRow.submitted_at.is_not(None))):
        if attempt.student_id not in latest or attempt.number > latest[attempt.student_id].number:
            latest[attempt.student_id] = attempt
    by_attempt = {a.id: s for s, a in latest.items()}
    responses: dict[int, dict[str, object]] = {s: {} for s in latest}
    if by_attempt:
        query = select(AnswerRow).where(AnswerRow.attempt_id.in_(list(by_attempt)), AnswerRow.exercise_id.in_(list(types)))
        for answer in session.scalars(query):
            if answer.response is not None:
                responses[by_attempt[answer.attempt_id]][answer.exercise_id] = parse_response(types[answer.exercise_id], answer.response)
    return responses  # type: ignore[return-value]


def _require_released(assignment: AssignmentRow) -> None:
    if not is_feedback_released(assignment, utcnow()):
        if assignment.feedback == "none":
            raise DebriefNotReleased("this assignment never releases feedback to students, so there is no debrief to show")
        raise DebriefNotReleased("the debrief opens once students can see their feedback: when the assignment is closed or its due time has passed")


def assignment_debrief(session: Session, catalog: Catalog, assignment_id: int, min_group: int) -> Debrief:
    """The teacher's debrief of an assignment whose feedback is released (see ``quizzes.analysis.debrief``)."""
    assignment = get_assignment_row(session, assignment_id)
    _require_released(assignment)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    exercises = bank.quiz_exercises(quiz.id)
    students = list(_latest_responses(session, assignment.id, exercises).values())
    return debrief(exercises, bank.pack, students, min_group)


def student_class_view(session: Session, catalog: Catalog, student: StudentRow, attempt_id: int, min_group: int) -> ClassView:
    """The student's own submitted attempt beside the class's marks, once feedback is released."""
    attempt = own_attempt(session, student, attempt_id)
    assignment = session.get(AssignmentRow, attempt.assignment_id)
    assert assignment is not None
    if attempt.submitted_at is None:
        raise DebriefNotReleased("submit this attempt first; the class view opens once feedback is released")
    _require_released(assignment)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    exercises = bank.quiz_exercises(quiz.id)
    everyone = _latest_responses(session, assignment.id, exercises)
    everyone.pop(student.id, None)
    types = {e.id: e.type for e in exercises}
    answers = session.scalars(select(AnswerRow).where(AnswerRow.attempt_id == attempt.id))
    mine = {a.exercise_id: parse_response(types[a.exercise_id], a.response) for a in answers if a.response is not None and a.exercise_id in types}
    return class_view(exercises, bank.pack, mine, list(everyone.values()), min_group)
