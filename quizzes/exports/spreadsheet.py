"""The gradebook as a teacher's spreadsheet: the columns the screen shows, in words.

The ``plain`` CSV (``quizzes.gradebook``) is for scripts and LMS imports: ids as headers, ISO
times, skills in percent. This one is for a person opening it in Excel or LibreOffice, so that it
lines up with the gradebook on screen:

- exercise columns are headed ``Ex 3: <title> (of 2 points)``, numbered as the screen numbers them;
- every score column is in points, with its maximum in the header (the total, each skill, each
  exercise); there is no percent column, so no column mixes units;
- the submitted time is ``YYYY-MM-DD HH:MM`` in the teacher's time zone, named in the header;
- the file starts with a UTF-8 byte order mark, so Excel on Windows reads "محمد" and "אבג";
- every text cell is guarded against formula injection.

:data:`COLUMN_LEGEND` explains each column; the client shows it beside the download button.
Pure: no files, no clock (the time zone is passed in).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from fractions import Fraction
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from quizzes.exercises import Exercise
from quizzes.exports.gradebook_formats import spreadsheet_safe
from quizzes.gradebook import GradebookRow

__all__ = ["BOM", "COLUMN_LEGEND", "SKILL_NAMES", "spreadsheet_columns", "spreadsheet_cells", "gradebook_spreadsheet"]

BOM = "\ufeff"

SKILL_NAMES = {
    "attribution": "Attribution",
    "framing": "Loaded framing",
    "funding": "Funding arguments",
    "provenance": "Provenance",
    "lateral_reading": "Lateral reading",
}

COLUMN_LEGEND: tuple[tuple[str, str], ...] = (
    ("Student", "the name the student typed when joining"),
    ("Attempt", "1 for the first submitted attempt, 2 for the second, …"),
    ("Submitted", "date and time of submitting, in the time zone named in the header"),
    ("Total", "points earned on the whole quiz, out of the maximum in the header"),
    ("Skill columns", "points earned on the exercises of one skill (attribution, loaded framing, …)"),
    ("Discernment", "how well the student's marks tell the techniques from the look-alikes and the plain "
                    "text: 1 = every key place found and every look-alike left alone, 0.5 = no better "
                    "than chance; empty when the quiz has no marking exercise"),
    ("Answers to review", "short answers and rewrites whose score you have not confirmed yet; the score "
                          "shown for them is provisional"),
    ("Ex 1, Ex 2, …", "points earned on each exercise, numbered as on the screen"),
    ("Student id", "this server's number for the student (to match rows between downloads)"),
)


def _points(value: Fraction) -> str:
    """Whole points as integers, others with one decimal: "2", "1.5" (as the screen shows them)."""
    tenths = int((value * 20 + 1) // 2)  # half up, as the screen rounds
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def _of(points: Fraction) -> str:
    return f"of {_points(points)} point{'' if points == 1 else 's'}"


def _skills(exercises: Sequence[Exercise]) -> list[str]:
    return list(dict.fromkeys(e.skill.value for e in exercises))


def spreadsheet_columns(exercises: Sequence[Exercise], zone: ZoneInfo) -> list[str]:
    """The header row, in the order of :func:`spreadsheet_cells`."""
    total = sum((Fraction(e.points) for e in exercises), Fraction(0))
    skill_max = {s: sum((Fraction(e.points) for e in exercises if e.skill.value == s), Fraction(0)) for s in _skills(exercises)}
    return (
        ["Student", "Attempt", f"Submitted ({zone.key})", f"Total ({_of(total)})"]
        + [f"{SKILL_NAMES.get(s, s.replace('_', ' ').capitalize())} ({_of(m)})" for s, m in skill_max.items()]
        + ["Discernment (0 to 1)", "Answers to review"]
        + [f"Ex {k}: {e.title} ({_of(Fraction(e.points))})" for k, e in enumerate(exercises, start=1)]
        + ["Student id"]
    )


def _when(iso: str | None, zone: ZoneInfo) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment.tzinfo else moment.strftime("%Y-%m-%d %H:%M")


def spreadsheet_cells(exercises: Sequence[Exercise], row: GradebookRow, zone: ZoneInfo) -> list[str]:
    """One student's row; points whole or with one decimal, never a percent."""
    return (
        [spreadsheet_safe(row.student.name), str(row.attempt.number), _when(row.attempt.submitted_at, zone), _points(row.earned)]
        + [_points(row.skills.get(s, (Fraction(0), Fraction(0)))[0]) for s in _skills(exercises)]
        + ["" if row.discernment is None else f"{row.discernment:.2f}", str(len(row.awaiting_review))]
        + [_points(row.exercises[e.id].earned) for e in exercises]
        + [spreadsheet_safe(row.student.id)]
    )


def gradebook_spreadsheet(exercises: Sequence[Exercise], rows: Iterable[GradebookRow], zone: ZoneInfo) -> str:
    """The whole gradebook for a spreadsheet: byte order mark, header, one row per attempt (RFC 4180)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(spreadsheet_columns(exercises, zone))
    for row in rows:
        writer.writerow(spreadsheet_cells(exercises, row, zone))
    return out.getvalue()
