"""The spreadsheet gradebook: the screen's exercise numbers and titles, points only, local times, a BOM."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from zoneinfo import ZoneInfo

from quizzes.exports.spreadsheet import BOM, COLUMN_LEGEND, gradebook_spreadsheet, spreadsheet_columns
from quizzes.gradebook import AttemptRef, GradeRecord, StudentRef, build_rows
from quizzes.loading import load_bank
from quizzes.outcome import Outcome, Status
from tests.api.conftest import TINY_PACK

BANK = load_bank(TINY_PACK)
BERLIN = ZoneInfo("Europe/Berlin")


def _outcome(exercise_id: str, earned: Fraction, possible: int, status: Status) -> Outcome:
    return Outcome(exercise_id=exercise_id, status=status, earned=earned, possible=Fraction(possible))


def _table(text: str) -> list[list[str]]:
    assert text.startswith(BOM), "Excel on Windows needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[len(BOM):])))


def test_headers_number_and_title_the_exercises_as_the_screen_does_with_their_maximum() -> None:
    exercises = [BANK.exercise("sc-01"), BANK.exercise("mc-01"), BANK.exercise("sa-01")]
    header = spreadsheet_columns(exercises, BERLIN)
    assert header[:4] == ["Student", "Attempt", "Submitted (Europe/Berlin)", "Total (of 4 points)"]
    assert header[-4:-1] == [f"Ex {k}: {e.title} (of {e.points} point{'' if e.points == 1 else 's'})" for k, e in enumerate(exercises, 1)]
    assert header[-1] == "Student id"
    assert not any("%" in h for h in header), "one unit, points, in every score column"


def test_cells_are_points_with_at_most_one_decimal_and_times_local_without_seconds() -> None:
    exercises = [BANK.exercise("sc-01"), BANK.exercise("sa-01")]
    name = "محمد 📱 =SUM(A1)"
    record = GradeRecord(StudentRef("7", name), AttemptRef("a", 1, "2026-03-01T09:40:12.106711+00:00"),
                         {"sc-01": _outcome("sc-01", Fraction(1), 1, Status.CORRECT),
                          "sa-01": _outcome("sa-01", Fraction(11, 9), 2, Status.NEEDS_REVIEW)})
    table = _table(gradebook_spreadsheet(exercises, build_rows(exercises, [record]), BERLIN))
    row = dict(zip(table[0], table[1]))
    assert row["Student"] == name
    assert row["Submitted (Europe/Berlin)"] == "2026-03-01 10:40"
    assert row["Total (of 3 points)"] == "2.2"
    assert row[f"Ex 1: {exercises[0].title} (of 1 point)"] == "1"
    assert row[f"Ex 2: {exercises[1].title} (of 2 points)"] == "1.2"
    assert row["Answers to review"] == "1"


def test_a_name_that_looks_like_a_formula_stays_text() -> None:
    exercises = [BANK.exercise("sc-01")]
    record = GradeRecord(StudentRef("1", "=HYPERLINK(1)"), AttemptRef("a", 1, None), {})
    table = _table(gradebook_spreadsheet(exercises, build_rows(exercises, [record]), ZoneInfo("UTC")))
    assert table[1][0] == "'=HYPERLINK(1)" and table[1][2] == ""


def test_every_column_kind_is_explained_in_the_legend() -> None:
    named = {name for name, _ in COLUMN_LEGEND}
    assert {"Student", "Attempt", "Submitted", "Total", "Discernment", "Answers to review", "Student id"} <= named
    assert all(text.strip() for _, text in COLUMN_LEGEND)
