"""What ``quiz-grade`` writes: gradebook shapes, the report, the answer key, help texts, atomic files."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from quizzes.grader.atomic import atomic_writer, write_text_atomic
from quizzes.loading import load_bank
from tests.quizzes.grader.support import GRADING, ROOT, TINY, csv_rows, quiz_grade

QUIZ = ("--quiz", "tiny-all", "--pack", TINY)


def plain_rows() -> dict[str, dict[str, str]]:
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ)
    assert run.code == 0, run.stderr
    return {r["student_id"]: r for r in csv_rows(run.stdout)}


def test_format_canvas_has_points_possible_row_and_one_total_per_student():
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--format", "canvas")
    assert run.code == 0, run.stderr
    rows = csv_rows(run.stdout)
    assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Everything"]
    assert rows[0]["Student"].strip() == "Points Possible" and rows[0]["Everything"] == "8.00"
    plain = plain_rows()
    assert {r["SIS User ID"]: r["Everything"] for r in rows[1:]} == {s: r["earned"] for s, r in plain.items()}


def test_format_moodle_has_id_number_total_items_and_review_feedback():
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--format", "moodle")
    rows = {r["ID number"]: r for r in csv_rows(run.stdout)}
    plain = plain_rows()
    assert set(rows) == set(plain)
    for student, row in rows.items():
        assert row["Everything"] == plain[student]["earned"]
        assert row["t-single: Funding"] == plain[student]["t-single (1)"]
    assert "awaiting the teacher's review" in rows["ana"]["Feedback"] and "t-short" in rows["ana"]["Feedback"]


def test_format_json_agrees_with_plain(tmp_path):
    out = tmp_path / "grades.json"
    run = quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--format", "json", "--out", out)
    assert run.code == 0, run.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["quiz"] == "tiny-all" and document["possible"] == 8
    plain = plain_rows()
    for entry in document["students"]:
        row = plain[entry["student"]]
        assert f"{entry['earned']:.2f}" == row["earned"]
        assert f"{entry['exercises']['t-label']['earned']:.2f}" == row["t-label (1)"]
        assert (entry["discernment"] is None) == (row["discernment"] == "")
        assert len(entry["awaiting_review"]) == int(row["awaiting_review"])


def test_report_has_item_analysis_reviews_misses_and_rejections(tmp_path):
    report = tmp_path / "report.md"
    run = quiz_grade("grade", GRADING / "mixed.jsonl", *QUIZ, "--report", report, "--out", tmp_path / "g.csv")
    assert run.code == 1
    text = report.read_text(encoding="utf-8")
    for heading in ("# Grading report: Everything (`tiny-all`)", "## Item analysis", "## Answers needing review",
                    "## Most common misses per technique", "## Rejected records"):
        assert heading in text
    assert "8 record(s) could not be graded" in text
    assert "mixed.jsonl:3`: unknown exercise 't-nonexistent'" in text


def test_report_lists_provisional_answers_and_missed_key_items(tmp_path):
    report = tmp_path / "report.md"
    assert quiz_grade("grade", GRADING / "class.jsonl", *QUIZ, "--report", report, "--out", tmp_path / "g.csv").code == 0
    text = report.read_text(encoding="utf-8")
    review = text.split("## Answers needing review")[1].split("##")[0]
    # ana, ben and chloe wrote short answers; ana and ben rewrites: five provisional scores
    assert "5 answer(s) have a provisional score" in review
    assert "| ben | t-short |" in review and "It is not about money." in review
    misses = text.split("## Most common misses per technique")[1].split("## Rejected")[0]
    # ben marked only the foil "said" in t-highlight: both key spans missed
    assert "frm-gamble" in misses and "frm-everyone" in misses
    item_table = text.split("## Item analysis")[1].split("##")[0]
    assert all(f"| {e} " in item_table for e in ("t-highlight", "t-label", "t-single", "t-multi", "t-match", "t-roles", "t-short", "t-rewrite"))


def test_report_escapes_student_text(tmp_path):
    answers = tmp_path / "evil.jsonl"
    answers.write_text(
        json.dumps({"student": "x|<script>alert(1)</script>", "exercise": "t-short", "response": {"text": "a | b <img src=x>"}}) + "\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.md"
    assert quiz_grade("grade", answers, *QUIZ, "--report", report, "--out", tmp_path / "g.csv").code == 0
    text = report.read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text
    assert "x\\|&lt;script&gt;" in text and "a \\| b &lt;img src=x&gt;" in text


def test_key_markdown_lists_every_exercise_with_answers_and_rationales():
    run = quiz_grade("key", *QUIZ)
    assert run.code == 0, run.stderr
    bank = load_bank(TINY)
    for exercise in bank.quiz_exercises("tiny-all"):
        assert f"`{exercise.id}`" in run.stdout
    assert "“reckless gamble” [107, 122) — **loaded_language**: Emotional words" in run.stdout
    assert "Do not mark" in run.stdout and "plain reporting verb" in run.stdout  # the foil's feedback
    assert "✔ **b** It offers funding instead of an answer." in run.stdout
    assert "Model answer: Critics said the plan was too risky." in run.stdout


def test_key_json_carries_the_keys_of_the_pack(tmp_path):
    out = tmp_path / "key.json"
    assert quiz_grade("key", *QUIZ, "--format", "json", "--out", out).code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    bank = load_bank(TINY)
    entries = {e["id"]: e for e in document["exercises"]}
    assert list(entries) == list(bank.quiz("tiny-all").exercises)
    highlight = bank.exercise("t-highlight")
    assert [k["quote"] for k in entries["t-highlight"]["key"]] == [bank.pack.annotation.get(i).quote for i in highlight.key]
    assert entries["t-roles"]["roles"]["cue"]["quote"] == "said"
    assert [c["id"] for c in entries["t-short"]["criteria"]] == ["source", "funding"]


def test_key_unknown_quiz_exits_3():
    run = quiz_grade("key", "--quiz", "nope", "--pack", TINY)
    assert run.code == 3 and "unknown quiz" in run.stderr


@pytest.mark.parametrize("args", [(), ("grade",), ("key",), ("pull",)])
def test_help_shows_an_example(args):
    run = quiz_grade(*args, "--help")
    assert run.code == 0
    assert "example" in run.stdout and "quiz-grade " in run.stdout.split("example", 1)[1]


def test_shipped_pack_key_and_grading_smoke(tmp_path):
    from quizzes.reference_responses import perfect_response
    from quizzes.loading import load_shipped_banks

    bank = next(iter(load_shipped_banks().values()))
    quiz = next(iter(bank.quizzes.values()))
    key = quiz_grade("key", "--quiz", quiz.id)
    assert key.code == 0, key.stderr
    answers = tmp_path / "perfect.jsonl"
    with answers.open("w", encoding="utf-8") as stream:
        record = {e.id: perfect_response(e, bank.pack).model_dump(mode="json", exclude_none=True) for e in bank.quiz_exercises(quiz.id)}
        stream.write(json.dumps({"student": "perfect", "answers": record}) + "\n")
    run = quiz_grade("grade", answers, "--quiz", quiz.id, "--report", tmp_path / "r.md", "--out", tmp_path / "g.csv")
    assert run.code == 0, run.stderr
    (row,) = csv_rows((tmp_path / "g.csv").read_text(encoding="utf-8"))
    for exercise in bank.quiz_exercises(quiz.id):
        if exercise.type not in ("short_answer", "rewrite"):
            assert row[f"{exercise.id} ({exercise.points})"] == f"{exercise.points:.2f}", exercise.id


def test_atomic_writer_keeps_the_old_file_when_interrupted(tmp_path):
    target = tmp_path / "grades.csv"
    target.write_text("old gradebook\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic_writer(target) as stream:
            stream.write("half of a new gradeb")
            raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old gradebook\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]  # no temporary file left behind


def test_atomic_writer_replaces_and_keeps_permissions(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_interrupted_grading_leaves_the_previous_gradebook(tmp_path):
    """SIGINT while the command runs: exit 130 and the old file unchanged (never half-written)."""
    big = tmp_path / "big.jsonl"
    line = json.dumps({"student": "s", "exercise": "t-single", "response": {"choice": "b"}}) + "\n"
    with big.open("w", encoding="utf-8") as stream:
        for number in range(400_000):
            stream.write(line.replace('"s"', f'"s{number % 5000}"'))
    out = tmp_path / "grades.csv"
    out.write_text("previous gradebook\n", encoding="utf-8")
    command = [str(Path(sys.executable).parent / "quiz-grade"), "grade", str(big), *map(str, QUIZ), "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # wait until the command is reading the file, then interrupt it
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if any(Path(f"/proc/{process.pid}/fd").glob("*")) and _has_open(process.pid, big):
                break
            time.sleep(0.05)
        process.send_signal(2)
        _stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    if process.returncode == 0:
        pytest.skip("the command finished before it could be interrupted")
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert out.read_text(encoding="utf-8") == "previous gradebook\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "grades.csv"]


def _has_open(pid: int, path: Path) -> bool:
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            if os.readlink(fd) == str(path):
                return True
        except OSError:
            continue
    return False


def _many_records(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            stream.write(json.dumps({"student": f"s{number % 300}", "exercise": "t-single", "response": {"choice": "ab"[number % 2]}}) + "\n")
    return path


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    run = quiz_grade("grade", _many_records(tmp_path, 12_000), *QUIZ, "--out", tmp_path / "g.csv")
    assert run.code == 0
    assert "records/s" not in run.stderr and "\r" not in run.stderr


def _run_on_a_terminal(args: list[str]) -> str:
    main, other = pty.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    command = [str(Path(sys.executable).parent / "quiz-grade"), *args]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=other, cwd=ROOT)
    os.close(other)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only_for_large_inputs(tmp_path):
    large = _run_on_a_terminal(["grade", str(_many_records(tmp_path, 12_000)), *map(str, QUIZ), "--out", str(tmp_path / "g.csv")])
    assert "records" in large and "12000" in large
    small = _run_on_a_terminal(["grade", str(GRADING / "class.jsonl"), *map(str, QUIZ), "--out", str(tmp_path / "h.csv")])
    assert " records/s" not in small and "records" not in small.replace("record(s)", "")


@pytest.mark.parametrize("shape", ["plain", "json"])
def test_large_class_gradebook_built_by_two_processes_equals_one_process(tmp_path, shape):
    """Above PARALLEL_AFTER students the command forks; the file must be what one process writes."""
    import io

    from quizzes.grader.reading import read_answers
    from quizzes.grader.grading import grade_records, gradebook_rows
    from quizzes.grader.parallel import PARALLEL_STUDENTS as PARALLEL_AFTER
    from quizzes.exports.gradebook_formats import write_gradebook

    path = tmp_path / "large.jsonl"
    students = PARALLEL_AFTER + 501
    with path.open("w", encoding="utf-8") as stream:
        for number in range(students):
            stream.write(json.dumps({"student": f"s{number:05d}", "exercise": "t-single", "response": {"choice": "ab"[number % 3 == 0]}}) + "\n")
            stream.write(json.dumps({"student": f"s{number:05d}", "exercise": "t-highlight", "response": {"spans": [{"start": 107 - number % 3, "end": 122}]}}) + "\n")
    out = tmp_path / "grades"
    run = quiz_grade("grade", path, *QUIZ, "--format", shape, "--out", out)
    assert run.code == 0, run.stderr
    bank = load_bank(TINY)
    grades = grade_records(bank, bank.quiz("tiny-all"), read_answers(path))
    expected = io.StringIO(newline="")
    write_gradebook(expected, gradebook_rows(grades), bank.quiz("tiny-all"), bank.quiz_exercises("tiny-all"), shape)
    assert out.read_bytes() == expected.getvalue().encode("utf-8")
    if shape == "json":
        assert len(json.loads(out.read_text(encoding="utf-8"))["students"]) == students
