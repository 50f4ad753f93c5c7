"""The gradebook as a file a spreadsheet or an LMS imports: ``plain``, ``canvas``, ``moodle``, ``json``.

Rows come from ``quizzes.gradebook`` (the same rows the API's ``results`` routes serve), so the
``plain`` shape is exactly the API's ``results.csv``. Points are exact inside ``quizzes`` and
rounded here, at the edge, to two decimals. Every text cell is guarded against spreadsheet formula
injection. The columns of each shape are documented in ``docs/grading-script.md``.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import IO, Iterable, Literal, Sequence

from quizzes.bank import Quiz
from quizzes.exercises import Exercise
from quizzes.gradebook import GradebookRow, csv_columns, row_cells

__all__ = [
    "GradebookFormat",
    "FORMATS",
    "write_gradebook",
    "gradebook_head",
    "write_gradebook_body",
    "gradebook_tail",
    "points",
    "spreadsheet_safe",
]

GradebookFormat = Literal["plain", "canvas", "moodle", "json"]
FORMATS: tuple[GradebookFormat, ...] = ("plain", "canvas", "moodle", "json")


def points(value: Fraction) -> str:
    """Points rounded to two decimals, as ``quizzes.gradebook`` writes them."""
    return f"{float(value):.2f}"


def spreadsheet_safe(cell: str) -> str:
    """``cell``, prefixed with ``'`` when a spreadsheet would run it as a formula (CSV injection)."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def write_gradebook(stream: IO[str], rows: Iterable[GradebookRow], quiz: Quiz, exercises: Sequence[Exercise], shape: GradebookFormat) -> int:
    """Write ``rows`` to ``stream`` (opened with ``newline=""``) in ``shape``; returns the number of students written."""
    stream.write(gradebook_head(quiz, exercises, shape))
    count = write_gradebook_body(stream, rows, quiz, exercises, shape, first=True)
    stream.write(gradebook_tail(shape))
    return count


def gradebook_head(quiz: Quiz, exercises: Sequence[Exercise], shape: GradebookFormat) -> str:
    """What comes before the students: the header row(s), or the opening of the JSON document."""
    out = io.StringIO()
    match shape:
        case "plain":
            csv.writer(out).writerow(csv_columns(exercises))
        case "canvas":
            # Canvas's gradebook import matches students on "SIS User ID" (or "ID" / "SIS Login ID")
            # and creates a new assignment for a column header without an "(id)" suffix; the row
            # starting with "Points Possible" sets that assignment's maximum.
            writer = csv.writer(out)
            writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", quiz.title])
            writer.writerow(["    Points Possible", "", "", "", "", points(_total_possible(exercises))])
        case "moodle":
            # Moodle's "Import > CSV file" maps one column to a user field (here "ID number") and the
            # others to grade items; "Feedback" can be mapped to the feedback of the total.
            csv.writer(out).writerow(["ID number", quiz.title] + [f"{e.id}: {e.title}" for e in exercises] + ["Feedback"])
        case "json":
            head = {
                "quiz": quiz.id,
                "title": quiz.title,
                "possible": float(_total_possible(exercises)),
                "exercises": [{"id": e.id, "skill": e.skill.value, "points": e.points} for e in exercises],
            }
            out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "students": [')
        case _:
            raise ValueError(f"unknown gradebook format {shape!r}; choose one of {', '.join(FORMATS)}")
    return out.getvalue()


def gradebook_tail(shape: GradebookFormat) -> str:
    return "\n]}\n" if shape == "json" else ""


def write_gradebook_body(
    stream: IO[str], rows: Iterable[GradebookRow], quiz: Quiz, exercises: Sequence[Exercise], shape: GradebookFormat, first: bool
) -> int:
    """The students' part of the gradebook; ``first=False`` continues a body already begun (JSON needs a comma)."""
    match shape:
        case "plain":
            return _plain(stream, rows, exercises)
        case "canvas":
            return _canvas(stream, rows)
        case "moodle":
            return _moodle(stream, rows, exercises)
        case "json":
            return _json(stream, rows, exercises, first)
        case _:
            raise ValueError(f"unknown gradebook format {shape!r}; choose one of {', '.join(FORMATS)}")


def _total_possible(exercises: Sequence[Exercise]) -> Fraction:
    return sum((Fraction(e.points) for e in exercises), Fraction(0))


def _plain(stream: IO[str], rows: Iterable[GradebookRow], exercises: Sequence[Exercise]) -> int:
    writer = csv.writer(stream)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(c) for c in row_cells(exercises, row)])
        count += 1
    return count


def _canvas(stream: IO[str], rows: Iterable[GradebookRow]) -> int:
    writer = csv.writer(stream)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(row.student.name), "", spreadsheet_safe(row.student.id), "", "", points(row.earned)])
        count += 1
    return count


def _moodle(stream: IO[str], rows: Iterable[GradebookRow], exercises: Sequence[Exercise]) -> int:
    writer = csv.writer(stream)
    count = 0
    for row in rows:
        waiting = len(row.awaiting_review)
        feedback = f"{waiting} answer(s) awaiting the teacher's review: {', '.join(row.awaiting_review)}" if waiting else ""
        writer.writerow(
            [spreadsheet_safe(row.student.id), points(row.earned)]
            + [points(row.exercises[e.id].earned) for e in exercises]
            + [feedback]
        )
        count += 1
    return count


def _json(stream: IO[str], rows: Iterable[GradebookRow], exercises: Sequence[Exercise], first: bool) -> int:
    count = 0
    for row in rows:
        entry = {
            "student": row.student.id,
            "earned": round(float(row.earned), 2),
            "possible": round(float(row.possible), 2),
            "percent": round(float(row.percent), 2),
            "exercises": {
                e.id: {"earned": round(float(s.earned), 2), "possible": round(float(s.possible), 2), "status": s.status}
                for e, s in ((e, row.exercises[e.id]) for e in exercises)
            },
            "skills": {k: {"earned": round(float(v[0]), 2), "possible": round(float(v[1]), 2)} for k, v in row.skills.items()},
            "discernment": None if row.discernment is None else round(row.discernment, 3),
            "awaiting_review": list(row.awaiting_review),
        }
        stream.write(("" if first and not count else ",") + "\n  " + json.dumps(entry, ensure_ascii=False))
        count += 1
    return count
