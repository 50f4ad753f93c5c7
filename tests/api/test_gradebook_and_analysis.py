"""``quizzes.gradebook`` and ``quizzes.analysis.items``: pure functions pinned with hand-computed values.

(They serve the API and the grading script; their tests live beside the API tests.)
"""

from __future__ import annotations

import csv
import io
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.analysis.items import analyse, pearson, sample_sd
from quizzes.gradebook import AttemptRef, GradeRecord, StudentRef, build_rows, csv_columns, gradebook_csv
from quizzes.loading import load_bank
from quizzes.outcome import Outcome, Review, SpanCounts, Status
from quizzes.responses import HighlightResponse, LabelSpansResponse, SpanAnswer
from tests.api.conftest import TINY_PACK

BANK = load_bank(TINY_PACK)


def outcome(exercise_id: str, earned: Fraction | int, possible: int = 1, status: Status = Status.PARTIAL, **extra: object) -> Outcome:
    return Outcome(exercise_id=exercise_id, status=status, earned=Fraction(earned), possible=Fraction(possible), **extra)  # type: ignore[arg-type]


def record(name: str, outcomes: dict[str, Outcome]) -> GradeRecord:
    return GradeRecord(StudentRef(name.lower(), name), AttemptRef(f"a-{name}", 1, "2026-03-01T10:00:00+00:00"), outcomes)


def test_gradebook_rows_total_per_exercise_skill_and_review() -> None:
    exercises = [BANK.exercise("sc-01"), BANK.exercise("mc-01"), BANK.exercise("sa-01")]
    rows = build_rows(exercises, [
        record("Ada", {"sc-01": outcome("sc-01", 1, status=Status.CORRECT), "sa-01": outcome("sa-01", Fraction(1, 2), 2, Status.NEEDS_REVIEW)}),
        record("Bea", {"sa-01": outcome("sa-01", 2, 2, Status.CORRECT, review=Review(earned=Fraction(2)))}),
    ])
    ada, bea = rows
    assert (ada.earned, ada.possible) == (Fraction(3, 2), Fraction(4))
    assert ada.exercises["mc-01"].status == "unanswered" and ada.exercises["mc-01"].possible == 1
    assert ada.skills == {"attribution": (Fraction(1), Fraction(1)), "funding": (Fraction(1, 2), Fraction(3))}
    assert ada.awaiting_review == ("sa-01",) and bea.awaiting_review == ()
    assert ada.percent == Fraction(75, 2) and ada.discernment is None


def test_gradebook_discernment_comes_from_span_counts() -> None:
    counts = SpanCounts(hits=2, misses=2, foils_total=1, foils_marked=0)
    row = build_rows([BANK.exercise("hl-01")], [record("Ada", {"hl-01": outcome("hl-01", 1, 3, counts=counts)})])[0]
    assert row.discernment is not None and 0.5 <= row.discernment <= 1


def test_gradebook_csv_columns_cells_and_formula_guard() -> None:
    exercises = [BANK.exercise("sc-01"), BANK.exercise("mc-01")]
    rows = build_rows(exercises, [record("=HYPERLINK(1)", {"sc-01": outcome("sc-01", 1, status=Status.CORRECT)})])
    table = list(csv.reader(io.StringIO(gradebook_csv(exercises, rows))))
    assert table[0] == csv_columns(exercises) == [
        "student_id", "display_name", "attempt", "submitted_at", "earned", "possible", "percent", "discernment",
        "awaiting_review", "skill:attribution (%)", "skill:funding (%)", "sc-01 (1)", "mc-01 (1)"]
    assert table[1] == ["'=hyperlink(1)", "'=HYPERLINK(1)", "1", "2026-03-01T10:00:00+00:00", "1.00", "2.00", "50.00", "", "0", "100.00", "0.00", "1.00", "0.00"]


def test_analysis_statistics_by_hand() -> None:
    assert sample_sd([0, 1]) == pytest.approx(math.sqrt(0.5))
    assert sample_sd([1]) is None
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert pearson([1, 1, 1], [1, 2, 3]) is None


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=3, max_size=20))
def test_analysis_pearson_stays_in_range(pairs: list[tuple[float, float]]) -> None:
    r = pearson([p[0] for p in pairs], [p[1] for p in pairs])
    assert r is None or -1 <= r <= 1


def test_analysis_facility_sd_and_item_rest_discrimination() -> None:
    sc, mc = BANK.exercise("sc-01"), BANK.exercise("mc-01")
    scores = [(1, 1), (1, 0), (0, 0), (0, Fraction(1, 2))]
    attempts = [{"sc-01": (None, outcome("sc-01", a)), "mc-01": (None, outcome("mc-01", b))} for a, b in scores]
    report = analyse([sc, mc], BANK.pack, attempts)
    items = {i.exercise_id: i for i in report.items}
    assert items["sc-01"].facility == 0.5 and items["mc-01"].facility == 0.375
    assert items["sc-01"].sd == pytest.approx(round(math.sqrt(1 / 3), 4))
    # item-rest: sc-01 scores (1,1,0,0) against mc-01 (1,0,0,.5)
    assert items["sc-01"].discrimination == pytest.approx(round(pearson([1, 1, 0, 0], [1, 0, 0, 0.5]) or 0, 4))
    assert report.attempts == 4


def test_analysis_techniques_confusion_and_block_heat_map() -> None:
    hl, ls = BANK.exercise("hl-01"), BANK.exercise("ls-01")
    marked = HighlightResponse(spans=(SpanAnswer(exact="slam"), SpanAnswer(exact="Officials said")))
    labelled = LabelSpansResponse(spans=(SpanAnswer(exact="so-called reformers", label="loaded_language"), SpanAnswer(exact="want chaos", label="loaded_language")))
    report = analyse([hl, ls], BANK.pack, [{"hl-01": (marked, None), "ls-01": (labelled, None)}])
    techniques = {t.technique: t for t in report.techniques}
    # hl-01 key: slam, want chaos (loaded_language), so-called reformers (name_calling); the foil "Officials said" is a false alarm.
    assert (techniques["loaded_language"].hits, techniques["loaded_language"].misses) == (1 + 1, 1)
    assert techniques["name_calling"].hits == 1 and techniques["name_calling"].misses == 1
    assert techniques["loaded_language"].false_alarms == 1
    assert report.confusion == {"loaded_language": {"loaded_language": 1}, "name_calling": {"loaded_language": 1}}
    blocks = {b.block_id: b for b in report.blocks}
    assert blocks["b01"].total == 1 and blocks["b03"].total == 2 and blocks["b04"].total == 1 and blocks["b00"].total == 0
    assert blocks["b03"].by_label == {"loaded_language": 2}
