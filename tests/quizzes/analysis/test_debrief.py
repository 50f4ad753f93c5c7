"""quizzes.analysis.debrief on the shipped pack and on generated classes: students counted once, the
minimum-group rule, proposals that point at real items, and no figure about a named student."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lesson.text import Span
from quizzes.analysis.debrief import class_view, debrief
from quizzes.reference_responses import perfect_response
from quizzes.exercises import HighlightExercise, LabelSpansExercise
from quizzes.loading import load_shipped_banks
from quizzes.responses import HighlightResponse, SpanAnswer

BANK = next(iter(load_shipped_banks().values()))
PACK = BANK.pack
FINAL = BANK.quiz_exercises("final")
SPAN_EXERCISES = [e for e in FINAL if isinstance(e, (HighlightExercise, LabelSpansExercise))]


def _perfect() -> dict:
    return {e.id: perfect_response(e, PACK) for e in FINAL}


def test_a_class_of_perfect_readers_finds_every_key_item_and_marks_no_foil() -> None:
    report = debrief(FINAL, PACK, [_perfect() for _ in range(6)])
    assert not report.withheld and report.students == 6
    assert [e.exercise_id for e in report.exercises] == [e.id for e in SPAN_EXERCISES]
    for exercise in report.exercises:
        for item in exercise.items:
            if item.kind == "key":
                assert item.students == 6 and item.share == 1.0, (exercise.exercise_id, item.item_id)
            assert item.rationale and item.quote == PACK.article.text[item.start:item.end]
            assert item.discussion, f"{item.item_id} has no discussion question"
    assert all(step.reason != "most_missed" for step in report.proposals)


def test_empty_answers_make_every_key_item_most_missed_and_withholding_hides_every_count() -> None:
    report = debrief(FINAL, PACK, [{} for _ in range(5)])
    missed = [s for s in report.proposals if s.reason == "most_missed"]
    assert len(missed) == 3 and all("missed" in s.explanation for s in missed)
    items = {(e.exercise_id, i.item_id): i for e in report.exercises for i in e.items}
    assert all(items[(s.exercise_id, s.item_id)].students == 0 for s in missed)
    hidden = debrief(FINAL, PACK, [_perfect() for _ in range(4)], min_group=5)
    assert hidden.withheld and hidden.proposals == []
    assert all(e.heat is None and all(i.students is None and i.share is None for i in e.items) for e in hidden.exercises)


def test_discussion_questions_are_the_guides_own_words() -> None:
    guide = " ".join(PACK.teacher_guide.replace("*", "").split())
    assert len(PACK.discussion) >= 8
    for question in PACK.discussion:
        assert question.question in guide, question.id


_exercise = next(e for e in SPAN_EXERCISES if isinstance(e, HighlightExercise))
_scope = next(e for e in debrief(FINAL, PACK, []).exercises if e.exercise_id == _exercise.id).scope


@st.composite
def _student(draw) -> dict:  # type: ignore[no-untyped-def]
    marks = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(_scope[0], _scope[1] - 1))
        end = draw(st.integers(start + 1, min(_scope[1], start + 80)))
        marks.append(SpanAnswer(start=start, end=end))
    return {_exercise.id: HighlightResponse(spans=marks)}


@settings(max_examples=60, deadline=None)
@given(st.lists(_student(), min_size=5, max_size=12))
def test_heat_counts_each_student_once_per_stretch_of_text(students) -> None:  # type: ignore[no-untyped-def]
    report = next(e for e in debrief(FINAL, PACK, students).exercises if e.exercise_id == _exercise.id)
    assert report.heat is not None
    marks = [[Span(a.start, a.end) for a in s[_exercise.id].spans] if _exercise.id in s else [] for s in students]

    def covering(position: int) -> int:
        return sum(any(sp.start <= position < sp.end for sp in spans) for spans in marks)

    for run in report.heat:  # a run's count holds at every position in it (checked at both ends)
        assert run.students == covering(run.start) == covering(run.end - 1) and 0 < run.students <= len(students)
    marked = {p for spans in marks for sp in spans for p in range(sp.start, sp.end)}
    assert marked == {p for run in report.heat for p in range(run.start, run.end)}
    assert all(a.end <= b.start for a, b in zip(report.heat, report.heat[1:]))


@settings(max_examples=40, deadline=None)
@given(_student(), st.lists(_student(), min_size=4, max_size=9))
def test_the_class_view_counts_classmates_whose_marks_overlap_mine(mine, others) -> None:  # type: ignore[no-untyped-def]
    view = next(e for e in class_view(FINAL, PACK, mine, others).exercises if e.exercise_id == _exercise.id)
    for mark in view.mine:
        expected = sum(1 for o in others if any(a.start < mark.end and mark.start < a.end for a in o.get(_exercise.id, HighlightResponse(spans=[])).spans))
        assert mark.classmates == expected <= len(others)
