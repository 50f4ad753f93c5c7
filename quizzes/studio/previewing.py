"""Previewing an exercise as a student sees it, with the scorer's result for three answers.

For the teacher building an exercise: the model answer (the key itself), an empty answer, and
"mark everything" (every block in scope marked whole, every option chosen, every left item paired
with the first right one). A good span exercise gives the model answer full credit, the empty
answer nothing and "mark everything" little: the three outcomes show at once whether it does.
"""

from __future__ import annotations

from typing import assert_never

from pydantic import BaseModel, ConfigDict

from lesson.bundle import LessonPack
from quizzes.bank import Bank
from quizzes.reference_responses import empty_response, perfect_response
from quizzes.exercises import (
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.responses import (
    AttributionRolesResponse,
    HighlightResponse,
    LabelSpansResponse,
    MatchResponse,
    MultiChoiceResponse,
    Response,
    SpanAnswer,
)
from quizzes.scoring import score
from quizzes.views import ExerciseView, OutcomeView, exercise_view, outcome_view

__all__ = ["PreviewOut", "everything_response", "preview_exercise", "preview_bank"]


class PreviewOut(BaseModel):
    """One exercise as the student sees it, and what the scorer gives three answers (student views)."""

    model_config = ConfigDict(frozen=True)

    exercise: ExerciseView
    model_answer: OutcomeView
    empty_answer: OutcomeView
    mark_everything: OutcomeView | None = None


def everything_response(exercise: Exercise, pack: LessonPack) -> Response | None:
    """The answer that marks or chooses everything; ``None`` where there is no such answer
    (single choice, short answer, rewrite)."""
    blocks = [pack.article.block(b) for b in exercise.scope]
    whole = tuple(SpanAnswer(start=b.start, end=b.end) for b in blocks)
    match exercise:
        case HighlightExercise():
            return HighlightResponse(spans=whole)
        case LabelSpansExercise():
            return LabelSpansResponse(spans=tuple(SpanAnswer(start=b.start, end=b.end, label=exercise.label_options[0]) for b in blocks))
        case AttributionRolesExercise():
            return AttributionRolesResponse(content=whole[0]) if whole else None
        case MultiChoiceExercise():
            return MultiChoiceResponse(choices=tuple(o.id for o in exercise.options))
        case MatchExercise():
            return MatchResponse(pairs={item.id: exercise.right[0].id for item in exercise.left})
        case SingleChoiceExercise() | ShortAnswerExercise() | RewriteExercise():
            return None
        case _:
            assert_never(exercise)


def _outcome(exercise: Exercise, response: Response, pack: LessonPack) -> OutcomeView:
    return outcome_view(score(exercise, response, pack), exercise.feedback_policy)


def preview_exercise(exercise: Exercise, bank: Bank) -> PreviewOut:
    pack = bank.pack
    everything = everything_response(exercise, pack)
    return PreviewOut(
        exercise=exercise_view(exercise, pack.id),
        model_answer=_outcome(exercise, perfect_response(exercise, pack), pack),
        empty_answer=_outcome(exercise, empty_response(exercise), pack),
        mark_everything=_outcome(exercise, everything, pack) if everything is not None else None,
    )


def preview_bank(bank: Bank) -> list[PreviewOut]:
    """Every exercise of a bank, in file order."""
    return [preview_exercise(exercise, bank) for exercise in bank.exercises.values()]
