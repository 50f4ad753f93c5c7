"""Reading class answer files for the grading script, one record at a time.

Two input formats, both streamed (memory does not grow with the file), both tolerant of a UTF-8
byte-order mark and of Windows line endings. Every problem is a :class:`RecordError` naming the
file, the 1-based line and the reason; reading then goes on with the next record.

**JSON Lines** (``.jsonl``, ``.ndjson``, ``.json``): one JSON object per line, either one answer::

    {"student": "ana", "exercise": "att-03", "response": {"type": "highlight", "spans": [{"start": 10, "end": 24}]}}

or one attempt, answers keyed by exercise id::

    {"student": "ana", "answers": {"att-03": {"spans": [{"exact": "Kiev regime"}]}, "fun-01": {"choice": "b"}}}

Other keys (``class``, ``submitted_at``...) are ignored. Blank lines are skipped.

**CSV** (``.csv``, header row required), long form, one row per answer, with columns
``student,exercise`` and either ``response`` (the response as JSON in the cell) or the convenience
columns of :data:`CONVENIENCE_COLUMNS`; or wide form, one row per student, with ``student`` and one
column per exercise id (no ``exercise`` column), each cell holding JSON or the exercise type's
natural convenience value. See ``docs/grading-script.md`` and :func:`response_from_cells`.
"""

from __future__ import annotations

import csv
import io
import json
import json.scanner
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Literal

__all__ = [
    "AnswerRecord",
    "RecordError",
    "InputFormat",
    "CONVENIENCE_COLUMNS",
    "MAX_STUDENT",
    "detect_format",
    "read_answers",
    "read_answer_lines",
    "read_jsonl_part",
    "split_jsonl",
    "response_from_cells",
]

InputFormat = Literal["jsonl", "csv"]

MAX_STUDENT = 200
"""Longest student name or id accepted, in code points."""

CONVENIENCE_COLUMNS = ("choice", "choices", "pairs", "quotes", "labels", "source", "cue", "content", "text", "certainty")
"""Long-form CSV columns that spell a response without JSON (see :func:`response_from_cells`)."""

_BOM = b"\xef\xbb\xbf"
_LIST_SEPARATOR = ";"
_QUOTE_SEPARATOR = "|"
_JSON_SUFFIXES = {".jsonl", ".ndjson", ".json", ".jsonlines"}


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a microsecond more per record, on a million records
class AnswerRecord:
    """One student's answer to one exercise, as read; ``response`` is not validated yet.

    ``response`` is JSON-like data (a dict for a valid record) or, for CSV convenience columns, a
    ``dict[str, str]`` of cells with ``cells=True``; :func:`response_from_cells` turns those into
    response data once the exercise type is known.
    """

    student: str
    exercise: str
    response: Any
    file: str
    line: int
    cells: bool = False


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that cannot be graded: where it is and why, in words a teacher can act on."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def detect_format(path: Path | str, head: bytes = b"") -> InputFormat:
    """``csv`` for ``*.csv``, ``jsonl`` for JSON suffixes; otherwise by the first non-blank byte."""
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in _JSON_SUFFIXES:
        return "jsonl"
    stripped = head.removeprefix(_BOM).lstrip()
    return "jsonl" if stripped.startswith(b"{") else "csv"


def read_answers(path: Path | str, input_format: InputFormat | None = None) -> Iterator[AnswerRecord | RecordError]:
    """Stream the answers in ``path`` (``-`` for standard input), in file order.

    Raises ``OSError`` at once when the file cannot be opened; everything wrong inside it is
    yielded as a :class:`RecordError`. The file is closed when the stream is exhausted or dropped.
    """
    name = str(path)
    stream: IO[bytes]
    if name == "-":
        stream, name, owned = sys.stdin.buffer, "<stdin>", None
    else:
        stream = owned = open(path, "rb")
    if input_format is None:
        buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
        input_format = detect_format(name, buffered.peek(4096)[:4096])
        stream = buffered
    # the reader generator is returned as is (not wrapped in another one): a million records pay no delegation
    if input_format == "jsonl":
        return _read_jsonl(stream, name, owned)
    return _read_csv(stream, name, owned)


def split_jsonl(path: Path | str) -> tuple[int, int]:
    """Where to cut a JSON Lines file in two for two readers: ``(offset, lines_before)``.

    ``offset`` is the start of the first line at or after the middle of the file (the file size
    when there is none) and ``lines_before`` the number of lines before it.
    """
    size = os.path.getsize(path)
    lines_before = 0
    with open(path, "rb") as stream:
        stream.seek(size // 2)
        stream.readline()
        offset = stream.tell() if size else 0
        stream.seek(0)
        remaining = offset
        while remaining > 0:
            chunk = stream.read(min(remaining, 1 << 20))
            if not chunk:
                break
            lines_before += chunk.count(b"\n")
            remaining -= len(chunk)
    return offset, lines_before


def read_jsonl_part(path: Path | str, start: int, stop: int | None, first_line: int) -> Iterator[AnswerRecord | RecordError]:
    """The records of the JSON Lines file ``path`` in bytes ``[start, stop)`` (``stop=None``: to the end).

    ``start`` and ``stop`` must be line starts (see :func:`split_jsonl`); ``first_line`` is the
    1-based number of the line at ``start``, so errors name the right line.
    """
    stream = open(path, "rb")
    stream.seek(start)
    lines: Iterable[bytes] = stream if stop is None else _lines_until(stream, stop - start)
    return _read_jsonl(lines, str(path), stream, first_line)


def _lines_until(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    used = 0
    if limit <= 0:
        return
    for line in stream:
        yield line
        used += len(line)
        if used >= limit:
            return


def read_answer_lines(lines: Iterable[bytes], name: str) -> Iterator[AnswerRecord | RecordError]:
    """Stream JSON Lines records from ``lines`` (e.g. an HTTP response), named ``name`` in errors."""
    return _read_jsonl(lines, name, None)


# --- JSON Lines -------------------------------------------------------------------------------


def _read_jsonl(stream: Iterable[bytes], name: str, owned: IO[bytes] | None, first_line: int = 1) -> Iterator[AnswerRecord | RecordError]:
    # The C scanner of the standard json module, called directly: json.loads adds three Python
    # calls per line (encoding detection, decode, raw_decode). Anything unusual (a BOM, bad UTF-8,
    # malformed JSON, trailing data) goes through json.loads for its exact error message.
    scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[no-untyped-call]
    try:
        for number, line in enumerate(stream, first_line):
            try:
                text = line.decode()
                data, end = scan(text, 0)
                if end != len(text) and text[end:].strip():
                    raise ValueError("extra data")
            except (ValueError, StopIteration):
                data = _slow_loads(line, number)
                if data is _BLANK:
                    continue
                if isinstance(data, RecordError):
                    data = RecordError(name, number, data.reason)
                    yield data
                    continue
            if type(data) is dict:
                student = data.get("student")
                exercise = data.get("exercise")
                if type(student) is str and type(exercise) is str and 0 < len(student) <= MAX_STUDENT and "response" in data and "answers" not in data:
                    yield AnswerRecord(student, exercise, data["response"], name, number)
                    continue
            yield from _slow_jsonl_record(data, name, number)
    finally:
        if owned is not None:
            owned.close()


_BLANK = object()


def _slow_loads(line: bytes, number: int) -> Any:
    """``json.loads`` of one line: the data, ``_BLANK`` for a blank line, or a RecordError (without file)."""
    if number == 1 and line.startswith(_BOM):
        line = line[3:]
    if not line.strip():
        return _BLANK
    try:
        return json.loads(line)
    except UnicodeDecodeError as error:
        return RecordError("", number, f"not valid UTF-8 (byte {error.start + 1} of the line)")
    except ValueError as error:
        return RecordError("", number, f"malformed JSON: {_json_reason(error)}")


def _json_reason(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        if error.pos >= len(error.doc.rstrip()):
            return f"{error.msg} at the end of the line (is something missing?)"
        return f"{error.msg} at column {error.pos + 1}"
    return str(error)


def _slow_jsonl_record(data: Any, name: str, number: int) -> Iterator[AnswerRecord | RecordError]:
    """The rare shapes: per-attempt records and every kind of mistake, with a precise reason."""
    if not isinstance(data, dict):
        yield RecordError(name, number, f"expected a JSON object, found {_json_kind(data)}")
        return
    problem = _student_problem(data.get("student"))
    if problem:
        yield RecordError(name, number, problem)
        return
    student = data["student"]
    if "answers" in data:
        if "exercise" in data or "response" in data:
            yield RecordError(name, number, "give either 'answers' (one attempt) or 'exercise' and 'response' (one answer), not both")
            return
        answers = data["answers"]
        if not isinstance(answers, dict):
            yield RecordError(name, number, f"'answers' must be an object keyed by exercise id, found {_json_kind(answers)}")
            return
        if not answers:
            yield RecordError(name, number, "'answers' is empty")
            return
        for exercise, response in answers.items():
            yield AnswerRecord(student, exercise, response, name, number)
        return
    exercise = data.get("exercise")
    if exercise is None:
        yield RecordError(name, number, "missing 'exercise' (or 'answers' for a whole attempt)")
    elif not isinstance(exercise, str):
        yield RecordError(name, number, f"'exercise' must be a string, found {_json_kind(exercise)}")
    elif "response" not in data:
        yield RecordError(name, number, "missing 'response'")
    else:  # pragma: no cover - the fast path takes every remaining valid shape
        yield AnswerRecord(student, exercise, data["response"], name, number)


def _student_problem(student: Any) -> str | None:
    if student is None:
        return "missing 'student'"
    if not isinstance(student, str):
        return f"'student' must be a string, found {_json_kind(student)}"
    if not student.strip():
        return "'student' is empty"
    if len(student) > MAX_STUDENT:
        return f"'student' is longer than {MAX_STUDENT} characters"
    return None


def _json_kind(value: Any) -> str:
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


# --- CSV --------------------------------------------------------------------------------------


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
        if self.number == 1 and raw.startswith(_BOM):
            raw = raw[3:]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.undecodable.add(self.number)
            return raw.decode("utf-8", errors="replace")


def _read_csv(stream: Iterable[bytes], name: str, owned: IO[bytes] | None) -> Iterator[AnswerRecord | RecordError]:
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
        problem = _student_problem(student)
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
            return RecordError(name, line, f"the response cell is not valid JSON: {_json_reason(error)}")
    return AnswerRecord(student, exercise, given, name, line, cells=True)


# --- convenience cells → response data -------------------------------------------------------


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
                raise ValueError(f"the cell is not valid JSON: {_json_reason(error)}") from error
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
