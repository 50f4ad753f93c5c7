"""Student responses: what a student answered, one type per exercise type.

Span answers use the W3C Web Annotation selectors, flattened: ``{"start", "end"}``
(TextPositionSelector, code points) or ``{"exact", "prefix"?, "suffix"?}`` (TextQuoteSelector),
plus ``label`` where the exercise asks for one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

__all__ = [
    "MAX_SPANS",
    "MAX_TEXT",
    "MAX_FIELDS",
    "SpanAnswer",
    "HighlightResponse",
    "LabelSpansResponse",
    "SingleChoiceResponse",
    "MultiChoiceResponse",
    "MatchResponse",
    "AttributionRolesResponse",
    "ShortAnswerResponse",
    "RewriteResponse",
    "Response",
    "parse_response",
]

MAX_SPANS = 200
"""Most spans one answer may mark: well above any key, low enough to bound scoring work."""
MAX_TEXT = 5000
"""Longest free-text answer, in code points."""
MAX_QUOTE = 2000
MAX_FIELDS = 12
"""Most keys one answer object (or one span) may have: every model has fewer fields, and a body
with thousands of unknown keys is refused with one error instead of one per key."""


class Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _few_fields(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) > MAX_FIELDS:
            raise ValueError(f"an answer object has at most {MAX_FIELDS} fields, not {len(data)}")
        return data


class SpanAnswer(Wire):
    """One marked span: by position (``start``/``end``) or by quote (``exact`` with optional context)."""

    type: Literal["TextPositionSelector", "TextQuoteSelector"] | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    exact: str | None = Field(default=None, min_length=1, max_length=MAX_QUOTE)
    prefix: str | None = Field(default=None, max_length=MAX_QUOTE)
    suffix: str | None = Field(default=None, max_length=MAX_QUOTE)
    label: str | None = Field(default=None, max_length=80)

    @model_validator(mode="after")
    def _one_selector(self) -> "SpanAnswer":
        by_position = self.start is not None or self.end is not None
        if by_position and self.exact is not None:
            raise ValueError("give either start/end or exact, not both")
        if by_position and (self.start is None or self.end is None):
            raise ValueError("a position selector needs both start and end")
        if not by_position and self.exact is None:
            raise ValueError("a span needs start/end or exact")
        return self


class ResponseBase(Wire):
    certainty: int | None = Field(default=None, ge=1, le=3, description="optional certainty, 1 (low) to 3 (high)")


class HighlightResponse(ResponseBase):
    type: Literal["highlight"] = "highlight"
    spans: tuple[SpanAnswer, ...] = Field(default=(), max_length=MAX_SPANS)


class LabelSpansResponse(ResponseBase):
    type: Literal["label_spans"] = "label_spans"
    spans: tuple[SpanAnswer, ...] = Field(default=(), max_length=MAX_SPANS)


class SingleChoiceResponse(ResponseBase):
    type: Literal["single_choice"] = "single_choice"
    choice: str | None = Field(default=None, max_length=80)


class MultiChoiceResponse(ResponseBase):
    type: Literal["multi_choice"] = "multi_choice"
    choices: tuple[str, ...] = Field(default=(), max_length=50)


class MatchResponse(ResponseBase):
    type: Literal["match"] = "match"
    pairs: dict[str, str] = Field(default_factory=dict, max_length=50)


class AttributionRolesResponse(ResponseBase):
    type: Literal["attribution_roles"] = "attribution_roles"
    source: SpanAnswer | None = None
    cue: SpanAnswer | None = None
    content: SpanAnswer | None = None


class ShortAnswerResponse(ResponseBase):
    type: Literal["short_answer"] = "short_answer"
    text: str = Field(default="", max_length=MAX_TEXT)


class RewriteResponse(ResponseBase):
    type: Literal["rewrite"] = "rewrite"
    text: str = Field(default="", max_length=MAX_TEXT)


Response = Annotated[
    Union[
        HighlightResponse,
        LabelSpansResponse,
        SingleChoiceResponse,
        MultiChoiceResponse,
        MatchResponse,
        AttributionRolesResponse,
        ShortAnswerResponse,
        RewriteResponse,
    ],
    Field(discriminator="type"),
]

_RESPONSE = TypeAdapter(Response)


def parse_response(exercise_type: str, data: Any) -> Response:
    """Validate raw JSON-like ``data`` as a response to an exercise of ``exercise_type``.

    A missing ``type`` is taken from the exercise; a different one is a validation error.
    Raises ``pydantic.ValidationError``.
    """
    if isinstance(data, dict) and "type" not in data:
        data = {**data, "type": exercise_type}
    response = _RESPONSE.validate_python(data)
    if response.type != exercise_type:
        raise ValueError(f"a {response.type} response does not answer a {exercise_type} exercise")
    return response
