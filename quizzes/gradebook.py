"""Gradebook rows and their CSV: pure functions over (student, attempt, outcomes) records.

Used by the API (``/assignments/{id}/results`` and ``results.csv``) and reusable by the grading
script: nothing here knows HTTP, SQL or files. Points stay exact (``Fraction``) in the rows and are
rounded to two decimals only when written out (:func:`row_cells`).

Policies:

- An exercise without an outcome (never answered, or not scored) earns 0 of its points and shows
  as ``unanswered``; the row's ``possible`` is always the quiz's full points, so rows compare.
- ``awaiting_review`` lists exercises whose outcome is ``needs_review`` and not yet reviewed.
- ``discernment`` is the balanced accuracy of the student's span answers in [0, 1]
  (the engine's :func:`quizzes.submission.discernment_of`; ``None`` without any key span).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

from quizzes.submission import discernment_of
from quizzes.exercises import Exercise
from quizzes.outcome import Outcome, SpanCounts, Status

__all__ = [
    "StudentRef",
    "AttemptRef",
    "GradeRecord",
    "ExerciseScore",
    "GradebookRow",
    "build_rows",
    "csv_columns",
    "row_cells",
    "gradebook_csv",
    "UNANSWERED",
]

UNANSWERED = "unanswered"


@dataclass(frozen=True)
class StudentRef:
    id: str
    name: str


@dataclass(frozen=True)
class AttemptRef:
    """``submitted_at`` as an ISO 8601 string (UTC), or ``None`` while in progress."""

    id: str
    number: int
    submitted_at: str | None


@dataclass(frozen=True)
class GradeRecord:
    """One attempt of one student with its outcomes by exercise id."""

    student: StudentRef
    attempt: AttemptRef
    outcomes: Mapping[str, Outcome]


@dataclass(frozen=True)
class ExerciseScore:
    earned: Fraction
    possible: Fraction
    status: str


@dataclass(frozen=True)
class GradebookRow:
    student: StudentRef
    attempt: AttemptRef
    earned: Fraction
    possible: Fraction
    exercises: dict[str, ExerciseScore]
    skills: dict[str, tuple[Fraction, Fraction]]
    discernment: float | None
    awaiting_review: tuple[str, ...]

    @property
    def percent(self) -> Fraction:
        return 100 * self.earned / self.possible if self.possible else Fraction(0)


def _row(exercises: Sequence[Exercise], record: GradeRecord) -> GradebookRow:
    per_exercise: dict[str, ExerciseScore] = {}
    skills: dict[str, tuple[Fraction, Fraction]] = {}
    awaiting: list[str] = []
    for exercise in exercises:
        outcome = record.outcomes.get(exercise.id)
        if outcome is None:
            score = ExerciseScore(Fraction(0), Fraction(exercise.points), UNANSWERED)
        else:
            score = ExerciseScore(outcome.earned, outcome.possible, outcome.status.value)
            if outcome.status is Status.NEEDS_REVIEW and outcome.review is None:
                awaiting.append(exercise.id)
        per_exercise[exercise.id] = score
        got, out_of = skills.get(exercise.skill.value, (Fraction(0), Fraction(0)))
        skills[exercise.skill.value] = (got + score.earned, out_of + score.possible)
    counts = [o.counts for o in record.outcomes.values() if o.counts is not None]
    return GradebookRow(
        student=record.student,
        attempt=record.attempt,
        earned=sum((s.earned for s in per_exercise.values()), Fraction(0)),
        possible=sum((s.possible for s in per_exercise.values()), Fraction(0)),
        exercises=per_exercise,
        skills=skills,
        discernment=_balanced_accuracy(counts),
        awaiting_review=tuple(awaiting),
    )


def _balanced_accuracy(counts: list[SpanCounts]) -> float | None:
    measured = discernment_of(counts)
    return None if measured is None else float(measured.balanced_accuracy)


def build_rows(exercises: Sequence[Exercise], records: Iterable[GradeRecord]) -> list[GradebookRow]:
    """One row per record, in the records' order; ``exercises`` fixes the columns (the quiz's order)."""
    return [_row(exercises, record) for record in records]


def _points(value: Fraction) -> str:
    return f"{float(value):.2f}"


def csv_columns(exercises: Sequence[Exercise]) -> list[str]:
    """The CSV header: fixed columns, then ``skill:<skill> (%)`` per skill, then ``<exercise id> (points)``.

    Fixed columns: ``student_id``, ``display_name``, ``attempt``, ``submitted_at``, ``earned``,
    ``possible``, ``percent``, ``discernment`` (0-1, empty when no span exercise),
    ``awaiting_review`` (count).
    """
    skills = list(dict.fromkeys(e.skill.value for e in exercises))
    return (
        ["student_id", "display_name", "attempt", "submitted_at", "earned", "possible", "percent", "discernment", "awaiting_review"]
        + [f"skill:{s} (%)" for s in skills]
        + [f"{e.id} ({e.points})" for e in exercises]
    )


def row_cells(exercises: Sequence[Exercise], row: GradebookRow) -> list[str]:
    """The CSV cells of ``row`` in :func:`csv_columns` order; points rounded to two decimals."""
    skills = list(dict.fromkeys(e.skill.value for e in exercises))
    skill_cells = []
    for skill in skills:
        got, out_of = row.skills.get(skill, (Fraction(0), Fraction(0)))
        skill_cells.append(_points(100 * got / out_of) if out_of else "")
    return (
        [row.student.id, row.student.name, str(row.attempt.number), row.attempt.submitted_at or "",
         _points(row.earned), _points(row.possible), _points(row.percent),
         "" if row.discernment is None else f"{row.discernment:.3f}", str(len(row.awaiting_review))]
        + skill_cells
        + [_points(row.exercises[e.id].earned) for e in exercises]
    )


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(cell: str) -> str:
    # A display name such as "=HYPERLINK(...)" must stay text when a teacher opens the file (CSV
    # injection). Spreadsheets skip leading spaces (and some the no-break space) before a formula,
    # so " =1+1" and "\u00a0=2+2" are guarded too.
    start = cell.lstrip(" \u00a0\u2007\u202f")[:1] if cell[:1] in (" ", "\u00a0", "\u2007", "\u202f") else cell[:1]
    return "'" + cell if start in _FORMULA_STARTS and not _is_number(cell) else cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def gradebook_csv(exercises: Sequence[Exercise], rows: Iterable[GradebookRow]) -> str:
    """The whole gradebook as CSV text (RFC 4180, ``\\r\\n`` line ends, UTF-8 when encoded)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_columns(exercises))
    for row in rows:
        writer.writerow([_spreadsheet_safe(c) for c in row_cells(exercises, row)])
    return out.getvalue()
