"""What a human scorer needs for a free-text exercise, as plain lines (QTI rubric block, Moodle graderinfo).

Teachers only: these lines quote the model answer and the loaded words; never put them in a student view.
"""

from __future__ import annotations

from dataclasses import dataclass

from lesson.bundle import LessonPack
from quizzes.exercises import RewriteExercise, ShortAnswerExercise

__all__ = ["GraderNotes", "grader_notes"]


@dataclass(frozen=True, slots=True)
class GraderNotes:
    """``criteria``: one line per rubric criterion with its points; ``checks``: rewrite conditions."""

    criteria: tuple[str, ...]
    checks: tuple[str, ...]
    model_answer: str
    total: int


def grader_notes(exercise: ShortAnswerExercise | RewriteExercise, pack: LessonPack) -> GraderNotes:
    """The rubric of ``exercise`` in words: criteria with points (short answer) or the rewrite checks."""
    match exercise:
        case ShortAnswerExercise():
            criteria = tuple(
                f"{c.description} ({c.points} point{'s' if c.points != 1 else ''}); "
                f"look for: {' AND '.join('(' + ' / '.join(group) + ')' for group in c.concepts)}"
                for c in exercise.rubric.criteria
            )
            return GraderNotes(criteria, (), exercise.model_answer, exercise.rubric.total)
        case RewriteExercise():
            loaded = [pack.annotation.get(i).quote for i in exercise.loaded]
            checks = [f"The rewrite drops the loaded words: {', '.join(repr(q) for q in loaded)}."]
            if exercise.keep:
                checks.append(f"It keeps the facts: {', '.join(repr(k) for k in exercise.keep)}.")
            checks.append("It says the same thing in neutral words (no new judgement added).")
            return GraderNotes((), tuple(checks), exercise.model_answer, exercise.points)
