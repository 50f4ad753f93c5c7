"""The grading engine room: the fast gradebook rows equal ``quizzes.gradebook.build_rows``, the cache changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.grader import grading as batch_grading
from quizzes.grader.reading import read_answers
from quizzes.grader.grading import discernment, grade_records, gradebook_records, gradebook_rows
from quizzes.reference_responses import perfect_response
from quizzes.gradebook import build_rows
from quizzes.loading import load_bank
from tests.quizzes.grader.support import GRADING, TINY

BANK = load_bank(TINY)
QUIZ = BANK.quiz("tiny-all")
EXERCISES = BANK.quiz_exercises("tiny-all")


def test_fast_rows_equal_build_rows_on_every_fixture():
    for name in ("class.jsonl", "class-attempts.jsonl", "mixed.jsonl", "class.csv", "wide.csv", "mixed.csv"):
        grades = grade_records(BANK, QUIZ, read_answers(GRADING / name))
        assert list(gradebook_rows(grades)) == build_rows(EXERCISES, gradebook_records(grades)), name


def _answer_strategy():
    """Answers drawn from the tiny pack's exercises: perfect, empty, partial spans, any option."""
    text = BANK.pack.article.text
    span = st.integers(0, len(text) - 2).flatmap(lambda s: st.tuples(st.just(s), st.integers(s + 1, min(len(text), s + 60))))
    by_type = {
        "highlight": st.lists(span, max_size=4).map(lambda ss: {"spans": [{"start": a, "end": b} for a, b in ss]}),
        "label_spans": st.lists(st.tuples(span, st.sampled_from(["direct_quote", "vague_source", "unattributed"])), max_size=4).map(
            lambda ss: {"spans": [{"start": a, "end": b, "label": lab} for (a, b), lab in ss]}),
        "single_choice": st.sampled_from([{"choice": "a"}, {"choice": "b"}, {}]),
        "multi_choice": st.lists(st.sampled_from(["a", "b", "c"]), unique=True).map(lambda c: {"choices": c}),
        "match": st.fixed_dictionaries({"l1": st.sampled_from(["r1", "r2"]), "l2": st.sampled_from(["r1", "r2"])}).map(lambda p: {"pairs": p}),
        "attribution_roles": st.fixed_dictionaries({}, optional={"source": span, "cue": span, "content": span}).map(
            lambda r: {k: {"start": a, "end": b} for k, (a, b) in r.items()}),
        "short_answer": st.sampled_from(["", "no source, funded instead of reasons", "money", "I don't know"]).map(lambda t: {"text": t}),
        "rewrite": st.sampled_from(["", "Critics said the plan was risky.", "Critics called the plan a reckless gamble."]).map(lambda t: {"text": t}),
    }
    exercise = st.sampled_from(EXERCISES)
    return exercise.flatmap(lambda e: st.tuples(st.just(e.id), st.one_of(by_type[e.type], st.just(perfect_response(e, BANK.pack).model_dump(mode="json", exclude_none=True)))))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ana", "ben", "chloe", "dev"]), _answer_strategy()), max_size=40))
def test_fast_rows_equal_build_rows_for_any_class(tmp_path_factory, answers):
    path: Path = tmp_path_factory.mktemp("class") / "answers.jsonl"
    path.write_text("".join(json.dumps({"student": s, "exercise": e, "response": r}) + "\n" for s, (e, r) in answers), encoding="utf-8")
    grades = grade_records(BANK, QUIZ, read_answers(path))
    rows = list(gradebook_rows(grades))
    assert rows == build_rows(EXERCISES, gradebook_records(grades))
    for row in rows:
        assert row.discernment == discernment([o.counts for o in gradebook_records_outcomes(grades, row.student.id) if o.counts is not None])


def gradebook_records_outcomes(grades, student):  # type: ignore[no-untyped-def]
    return next(r.outcomes for r in gradebook_records(grades) if r.student.id == student).values()


def test_outcome_cache_changes_no_result(tmp_path, monkeypatch):
    """With the cache emptied after every answer, the gradebook is the same."""
    cached = list(gradebook_rows(grade_records(BANK, QUIZ, read_answers(GRADING / "class.jsonl"))))
    monkeypatch.setattr(batch_grading, "CACHE_LIMIT", 1)
    uncached = list(gradebook_rows(grade_records(BANK, QUIZ, read_answers(GRADING / "class.jsonl"))))
    assert cached == uncached


def test_identical_answers_share_one_outcome():
    grades = grade_records(BANK, QUIZ, read_answers(GRADING / "class.jsonl"))
    # chloe and dev both answered {"choice": "b"}: scored once, one shared (response, outcome) pair
    assert grades.answers["chloe"]["t-single"] is grades.answers["dev"]["t-single"]
    assert grades.answers["ana"]["t-highlight"] is not grades.answers["dev"]["t-highlight"]
    both = grade_records(BANK, QUIZ, [*read_answers(GRADING / "class.jsonl"), *read_answers(GRADING / "class-attempts.jsonl")])
    assert both.replaced == 23  # class-attempts repeats 23 answers of class.jsonl: the later ones count


def test_two_process_grading_equals_one_pass_on_every_jsonl_fixture(tmp_path):
    from quizzes.grader.parallel import grade_file

    names = ["class.jsonl", "class-attempts.jsonl", "mixed.jsonl", "windows-bom.jsonl"]
    # a file whose halves share students, so later answers in the second half must replace earlier ones
    both = tmp_path / "both.jsonl"
    both.write_bytes((GRADING / "mixed.jsonl").read_bytes() + (GRADING / "class.jsonl").read_bytes() + (GRADING / "mixed.jsonl").read_bytes())
    for path in [GRADING / n for n in names] + [both]:
        one_errors: list = []
        one = grade_records(BANK, QUIZ, read_answers(path), one_errors.append)
        two_errors: list = []
        two = grade_file(BANK, QUIZ, str(path), None, two_errors.append, None, min_bytes=0)
        assert list(gradebook_rows(two)) == list(gradebook_rows(one)), path.name
        assert two_errors == one_errors, path.name
        assert (two.records, two.graded, two.rejected, two.replaced) == (one.records, one.graded, one.rejected, one.replaced), path.name
        assert list(two.answers) == list(one.answers), path.name  # students in order of first appearance
        assert {k: v.line for k, v in two.reviews.items()} == {k: v.line for k, v in one.reviews.items()}, path.name


def test_split_jsonl_cuts_at_a_line_start_and_counts_the_lines_before():
    from quizzes.grader.reading import split_jsonl

    path = GRADING / "class.jsonl"
    data = path.read_bytes()
    offset, before = split_jsonl(path)
    assert 0 < offset < len(data) and data[offset - 1 : offset] == b"\n"
    assert before == data[:offset].count(b"\n")


def test_an_engine_failure_rejects_that_answer_only(monkeypatch):
    import quizzes.scoring

    real = quizzes.scoring.score_unremembered  # what the grading script calls (it keeps its own cache)

    def fragile(exercise, response, pack):  # type: ignore[no-untyped-def]
        if exercise.id == "t-match":
            raise RuntimeError("boom")
        return real(exercise, response, pack)

    monkeypatch.setattr(quizzes.scoring, "score_unremembered", fragile)
    errors: list = []
    grades = grade_records(BANK, QUIZ, read_answers(GRADING / "class.jsonl"), errors.append)
    assert {e.line for e in errors} == {5, 13, 21}  # the three t-match answers
    assert all("internal error" in e.reason and "boom" in e.reason for e in errors)
    assert grades.graded == 26 - 3 and "t-single" in grades.answers["ana"]


def test_grading_without_detail_keeps_the_same_gradebook_and_drops_the_rest():
    for name in ("class.jsonl", "mixed.jsonl", "class.csv"):
        full = grade_records(BANK, QUIZ, read_answers(GRADING / name))
        lean = grade_records(BANK, QUIZ, read_answers(GRADING / name), detail=False)
        assert list(gradebook_rows(lean)) == list(gradebook_rows(full)), name
        for answers in lean.answers.values():
            for response, outcome in answers.values():
                assert response is None and outcome.feedback == () and outcome.parts == ()
        for answers in full.answers.values():
            for response, outcome in answers.values():
                assert response is not None and outcome.feedback == ()  # feedback texts are never kept


def test_grading_scores_as_the_engine_does_without_its_memo():
    from quizzes.reference_responses import perfect_response
    from quizzes.responses import parse_response
    from quizzes.scoring import memo, score, score_unremembered

    for exercise in BANK.quiz_exercises(QUIZ.id):
        for response in (parse_response(exercise.type, {}), perfect_response(exercise, BANK.pack)):
            memo.clear_outcomes()
            fresh = score_unremembered(exercise, response, BANK.pack).model_dump_json()
            assert fresh == score(exercise, response, BANK.pack).model_dump_json(), exercise.id
