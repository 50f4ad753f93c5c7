"""``quiz-grade grade`` on the real fixture files: gradebooks, bad records, exit codes, encodings."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from quizzes.loading import load_bank
from quizzes.responses import parse_response
from tests.quizzes.grader.support import GRADING, TINY, csv_rows, error_lines, quiz_grade

QUIZ = ("--quiz", "tiny-all", "--pack", TINY)


def engine_scores(path: Path) -> dict[str, dict[str, Fraction]]:
    """What the engine gives each valid answer of a per-answer JSONL file, scored one by one in-process."""
    from quizzes.scoring import score

    bank = load_bank(TINY)
    scores: dict[str, dict[str, Fraction]] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        record = json.loads(line)
        exercise = bank.exercise(record["exercise"])
        outcome = score(exercise, parse_response(exercise.type, record["response"]), bank.pack)
        scores.setdefault(record["student"], {})[exercise.id] = outcome.earned
    return scores


def cell(value: Fraction) -> str:
    return f"{float(value):.2f}"


def by_student(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["student_id"]: row for row in rows}


def test_grade_jsonl_gradebook_matches_the_engine_answer_by_answer(tmp_path):
    out, report = tmp_path / "grades.csv", tmp_path / "report.md"
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--out", out, "--report", report)
    assert run.code == 0, run.stderr
    rows = by_student(csv_rows(out.read_text(encoding="utf-8")))
    expected = engine_scores(GRADING / "class.jsonl")
    assert list(rows) == ["ana", "ben", "chloe", "dev", "émile (3B)"]
    for student, scores in expected.items():
        for exercise_id in ("t-highlight", "t-label", "t-single", "t-multi", "t-match", "t-roles", "t-short", "t-rewrite"):
            assert rows[student][f"{exercise_id} (1)"] == cell(scores.get(exercise_id, Fraction(0))), (student, exercise_id)
        assert rows[student]["earned"] == cell(sum(scores.values(), Fraction(0)))
        assert rows[student]["possible"] == "8.00"
    assert rows["ana"]["t-single (1)"] == "1.00" and rows["ben"]["t-single (1)"] == "0.00"
    assert "5 student(s)" in run.stderr and "0 record(s) rejected" in run.stderr


def test_grade_without_out_writes_the_gradebook_to_stdout():
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ)
    assert run.code == 0, run.stderr
    assert [r["student_id"] for r in csv_rows(run.stdout)] == ["ana", "ben", "chloe", "dev", "émile (3B)"]


def test_grade_reads_standard_input_when_the_file_is_a_dash():
    text = (GRADING / "class.jsonl").read_text(encoding="utf-8")
    run = quiz_grade("grade", "-", *QUIZ, "--input-format", "jsonl", stdin=text)
    assert run.code == 0, run.stderr
    assert run.stdout == quiz_grade("grade", GRADING / "class.jsonl", *QUIZ).stdout


def test_grade_per_attempt_records_equal_per_answer_records(tmp_path):
    attempts = csv_rows(quiz_grade("grade", GRADING / "class-attempts.jsonl", *QUIZ).stdout)
    answers = by_student(csv_rows(quiz_grade("grade", GRADING / "class.jsonl", *QUIZ).stdout))
    assert [r["student_id"] for r in attempts] == ["ana", "ben", "chloe"]
    for row in attempts:
        assert row == answers[row["student_id"]]


def test_grade_bom_and_windows_line_endings_change_nothing():
    for plain, windows in (("class.jsonl", "windows-bom.jsonl"), ("class.csv", "windows-bom.csv")):
        assert (GRADING / windows).read_bytes().startswith(b"\xef\xbb\xbf")
        assert b"\r\n" in (GRADING / windows).read_bytes()
        first, second = quiz_grade("grade", GRADING / plain, *QUIZ), quiz_grade("grade", GRADING / windows, *QUIZ)
        assert first.code == second.code == 0, second.stderr
        # the multi-line CSV cell keeps its Windows line break inside the text, which scores the same
        assert first.stdout == second.stdout


def test_grade_csv_convenience_columns_score_like_the_same_json_answers():
    from_csv = by_student(csv_rows(quiz_grade("grade", GRADING / "class.csv", *QUIZ).stdout))
    from_jsonl = by_student(csv_rows(quiz_grade("grade", GRADING / "class.jsonl", *QUIZ).stdout))
    # class.csv gives ana the same answers as class.jsonl except the rewrite, which it leaves out
    for column in ("t-highlight (1)", "t-label (1)", "t-single (1)", "t-multi (1)", "t-match (1)", "t-roles (1)", "t-short (1)"):
        assert from_csv["ana"][column] == from_jsonl["ana"][column], column
    assert from_csv["ana"]["t-rewrite (1)"] == "0.00"
    assert from_csv["ben"]["t-single (1)"] == "0.00" and from_csv["ben"]["t-multi (1)"] == "0.00"


def test_grade_wide_csv_reads_one_row_per_student():
    rows = by_student(csv_rows(quiz_grade("grade", GRADING / "wide.csv", *QUIZ).stdout))
    long_form = by_student(csv_rows(quiz_grade("grade", GRADING / "class.csv", *QUIZ).stdout))
    assert list(rows) == ["ana", "ben", "chloe"]
    for column in ("t-single (1)", "t-multi (1)", "t-match (1)", "t-highlight (1)", "t-short (1)", "t-roles (1)"):
        assert rows["ana"][column] == long_form["ana"][column], column
    assert rows["chloe"]["earned"] == "1.00"  # one right choice; empty cells are unanswered


def test_grade_mixed_jsonl_reports_each_bad_record_and_grades_the_rest(tmp_path):
    out = tmp_path / "grades.csv"
    run = quiz_grade("grade", GRADING / "mixed.jsonl", *QUIZ, "--out", out)
    assert run.code == 1
    assert "Traceback" not in run.stderr
    reasons = error_lines(run.stderr, GRADING / "mixed.jsonl")
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 11]
    assert "malformed JSON" in reasons[2]
    assert "unknown exercise 't-nonexistent'" in reasons[3]
    assert "[500, 510)" in reasons[4] and "end of the text" in reasons[4]
    assert "choices" in reasons[5]
    assert "single_choice response does not answer a multi_choice" in reasons[6]
    assert "missing 'student'" in reasons[7]
    assert "does not occur" in reasons[8]
    assert "expected a JSON object" in reasons[11]
    rows = by_student(csv_rows(out.read_text(encoding="utf-8")))
    assert rows["ana"]["t-single (1)"] == "1.00"
    assert rows["chloe"]["t-single (1)"] == "0.00" and rows["chloe"]["t-match (1)"] == "1.00"
    assert "ben" not in rows  # every one of ben's records was bad
    assert "8 record(s) rejected" in run.stderr


def test_grade_mixed_csv_reports_file_and_line_of_each_bad_row():
    run = quiz_grade("grade", GRADING / "mixed.csv", *QUIZ)
    assert run.code == 1 and "Traceback" not in run.stderr
    lines = error_lines(run.stderr, GRADING / "mixed.csv")
    assert sorted(lines) == [3, 4, 5, 6, 8]
    assert "student cell is empty" in lines[4]
    assert "choices do not apply to a single_choice" in lines[5]
    assert "expected 6 cells" in lines[8]
    rows = by_student(csv_rows(run.stdout))
    assert rows["ana"]["t-single (1)"] == "1.00" and rows["ben"]["t-multi (1)"] == "0.50"
    assert rows["chloe"]["awaiting_review"] == "1"


def test_grade_strict_writes_nothing_when_a_record_is_rejected(tmp_path):
    out, report = tmp_path / "grades.csv", tmp_path / "report.md"
    out.write_text("previous gradebook\n", encoding="utf-8")
    run = quiz_grade("grade", GRADING / "mixed.jsonl", *QUIZ, "--out", out, "--report", report, "--strict")
    assert run.code == 1
    assert out.read_text(encoding="utf-8") == "previous gradebook\n"
    assert not report.exists()
    assert "--strict" in run.stderr


def test_grade_strict_on_a_clean_file_succeeds(tmp_path):
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--out", tmp_path / "g.csv", "--strict")
    assert run.code == 0 and (tmp_path / "g.csv").exists()


def test_grade_unknown_quiz_exits_3():
    run = quiz_grade("grade", GRADING / "class.jsonl", "--quiz", "no-such-quiz", "--pack", TINY)
    assert run.code == 3
    assert "unknown quiz 'no-such-quiz'" in run.stderr and "tiny-all" in run.stderr
    assert "Traceback" not in run.stderr


def test_grade_invalid_pack_exits_3_and_names_the_problem(pack_copy):
    def break_key(data):
        data["exercises"][0]["key"] = ["frm-does-not-exist"]

    broken = pack_copy("exercises/all.json", break_key)
    run = quiz_grade("grade", GRADING / "class.jsonl", "--quiz", "tiny-all", "--pack", broken)
    assert run.code == 3
    assert "frm-does-not-exist" in run.stderr and "Traceback" not in run.stderr


def test_grade_missing_input_file_is_a_usage_error(tmp_path):
    run = quiz_grade("grade", tmp_path / "nope.jsonl", *QUIZ)
    assert run.code == 2 and "no such file" in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "x.jsonl", "--quiz", "tiny-all", "--format", "excel"),
        ("grade", "--quiz", "tiny-all"),
        ("grade", "x.jsonl"),
        (),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2(args):
    run = quiz_grade(*args)
    assert run.code == 2
    assert "usage:" in run.stderr and "Traceback" not in run.stderr


def test_grade_unwritable_output_is_a_usage_error_without_traceback(tmp_path):
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--out", tmp_path / "no-such-folder" / "g.csv")
    assert run.code == 2
    assert "cannot write" in run.stderr and "Traceback" not in run.stderr


def test_grade_empty_file_gives_an_empty_gradebook(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    run = quiz_grade("grade", empty, *QUIZ)
    assert run.code == 0
    assert csv_rows(run.stdout) == [] and run.stdout.startswith("student_id,")


def test_grade_later_answer_of_the_same_student_and_exercise_counts(tmp_path):
    path = tmp_path / "twice.jsonl"
    path.write_text(
        '{"student": "ana", "exercise": "t-single", "response": {"choice": "a"}}\n'
        '{"student": "ana", "exercise": "t-single", "response": {"choice": "b"}}\n',
        encoding="utf-8",
    )
    rows = csv_rows(quiz_grade("grade", path, *QUIZ).stdout)
    assert rows[0]["t-single (1)"] == "1.00"


def test_grade_not_utf8_line_is_rejected_with_its_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        b'{"student": "ana", "exercise": "t-single", "response": {"choice": "b"}}\n'
        b'{"student": "Jos\xe9", "exercise": "t-single", "response": {"choice": "b"}}\n'
    )
    run = quiz_grade("grade", path, *QUIZ)
    assert run.code == 1
    assert f"{path}:2: not valid UTF-8" in run.stderr
    assert [r["student_id"] for r in csv_rows(run.stdout)] == ["ana"]


def test_grade_spreadsheet_formulas_in_names_are_neutralised(tmp_path):
    path = tmp_path / "inject.jsonl"
    path.write_text('{"student": "=HYPERLINK(\\"http://x\\")", "exercise": "t-single", "response": {"choice": "b"}}\n', encoding="utf-8")
    rows = csv_rows(quiz_grade("grade", path, *QUIZ).stdout)
    assert rows[0]["student_id"].startswith("'=")


def test_grade_applies_a_teachers_review_and_rejects_bad_ones(tmp_path):
    """Records may carry the API export's ``review``: it replaces a provisional score, nothing else."""
    short = {"text": "It gives no evidence and talks about who funds the council instead of its reasons."}
    path = tmp_path / "reviewed.jsonl"
    lines = [
        {"student": "ana", "exercise": "t-short", "response": short, "review": {"earned": "1/2", "comment": "half"}},
        {"student": "ben", "exercise": "t-short", "response": short},
        {"student": "cat", "exercise": "t-short", "response": short, "review": {"earned": "5"}},
        {"student": "dan", "exercise": "t-single", "response": {"choice": "b"}, "review": {"earned": "0"}},
        {"student": "eve", "exercise": "t-short", "response": short, "review": {"comment": "no score"}},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    run = quiz_grade("grade", path, *QUIZ)
    rows = by_student(csv_rows(run.stdout))
    assert rows["ana"]["t-short (1)"] == "0.50" and rows["ana"]["awaiting_review"] == "0"
    assert rows["ben"]["awaiting_review"] == "1", "without a review the score stays provisional"
    errors = run.stderr
    assert run.code == 1
    assert f"{path}:3: t-short: 'review' is invalid: reviewed score 5 is not between 0 and 1" in errors
    assert f"{path}:4: t-single: a 'review' is given, but this answer is scored automatically" in errors
    assert f"{path}:5: t-short: 'review' is invalid: earned: Field required" in errors
