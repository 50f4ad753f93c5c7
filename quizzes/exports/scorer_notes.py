"""What a human scorer needs for a free-text exercise, as plain lines (QTI rubric block, Moodle graderinfo).

Teachers only: these lines quote the model answer and the loaded words; never put them in a student view.
"""

from __future__ import annotations

from dataclasses import dataclass

from lesson.bundle import LessonPack
from quizzes.exercises import RewriteExercise, ShortAnswerExercise

__all__ = ["GraderNotes", "scorer_notes"]


@dataclass(frozen=True, slots=True)
class GraderNotes:
    """``criteria``: one line per rubric criterion with its points; ``checks``: rewrite conditions."""

    criteria: tuple[str, ...]
    checks: tuple[str, ...]
    model_answer: str
    total: int


def scorer_notes(exercise: ShortAnswerExercise | RewriteExercise, pack: LessonPack) -> GraderNotes:
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
            loaded = []
            for item_id in exercise.loaded:
                also = exercise.loaded_words.get(item_id, ())
                quote = repr(pack.annotation.get(item_id).quote)
                loaded.append(f"{quote} (nor {', '.join(repr(w) for w in also)})" if also else quote)
            checks = [f"The rewrite drops the loaded words: {', '.join(loaded)}."]
            if exercise.keep:
                kept = [repr(k) + (f" (or {', '.join(repr(a) for a in exercise.aliases[k])})" if k in exercise.aliases else "") for k in exercise.keep]
                checks.append(f"It keeps the facts: {', '.join(kept)}.")
            checks.append("It says the same thing in neutral words (no new judgement added), keeping most of the sentence.")
            return GraderNotes((), tuple(checks), exercise.model_answer, exercise.points)
