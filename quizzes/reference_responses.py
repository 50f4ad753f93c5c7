"""Reference responses built from an exercise's own key: perfect, empty and invalid.

The empty response is what an unanswered exercise is scored as (the API's submit,
:func:`quizzes.submission.grade_submission`); the studio previews an exercise with all three. The tests
of the engine, the API, the CLI and the web client use them to check every exercise of a bank end to
end: the perfect answer earns full credit (or, for ``short_answer`` and ``rewrite``, a
provisional score awaiting review), the empty one 0 and the invalid one the status ``invalid``.
Never sent to students: the perfect response *is* the key.
"""

from __future__ import annotations

from typing import assert_never

from lesson.bundle import LessonPack
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
    RewriteResponse,
    ShortAnswerResponse,
    SingleChoiceResponse,
    SpanAnswer,
)

__all__ = ["perfect_response", "empty_response", "invalid_response", "NOT_IN_TEXT"]

NOT_IN_TEXT = "zq-not-in-any-text-qz"
"""A quote no article contains, for invalid span answers."""


def perfect_response(exercise: Exercise, pack: LessonPack) -> Response:
    """The answer the key describes: key spans at their main boundaries, correct options, the model answer."""
    annotation = pack.annotation
    match exercise:
        case HighlightExercise():
            return HighlightResponse(
                spans=tuple(SpanAnswer(start=annotation.get(i).start, end=annotation.get(i).end) for i in exercise.key)
            )
        case LabelSpansExercise():
            spans = []
            for item_id in exercise.key:
                item = annotation.get(item_id)
                label = next((lbl for lbl in item.labels if lbl in exercise.label_options), item.labels[0])
                spans.append(SpanAnswer(start=item.start, end=item.end, label=label))
            return LabelSpansResponse(spans=tuple(spans))
        case SingleChoiceExercise():
            return SingleChoiceResponse(choice=next(o.id for o in exercise.options if o.correct))
        case MultiChoiceExercise():
            return MultiChoiceResponse(choices=tuple(o.id for o in exercise.options if o.correct))
        case MatchExercise():
            return MatchResponse(pairs=dict(exercise.pairs))
        case AttributionRolesExercise():
            roles = annotation.get(exercise.claim).roles
            assert roles is not None

            def span(role: str) -> SpanAnswer | None:
                value = getattr(roles, role)
                return None if value is None else SpanAnswer(start=value.start, end=value.end)

            return AttributionRolesResponse(source=span("source"), cue=span("cue"), content=span("content"))
        case ShortAnswerExercise():
            return ShortAnswerResponse(text=exercise.model_answer)
        case RewriteExercise():
            return RewriteResponse(text=exercise.model_answer)
        case _:
            assert_never(exercise)


def empty_response(exercise: Exercise) -> Response:
    """An unanswered response of the exercise's type (scores 0)."""
    match exercise:
        case HighlightExercise():
            return HighlightResponse()
        case LabelSpansExercise():
            return LabelSpansResponse()
        case SingleChoiceExercise():
            return SingleChoiceResponse()
        case MultiChoiceExercise():
            return MultiChoiceResponse()
        case MatchExercise():
            return MatchResponse()
        case AttributionRolesExercise():
            return AttributionRolesResponse()
        case ShortAnswerExercise():
            return ShortAnswerResponse()
        case RewriteExercise():
            return RewriteResponse()
        case _:
            assert_never(exercise)


def invalid_response(exercise: Exercise) -> Response:
    """A well-formed response that cannot be read against the exercise (status ``invalid``)."""
    bad_span = SpanAnswer(exact=NOT_IN_TEXT)
    match exercise:
        case HighlightExercise():
            return HighlightResponse(spans=(bad_span,))
        case LabelSpansExercise():
            return LabelSpansResponse(spans=(SpanAnswer(exact=NOT_IN_TEXT, label=exercise.label_options[0]),))
        case SingleChoiceExercise():
            return SingleChoiceResponse(choice="no-such-option")
        case MultiChoiceExercise():
            return MultiChoiceResponse(choices=("no-such-option",))
        case MatchExercise():
            return MatchResponse(pairs={"no-such-item": exercise.right[0].id})
        case AttributionRolesExercise():
            return AttributionRolesResponse(content=bad_span)
        case ShortAnswerExercise():
            return ShortAnswerResponse(text="?!")
        case RewriteExercise():
            return RewriteResponse(text="?!")
        case _:
            assert_never(exercise)
