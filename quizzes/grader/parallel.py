"""The grading script on two cores: half of a large JSON Lines file, and half of a large gradebook, in a forked child.

Both halves give exactly what one process gives (the tests compare them): records are split at a
line start and the second half's grades are folded in after the first's (later answers win, as in
one pass), and gradebook rows are independent of each other. When ``fork`` is missing, the machine
has one core, the input is small or not a JSON Lines file, or the child fails, everything runs in
this process.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

from quizzes.bank import Bank, Quiz
from quizzes.grader.reading import detect_format, read_answers, read_jsonl_part, split_jsonl
from quizzes.records import RecordError
from quizzes.grader.grading import ClassGrades, grade_records, gradebook_rows, merge_grades
from quizzes.exercises import Exercise
from quizzes.exports.gradebook_formats import GradebookFormat, gradebook_head, gradebook_tail, write_gradebook_body
from quizzes.grader.forking import Forked, can_fork

__all__ = ["PARALLEL_BYTES", "PARALLEL_STUDENTS", "grade_file", "gradebook_text"]

PARALLEL_BYTES = 2**20
"""JSON Lines files from this size (bytes) are read by two processes.

One mebibyte is a few thousand answers: when they repeat, grading them takes tens of
milliseconds and the fork costs about as much; when they are distinct (a class's span and text
answers), it takes seconds, and the second core halves it."""
PARALLEL_STUDENTS = 2000
"""Gradebooks from this many students are rendered by two processes."""

OnError = Callable[[RecordError], None]


def grade_file(
    bank: Bank,
    quiz: Quiz,
    path: str,
    input_format: Any,
    on_error: OnError,
    on_record: Callable[[], None] | None,
    min_bytes: int = PARALLEL_BYTES,
    detail: bool = True,
) -> ClassGrades:
    """Grade the answers file ``path`` (``-``: standard input), in two processes when it is large JSON Lines.

    Rejected records reach ``on_error`` in file order: the first half's as they occur, the second
    half's once the first half is done. ``detail``: see :func:`quizzes.grader.grading.grade_records`.
    """
    if path == "-" or not can_fork() or Path(path).stat().st_size < min_bytes:
        return grade_records(bank, quiz, read_answers(path, input_format), on_error, on_record, detail)
    with open(path, "rb") as stream:
        if (input_format or detect_format(path, stream.read(4096))) != "jsonl":
            return grade_records(bank, quiz, read_answers(path, input_format), on_error, on_record, detail)
    offset, lines_before = split_jsonl(path)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:

        def second_half() -> tuple[Any, ...]:
            def spool(error: RecordError) -> None:
                errors.write(json.dumps([error.file, error.line, error.reason]) + "\n")

            grades = grade_records(bank, quiz, read_jsonl_part(path, offset, None, lines_before + 1), spool, None, detail)
            errors.flush()
            return grades.payload()

        child = Forked(second_half)
        try:
            first = grade_records(bank, quiz, read_jsonl_part(path, 0, offset, 1), on_error, on_record, detail)
        except BaseException:
            child.cancel()
            raise
        payload = child.result()
        if payload is None:  # the child failed: grade the second half here
            rest = grade_records(bank, quiz, read_jsonl_part(path, offset, None, lines_before + 1), on_error, on_record, detail)
            return merge_grades(first, rest)
        errors.seek(0)
        for line in errors:
            file, number, reason = json.loads(line)
            on_error(RecordError(file, number, reason))
    return merge_grades(first, ClassGrades.from_payload(bank, quiz, payload))


def gradebook_text(
    grades: ClassGrades, quiz: Quiz, exercises: Sequence[Exercise], shape: GradebookFormat, min_students: int = PARALLEL_STUDENTS
) -> list[str]:
    """The gradebook in ``shape`` as text parts, in order; a large class's second half is rendered by a child."""

    def body(students: list[str], first: bool) -> str:
        out = io.StringIO()
        write_gradebook_body(out, gradebook_rows(grades, students), quiz, exercises, shape, first)
        return out.getvalue()

    students = list(grades.answers)
    head, tail = gradebook_head(quiz, exercises, shape), gradebook_tail(shape)
    if len(students) < min_students or not can_fork():
        return [head, body(students, True), tail]
    half = len(students) // 2
    child = Forked(lambda: body(students[half:], False))
    try:
        first = body(students[:half], True)
    except BaseException:
        child.cancel()
        raise
    second = child.result()
    return [head, first, second if second is not None else body(students[half:], False), tail]


