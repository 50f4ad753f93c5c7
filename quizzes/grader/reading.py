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
columns of :data:`quizzes.records.CONVENIENCE_COLUMNS`; or wide form, one row per student, with ``student`` and one
column per exercise id (no ``exercise`` column), each cell holding JSON or the exercise type's
natural convenience value (:mod:`quizzes.grader.csv_reading`). See ``docs/grading-script.md``.
"""

from __future__ import annotations

import io
import json
import json.scanner
import os
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Literal

from quizzes.grader.csv_reading import read_csv
from quizzes.records import MAX_STUDENT, UTF8_BOM, AnswerRecord, RecordError, json_error_reason, json_kind, student_problem

__all__ = [
    "InputFormat",
    "detect_format",
    "read_answers",
    "read_answer_lines",
    "read_jsonl_part",
    "split_jsonl",
]

InputFormat = Literal["jsonl", "csv"]

_JSON_SUFFIXES = {".jsonl", ".ndjson", ".json", ".jsonlines"}


def detect_format(path: Path | str, head: bytes = b"") -> InputFormat:
    """``csv`` for ``*.csv``, ``jsonl`` for JSON suffixes; otherwise by the first non-blank byte."""
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in _JSON_SUFFIXES:
        return "jsonl"
    stripped = head.removeprefix(UTF8_BOM).lstrip()
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

    return read_csv(stream, name, owned)


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
                    yield AnswerRecord(student, exercise, data["response"], name, number, False, _response_key(line, data), data.get("review"))
                    continue
            yield from _slow_jsonl_record(data, name, number)
    finally:
        if owned is not None:
            owned.close()


_BLANK = object()


def _response_key(line: bytes, data: dict[str, Any]) -> bytes | None:
    """The line from its first ``"response"`` on, when that text determines the response exactly.

    It does when ``response`` is the object's last member and no backslash comes before that first
    ``"response"``: then no escaped quote or escaped key can precede it, so the tail holds the
    whole last member, and two lines with equal tails (which close the same brackets) parse to the
    same response. Otherwise ``None`` (the caller then keys by the parsed value).
    """
    at = line.find(b'"response"')
    if at < 0 or line.find(b"\\", 0, at) >= 0 or next(reversed(data)) != "response":
        return None
    return line[at:]


def _slow_loads(line: bytes, number: int) -> Any:
    """``json.loads`` of one line: the data, ``_BLANK`` for a blank line, or a RecordError (without file)."""
    if number == 1 and line.startswith(UTF8_BOM):
        line = line[3:]
    if not line.strip():
        return _BLANK
    try:
        return json.loads(line)
    except UnicodeDecodeError as error:
        return RecordError("", number, f"not valid UTF-8 (byte {error.start + 1} of the line)")
    except ValueError as error:
        return RecordError("", number, f"malformed JSON: {json_error_reason(error)}")


def _slow_jsonl_record(data: Any, name: str, number: int) -> Iterator[AnswerRecord | RecordError]:
    """The rare shapes: per-attempt records and every kind of mistake, with a precise reason."""
    if not isinstance(data, dict):
        yield RecordError(name, number, f"expected a JSON object, found {json_kind(data)}")
        return
    problem = student_problem(data.get("student"))
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
            yield RecordError(name, number, f"'answers' must be an object keyed by exercise id, found {json_kind(answers)}")
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
        yield RecordError(name, number, f"'exercise' must be a string, found {json_kind(exercise)}")
    elif "response" not in data:
        yield RecordError(name, number, "missing 'response'")
    else:  # pragma: no cover - the fast path takes every remaining valid shape
        yield AnswerRecord(student, exercise, data["response"], name, number)


