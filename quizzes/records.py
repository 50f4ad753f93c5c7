"""Answer records: one student's answer to one exercise as read from a class's file, or why a line is not one.

Shared by the grading script's readers (:mod:`quizzes.grader.reading`, :mod:`quizzes.grader.csv_reading`)
and the marks exports of :mod:`quizzes.exports.formats`, which read the same files: the record types,
the checks on a student name, JSON errors in a teacher's words, and the spreadsheet convenience
columns (``choice``, ``pairs``, ``quotes``...) turned into response data once the exercise type is known.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AnswerRecord",
    "RecordError",
    "MAX_STUDENT",
    "UTF8_BOM",
    "CONVENIENCE_COLUMNS",
    "json_error_reason",
    "json_kind",
    "student_problem",
    "response_from_cells",
]

MAX_STUDENT = 200
"""Longest student name or id accepted, in code points."""

UTF8_BOM = b"\xef\xbb\xbf"

CONVENIENCE_COLUMNS = ("choice", "choices", "pairs", "quotes", "labels", "source", "cue", "content", "text", "certainty")
"""Long-form CSV columns that spell a response without JSON (see :func:`response_from_cells`)."""

_LIST_SEPARATOR = ";"
_QUOTE_SEPARATOR = "|"


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a microsecond more per record, on a million records
class AnswerRecord:
    """One student's answer to one exercise, as read; ``response`` is not validated yet.

    ``response`` is JSON-like data (a dict for a valid record) or, for CSV convenience columns, a
    ``dict[str, str]`` of cells with ``cells=True``; :func:`response_from_cells` turns those into
    response data once the exercise type is known.

    ``key``, when set, is raw text that determines ``response`` exactly (equal keys, equal
    responses): the grading script caches outcomes by it instead of re-serialising the response.
    """

    student: str
    exercise: str
    response: Any
    file: str
    line: int
    cells: bool = False
    key: bytes | None = None
    review: Any = None
    """A teacher's review of this answer, as ``{"earned", "comment"?, "reviewer"?}`` (what the API's
    answers export carries), applied to a provisional score; ``None`` for none."""


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that cannot be graded: where it is and why, in words a teacher can act on."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def json_error_reason(error: ValueError) -> str:
    """A JSON error in a teacher's words, with its column in the line."""
    if isinstance(error, json.JSONDecodeError):
        if error.pos >= len(error.doc.rstrip()):
            return f"{error.msg} at the end of the line (is something missing?)"
        return f"{error.msg} at column {error.pos + 1}"
    return str(error)


def student_problem(student: Any) -> str | None:
    """Why ``student`` cannot name a student (missing, not a string, empty, too long), or ``None``."""
    if student is None:
        return "missing 'student'"
    if not isinstance(student, str):
        return f"'student' must be a string, found {json_kind(student)}"
    if not student.strip():
        return "'student' is empty"
    if len(student) > MAX_STUDENT:
        return f"'student' is longer than {MAX_STUDENT} characters"
    return None


def json_kind(value: Any) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "a list"
        case dict():
            return "an object"
        case _:
            return type(value).__name__


def response_from_cells(exercise_type: str, cells: dict[str, str]) -> dict[str, Any]:
    """Build response data for ``exercise_type`` from CSV convenience cells.

    Long form: ``choice`` (an option id), ``choices`` (option ids separated by ``;``), ``pairs``
    (``left=right`` separated by ``;``), ``quotes`` (exact quotes separated by ``|``) with optional
    ``labels`` (one per quote, separated by ``|``), ``source``/``cue``/``content`` (exact quotes),
    ``text``, and ``certainty`` (1-3). Wide form: the one cell ``value`` is JSON when it starts with
    ``{``, otherwise the type's natural column (``choice``, ``choices``, ``pairs``, ``quotes`` or
    ``text``). Raises ``ValueError`` with a reason when the cells do not fit the type.
    """
    if set(cells) == {"value"}:
        value = cells["value"].strip()
        if value.startswith("{"):
            try:
                data = json.loads(value)
            except ValueError as error:
                raise ValueError(f"the cell is not valid JSON: {json_error_reason(error)}") from error
            return data
        natural = _NATURAL.get(exercise_type)
        if natural is None:
            raise ValueError(f"a {exercise_type} answer must be written as JSON in the cell")
        cells = {natural: cells["value"]}
    allowed = _ALLOWED[exercise_type] | {"certainty"}
    extra = sorted(set(cells) - allowed)
    if extra:
        raise ValueError(f"column(s) {', '.join(extra)} do not apply to a {exercise_type} exercise (use {', '.join(sorted(allowed))})")
    data: dict[str, Any] = {"type": exercise_type}
    if "certainty" in cells:
        try:
            data["certainty"] = int(cells["certainty"].strip())
        except ValueError as error:
            raise ValueError(f"certainty must be 1, 2 or 3, not {cells['certainty']!r}") from error
    if "choice" in cells:
        data["choice"] = cells["choice"].strip()
    if "choices" in cells:
        data["choices"] = [c.strip() for c in cells["choices"].split(_LIST_SEPARATOR) if c.strip()]
    if "pairs" in cells:
        data["pairs"] = _pairs(cells["pairs"])
    if "text" in cells:
        data["text"] = cells["text"]
    if "quotes" in cells:
        data["spans"] = _spans(cells["quotes"], cells.get("labels"))
    for role in ("source", "cue", "content"):
        if role in cells:
            data[role] = {"exact": cells[role].strip()}
    return data


_NATURAL = {
    "single_choice": "choice",
    "multi_choice": "choices",
    "match": "pairs",
    "highlight": "quotes",
    "label_spans": "quotes",
    "short_answer": "text",
    "rewrite": "text",
}
_ALLOWED: dict[str, set[str]] = {
    "single_choice": {"choice"},
    "multi_choice": {"choices"},
    "match": {"pairs"},
    "highlight": {"quotes"},
    "label_spans": {"quotes", "labels"},
    "attribution_roles": {"source", "cue", "content"},
    "short_answer": {"text"},
    "rewrite": {"text"},
}


def _pairs(cell: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in cell.split(_LIST_SEPARATOR):
        if not part.strip():
            continue
        left, equals, right = part.partition("=")
        if not equals or not left.strip() or not right.strip():
            raise ValueError(f"pairs are written left=right separated by ';', not {part.strip()!r}")
        pairs[left.strip()] = right.strip()
    return pairs


def _spans(quotes_cell: str, labels_cell: str | None) -> list[dict[str, str]]:
    quotes = [q.strip() for q in quotes_cell.split(_QUOTE_SEPARATOR)]
    if any(not q for q in quotes):
        raise ValueError("an empty quote between '|' separators")
    spans: list[dict[str, str]] = [{"exact": q} for q in quotes]
    if labels_cell is not None:
        labels = [label.strip() for label in labels_cell.split(_QUOTE_SEPARATOR)]
        if len(labels) != len(quotes):
            raise ValueError(f"{len(quotes)} quote(s) but {len(labels)} label(s); give one label per quote, separated by '|'")
        for span, label in zip(spans, labels):
            span["label"] = label
    return spans
