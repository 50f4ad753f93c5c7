"""Who may see an exercise before its key is released: the rules every lesson route applies.

Practice sets are public. The questions of an assessment or a pre/post check are shown only to the
teacher and to students of a class that has the quiz assigned, once the assignment has opened; they
are never scored outside an attempt, so no route can be used to read their key before release.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.errors import NotPracticeExercise, QuizNotReleased, Unauthorized
from api.store.auth import check_teacher, student_for_token
from api.store.tables import AssignmentRow, StudentRow, utcnow
from quizzes.bank import QuizKind

__all__ = ["Viewer", "viewer_for_token", "require_quiz_visible", "require_exercise_visible", "require_practice_exercise"]


@dataclass(frozen=True)
class Viewer:
    """Whoever sent the request: the teacher, a student, or nobody (no or unknown token)."""

    is_teacher: bool = False
    student: StudentRow | None = None


def viewer_for_token(session: Session, token: str | None) -> Viewer:
    """The teacher or student the bearer token belongs to; an unknown token reads as anonymous.

    Public routes only widen what a valid token shows, so a stale token in a browser is not an
    error there: it simply shows what anyone may see.
    """
    if not token:
        return Viewer()
    try:
        check_teacher(session, token)
        return Viewer(is_teacher=True)
    except Unauthorized:
        pass
    try:
        return Viewer(student=student_for_token(session, token))
    except Unauthorized:
        return Viewer()


def _assigned_and_open(session: Session, student: StudentRow, quiz_ids: tuple[str, ...]) -> bool:
    """True when the student's class has one of the quizzes assigned and that assignment has opened."""
    now = utcnow()
    found = session.scalar(
        select(AssignmentRow.id).where(
            AssignmentRow.class_id == student.class_id,
            AssignmentRow.quiz_id.in_(quiz_ids),
            or_(AssignmentRow.opens_at.is_(None), AssignmentRow.opens_at <= now),
        ).limit(1)
    )
    return found is not None


def require_quiz_visible(session: Session, catalog: Catalog, viewer: Viewer, quiz_id: str) -> None:
    """Raise ``QuizNotReleased`` unless the viewer may see the quiz's questions (``NotFound`` if none)."""
    _bank, quiz = catalog.quiz(quiz_id)
    if quiz.kind is QuizKind.PRACTICE or viewer.is_teacher:
        return
    if viewer.student is not None and _assigned_and_open(session, viewer.student, (quiz.id,)):
        return
    raise QuizNotReleased(f"{quiz.title!r} is not a practice set; it is shown once a teacher assigns it to your class and it opens")


def require_exercise_visible(session: Session, catalog: Catalog, viewer: Viewer, exercise_id: str) -> None:
    """Raise unless the exercise is in a practice set or in a quiz the viewer may see."""
    catalog.exercise(exercise_id)  # NotFound first: an unknown id says so
    if viewer.is_teacher:
        return
    holders = catalog.quizzes_holding(exercise_id)
    if any(catalog.quiz(q)[1].kind is QuizKind.PRACTICE for q in holders):
        return
    if viewer.student is not None and holders and _assigned_and_open(session, viewer.student, holders):
        return
    raise QuizNotReleased("this exercise is not in a practice set; it is shown once a teacher assigns its quiz to your class and it opens")


def require_practice_exercise(catalog: Catalog, exercise_id: str) -> None:
    """Raise ``NotPracticeExercise`` unless only practice sets hold the exercise (``NotFound`` if unknown)."""
    catalog.exercise(exercise_id)
    if not catalog.is_practice_only(exercise_id):
        raise NotPracticeExercise(
            f"exercise {exercise_id!r} is part of an assessment or a pre/post check: answer it inside the assignment; "
            "its feedback comes when the teacher releases it"
        )
