"""Learning gain: pairing, per-skill shares, Hake's g and discernment, and the `quiz-grade gain` command."""

from __future__ import annotations

import json
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from quizzes.grader.cli import main
from quizzes.analysis.gain import TOTAL, learning_gain, normalised_gain
from quizzes.outcome import Outcome, SpanCounts, Status
from tests.conftest import TINY_PACK


def _outcome(exercise: str, earned: int, possible: int, counts: SpanCounts | None = None) -> Outcome:
    status = Status.CORRECT if earned == possible else Status.INCORRECT if earned == 0 else Status.PARTIAL
    return Outcome(exercise_id=exercise, status=status, earned=Fraction(earned), possible=Fraction(possible), counts=counts)


SKILLS = {"a1": "attribution", "f1": "framing", "a2": "attribution", "f2": "framing"}


def test_gain_pairs_students_and_reports_shares_raw_and_normalised_gain_per_skill():
    pre = {"ana": [_outcome("a1", 1, 4), _outcome("f1", 2, 2)], "bob": [_outcome("a1", 2, 4), _outcome("f1", 0, 2)], "cy": [_outcome("a1", 4, 4)]}
    post = {"ana": [_outcome("a2", 3, 4), _outcome("f2", 2, 2)], "bob": [_outcome("a2", 4, 4), _outcome("f2", 1, 2)], "dee": [_outcome("a2", 1, 4)]}
    result = learning_gain(pre, post, SKILLS)
    assert [s.student for s in result.students] == ["ana", "bob"]
    assert result.only_pre == ("cy",) and result.only_post == ("dee",)
    ana = result.students[0].by_skill
    assert (ana["attribution"].pre, ana["attribution"].post) == (Fraction(1, 4), Fraction(3, 4))
    assert ana["attribution"].normalised == Fraction(2, 3)       # (3/4 - 1/4) / (1 - 1/4)
    assert ana["framing"].normalised is None                     # no room to improve
    assert ana[TOTAL].pre == Fraction(3, 6) and ana[TOTAL].post == Fraction(5, 6)
    attribution = result.by_skill["attribution"]                 # class means, Hake's g on them
    assert (attribution.pre, attribution.post) == (Fraction(3, 8), Fraction(7, 8))
    assert attribution.raw == Fraction(1, 2) and attribution.normalised == Fraction(4, 5)
    assert list(result.by_skill)[-1] == TOTAL


def test_discernment_before_and_after_counts_hits_and_false_alarms_of_span_outcomes():
    sloppy = SpanCounts(hits=1, misses=1, false_alarms=3, foils_marked=1, foils_total=1, free_marked=Fraction(1, 2))
    careful = SpanCounts(hits=2, misses=0, false_alarms=0, foils_marked=0, foils_total=1, free_marked=Fraction(0))
    result = learning_gain({"ana": [_outcome("f1", 1, 2, sloppy)]}, {"ana": [_outcome("f2", 2, 2, careful)]}, SKILLS)
    before, after = result.discernment_pre, result.discernment_post
    assert (before.hits, before.false_alarms, after.hits, after.false_alarms) == (1, 3, 2, 0)
    assert before.balanced_accuracy < after.balanced_accuracy == 1


@given(st.fractions(0, 1), st.fractions(0, 1))
def test_normalised_gain_is_at_most_one_and_has_the_sign_of_the_raw_gain(pre, post):
    g = normalised_gain(pre, post)
    if pre == 1:
        assert g is None
    else:
        assert g <= 1 and (g > 0) == (post > pre) and (g < 0) == (post < pre)


def _answers(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_gain_command_writes_a_report_and_a_plot_for_the_class(tmp_path, capsys):
    before = _answers(tmp_path / "before.jsonl", [
        {"student": "ana", "exercise": "t-highlight", "response": {"type": "highlight", "spans": [{"start": 53, "end": 57}]}},
        {"student": "ana", "exercise": "t-single", "response": {"type": "single_choice", "choice": "a"}},
        {"student": "bob", "exercise": "t-single", "response": {"type": "single_choice", "choice": "b"}},
    ])
    after = _answers(tmp_path / "after.jsonl", [
        {"student": "ana", "exercise": "t-highlight", "response": {"type": "highlight", "spans": [{"start": 107, "end": 122}, {"start": 172, "end": 186}]}},
        {"student": "ana", "exercise": "t-single", "response": {"type": "single_choice", "choice": "b"}},
    ])
    report, plot = tmp_path / "gain.md", tmp_path / "gain.svg"
    code = main(["gain", before, after, "--pre", "tiny-a", "--post", "tiny-a", "--pack", str(TINY_PACK),
                 "--out", str(report), "--plot", str(plot)])
    assert code == 0
    text = report.read_text(encoding="utf-8")
    assert "1 student(s) with both attempts." in text
    assert "| All skills | 0% | 100% | +100 | 1.00 |" in text
    assert "| before | 0 of 2 | 1 | 0.2" in text and "| after | 2 of 2 | 0 | 1.00 |" in text   # the foil "said" was marked
    assert "Only a first attempt: bob" in text
    svg = plot.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.count("<rect") >= 6 and "g = 1.00" in svg
    assert "1 student(s) paired" in capsys.readouterr().err


def test_gain_command_without_any_pair_fails_clearly(tmp_path, capsys):
    only = _answers(tmp_path / "a.jsonl", [{"student": "ana", "exercise": "t-single", "response": {"type": "single_choice", "choice": "b"}}])
    other = _answers(tmp_path / "b.jsonl", [{"student": "bob", "exercise": "t-single", "response": {"type": "single_choice", "choice": "b"}}])
    assert main(["gain", only, other, "--pre", "tiny-a", "--post", "tiny-a", "--pack", str(TINY_PACK)]) == 1
    assert "no student has answers in both files" in capsys.readouterr().err
