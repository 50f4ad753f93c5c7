"""Reading CSV answer files for the grading script (long form, wide form, convenience columns).

Long form: one row per answer, columns ``student,exercise`` and either ``response`` (JSON) or the
convenience columns of :data:`quizzes.records.CONVENIENCE_COLUMNS`. Wide form: one row per student, ``student`` and
a column per exercise id. See ``docs/grading-script.md``. Lines not in UTF-8, rows with the wrong
number of cells and bad cells are :class:`~quizzes.records.RecordError` s with their line.
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterable, Iterator

from quizzes.records import CONVENIENCE_COLUMNS, UTF8_BOM, AnswerRecord, RecordError, json_error_reason, response_from_cells, student_problem

__all__ = ["read_csv"]


class _Lines:
    """Decodes a byte stream line by line for the csv module, remembering lines that are not UTF-8."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = iter(stream)
        self.number = 0
        self.undecodable: set[int] = set()

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        raw = next(self._stream)
        self.number += 1
        if self.number == 1 and raw.startswith(UTF8_BOM):
            raw = raw[3:]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.undecodable.add(self.number)
            return raw.decode("utf-8", errors="replace")


def read_csv(stream: Iterable[bytes], name: str, owned: IO[bytes] | None) -> Iterator[AnswerRecord | RecordError]:
    """Stream the records of a CSV file's byte lines; ``owned`` (if any) is closed at the end."""
    try:
        yield from _csv_records(stream, name)
    finally:
        if owned is not None:
            owned.close()


def _csv_records(stream: Iterable[bytes], name: str) -> Iterator[AnswerRecord | RecordError]:
    lines = _Lines(stream)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        yield RecordError(name, 1, "the CSV file is empty (a header row is required)")
        return
    except csv.Error as error:
        yield RecordError(name, 1, f"malformed CSV header: {error}")
        return
    columns = [c.strip() for c in header]
    problem = _header_problem(columns)
    if problem:
        yield RecordError(name, 1, problem)
        return
    wide = "exercise" not in columns
    student_at = columns.index("student")
    previous_end = lines.number
    while True:
        start = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            previous_end = lines.number
            yield RecordError(name, start, f"malformed CSV: {error}")
            continue
        previous_end = lines.number
        if any(n in lines.undecodable for n in range(start, previous_end + 1)):
            yield RecordError(name, start, "not valid UTF-8")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield RecordError(name, start, f"expected {len(columns)} cells as in the header, found {len(row)}")
            continue
        student = row[student_at].strip()
        problem = student_problem(student)
        if problem:
            yield RecordError(name, start, problem.replace("'student'", "the student cell"))
            continue
        if wide:
            yield from _wide_row(columns, row, student_at, student, name, start)
        else:
            yield _long_row(dict(zip(columns, row)), student, name, start)


def _header_problem(columns: list[str]) -> str | None:
    if "student" not in columns:
        return f"the header needs a 'student' column; found {', '.join(repr(c) for c in columns)}"
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        return f"the header repeats {', '.join(repr(c) for c in duplicates)}"
    if "exercise" in columns:
        unknown = [c for c in columns if c not in ("student", "exercise", "response", *CONVENIENCE_COLUMNS)]
        if unknown:
            known = ", ".join(("response", *CONVENIENCE_COLUMNS))
            return f"unknown column(s) {', '.join(repr(c) for c in unknown)}; a long-form CSV may have: student, exercise, {known}"
        if "response" not in columns and not any(c in columns for c in CONVENIENCE_COLUMNS):
            return "a long-form CSV needs a 'response' column or convenience columns (choice, choices, pairs, quotes, text...)"
    elif len(columns) < 2:
        return "a wide CSV needs a column per exercise id after 'student'"
    return None


def _wide_row(columns: list[str], row: list[str], student_at: int, student: str, name: str, line: int) -> Iterator[AnswerRecord | RecordError]:
    for index, (column, cell) in enumerate(zip(columns, row)):
        if index == student_at or not cell.strip():
            continue  # an empty cell is an unanswered exercise, which scores 0 like any missing answer
        yield AnswerRecord(student, column, {"value": cell}, name, line, cells=True)


def _long_row(cells: dict[str, str], student: str, name: str, line: int) -> AnswerRecord | RecordError:
    exercise = cells["exercise"].strip()
    if not exercise:
        return RecordError(name, line, "the exercise cell is empty")
    raw = cells.get("response", "").strip()
    given = {c: cells[c] for c in CONVENIENCE_COLUMNS if c in cells and cells[c].strip()}
    if raw:
        if given:
            return RecordError(name, line, f"give the response either as JSON in 'response' or in {', '.join(given)}, not both")
        try:
            return AnswerRecord(student, exercise, json.loads(raw), name, line)
        except ValueError as error:
            return RecordError(name, line, f"the response cell is not valid JSON: {json_error_reason(error)}")
    return AnswerRecord(student, exercise, given, name, line, cells=True)


# --- convenience cells → response data -------------------------------------------------------


