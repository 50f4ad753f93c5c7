"""Exercise and response builders shared by the scoring tests."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from lesson.bundle import LessonPack
from quizzes.exercises import AttributionRolesExercise, HighlightExercise, LabelSpansExercise
from quizzes.responses import HighlightResponse, LabelSpansResponse, SpanAnswer
from tests.quizzes.scoring.builders import build_pack, span_of

PACK: LessonPack = build_pack()
TEXT = PACK.article.text


def highlight(**changes: Any) -> HighlightExercise:
    fields: dict[str, Any] = dict(
        id="h", skill="framing", title="Loaded words", prompt="Mark the words that judge.", scope=("b1",),
        labels=("loaded_language", "name_calling"), key=("frm-regime", "frm-thugs"), foils=("foil-calm",), points=3,
    )
    fields.update(changes)
    return HighlightExercise(**fields)


def label_spans(**changes: Any) -> LabelSpansExercise:
    fields: dict[str, Any] = dict(
        id="l", skill="framing", title="Name them", prompt="Mark and label.", scope=("b1",),
        label_options=("loaded_language", "name_calling", "doubt"), key=("frm-regime", "frm-thugs"),
        foils=("foil-calm",), related_credit=Fraction(1, 2),
    )
    fields.update(changes)
    return LabelSpansExercise(**fields)


def roles(**changes: Any) -> AttributionRolesExercise:
    fields: dict[str, Any] = dict(
        id="r", skill="attribution", title="Roles", prompt="Who, how, what?", scope=("b2",), claim="att-mayor",
    )
    fields.update(changes)
    return AttributionRolesExercise(**fields)


def quotes(*marked: str, label: str | None = None) -> HighlightResponse:
    return HighlightResponse(spans=tuple(SpanAnswer(exact=q, label=label) for q in marked))


def labelled(*pairs: tuple[str, str]) -> LabelSpansResponse:
    return LabelSpansResponse(spans=tuple(SpanAnswer(exact=q, label=lbl) for q, lbl in pairs))


def at(quote: str, occurrence: int = 1, label: str | None = None) -> SpanAnswer:
    start, end = span_of(TEXT, quote, occurrence)
    return SpanAnswer(start=start, end=end, label=label)
