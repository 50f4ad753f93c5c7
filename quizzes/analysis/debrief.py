"""The class debrief: how a class read the article, against the key, with no student named.

Pure: the quiz's exercises, the lesson pack and each student's latest submitted responses in; a
report out. Only span exercises (``highlight``, ``label_spans``) take part: they are the ones
whose marks can be laid over the text.

Policies:

- **Students** are counted once each: a student's marks in one exercise are merged first, so a
  word marked twice by one student counts once.
- **Heat** is the number of students whose marks cover each stretch of the text, as runs
  ``[start, end)`` in code points with a constant count (zero-count stretches are left out).
- **Found** (key item): a student's mark overlaps the item's span or one of its alternatives.
  **Marked** (foil): a student's mark overlaps the foil.
- **Minimum group**: when fewer than ``min_group`` students submitted, every class figure (heat,
  counts, shares, proposals) is withheld, so no single answer can be read off the view. The key
  itself (quotes and rationales) is still shown: it has been released.
- **Proposals**, in this order, each item once: contested items where the class split (a third to
  two thirds found them), the most missed key items (found by under half, fewest first, at most
  three), the most marked foils (at most two), other items where the class split (at most two).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from lesson.annotations import AnnotationItem
from lesson.bundle import LessonPack
from lesson.discussion import question_for
from lesson.text import Span
from quizzes.analysis.items import SpanResolver, marks_of
from quizzes.exercises import Exercise, HighlightExercise, LabelSpansExercise
from quizzes.responses import Response

__all__ = ["HeatRun", "ItemDebrief", "ExerciseDebrief", "Step", "Debrief", "OwnMark", "ClassExerciseView", "ClassView", "debrief", "class_view"]

StudentResponses = Mapping[str, Response | None]
"""One student's latest submitted attempt: exercise id -> response (``None`` when unanswered)."""

SPLIT_LOW, SPLIT_HIGH = Fraction(1, 3), Fraction(2, 3)


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)


class HeatRun(Report):
    start: int
    end: int
    students: int


class ItemDebrief(Report):
    """A key item or foil with what the class did with it (``None`` counts when withheld)."""

    item_id: str
    kind: Literal["key", "foil"]
    start: int
    end: int
    quote: str
    technique: str
    rationale: str
    contested: bool
    students: int | None
    share: float | None
    discussion: str | None


class ExerciseDebrief(Report):
    exercise_id: str
    title: str
    prompt: str
    scope: tuple[int, int]
    heat: list[HeatRun] | None
    items: list[ItemDebrief]


class Step(Report):
    """One item the view proposes to discuss, and why."""

    exercise_id: str
    item_id: str
    reason: Literal["contested_split", "most_missed", "most_marked_foil", "split"]
    explanation: str
    """Why the view proposes it, in a sentence for the class (the figures are on the item)."""


class Debrief(Report):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{
        "students": 24, "min_group": 5, "withheld": False,
        "exercises": [{"exercise_id": "frm-03", "title": "Loaded words", "prompt": "Mark every loaded word.", "scope": [4065, 7302],
                       "heat": [{"start": 4120, "end": 4131, "students": 17}],
                       "items": [{"item_id": "frm-kiev-regime", "kind": "key", "start": 4120, "end": 4131, "quote": "Kiev regime",
                                  "technique": "Name-calling", "rationale": "…", "contested": False, "students": 17, "share": 0.7083,
                                  "discussion": "The article says several times that people are \"anti-Russian\". …"}]}],
        "proposals": [{"exercise_id": "frm-03", "item_id": "frm-kiev-regime", "reason": "split", "explanation": "The class split on it: some found it, some did not."}]}]})

    students: int
    min_group: int
    withheld: bool
    exercises: list[ExerciseDebrief]
    proposals: list[Step]


class OwnMark(Report):
    start: int
    end: int
    quote: str
    classmates: int | None
    """How many other students' marks overlap this one (``None`` when withheld)."""


class ClassExerciseView(Report):
    exercise_id: str
    title: str
    scope: tuple[int, int]
    heat: list[HeatRun] | None
    mine: list[OwnMark]


class ClassView(Report):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{
        "classmates": 23, "min_group": 5, "withheld": False,
        "exercises": [{"exercise_id": "frm-03", "title": "Loaded words", "scope": [4065, 7302],
                       "heat": [{"start": 4120, "end": 4131, "students": 17}],
                       "mine": [{"start": 4120, "end": 4131, "quote": "Kiev regime", "classmates": 16}]}]}]})

    classmates: int | None
    min_group: int
    withheld: bool
    exercises: list[ClassExerciseView]


def _span_exercises(exercises: Sequence[Exercise]) -> list[HighlightExercise | LabelSpansExercise]:
    return [e for e in exercises if isinstance(e, (HighlightExercise, LabelSpansExercise))]


def _merged(spans: Sequence[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def _heat(students: Sequence[list[Span]]) -> list[HeatRun]:
    """Runs of constant student count over the union of every student's merged marks."""
    events: dict[int, int] = {}
    for marks in students:
        for span in marks:
            events[span.start] = events.get(span.start, 0) + 1
            events[span.end] = events.get(span.end, 0) - 1
    runs: list[HeatRun] = []
    count, previous = 0, None
    for position in sorted(events):
        if previous is not None and count > 0 and position > previous:
            if runs and runs[-1].end == previous and runs[-1].students == count:
                runs[-1] = HeatRun(start=runs[-1].start, end=position, students=count)
            else:
                runs.append(HeatRun(start=previous, end=position, students=count))
        count += events[position]
        previous = position
    return runs


def _scope(exercise: Exercise, pack: LessonPack) -> tuple[int, int]:
    blocks = [b for b in pack.article.blocks if b.id in exercise.scope]
    return (min(b.start for b in blocks), max(b.end for b in blocks)) if blocks else (0, 0)


def _student_marks(exercise: Exercise, response: Response | None, resolver: SpanResolver) -> list[Span]:
    return _merged([span for span, _label in marks_of(exercise, response, resolver)])


def _item_spans(item: AnnotationItem) -> list[Span]:
    return [Span(item.start, item.end), *(Span(a.start, a.end) for a in item.alternatives)]


def _technique(pack: LessonPack, exercise: HighlightExercise | LabelSpansExercise, item: AnnotationItem) -> str:
    offered = exercise.labels if isinstance(exercise, HighlightExercise) else exercise.label_options
    label = next((label for label in item.labels if label in offered), item.labels[0])
    try:
        return pack.glossary.get(label).name
    except KeyError:
        return label


def _is_contested(item: AnnotationItem) -> bool:
    return bool(getattr(item, "contested", None))


def debrief(exercises: Sequence[Exercise], pack: LessonPack, students: Sequence[StudentResponses], min_group: int = 5) -> Debrief:
    """The class debrief of ``students`` (latest submitted attempts of one quiz) on its span exercises."""
    resolver = SpanResolver(pack.article.text)
    withheld = len(students) < min_group
    reports: list[ExerciseDebrief] = []
    candidates: list[tuple[str, ItemDebrief]] = []
    for exercise in _span_exercises(exercises):
        marks = [_student_marks(exercise, s.get(exercise.id), resolver) for s in students]
        items: list[ItemDebrief] = []
        for kind, ids in (("key", exercise.key), ("foil", exercise.foils)):
            for item_id in ids:
                if not pack.annotation.has(item_id):
                    continue
                item = pack.annotation.get(item_id)
                spans = _item_spans(item)
                count = sum(1 for mine in marks if any(m.overlaps(s) for m in mine for s in spans))
                question = question_for(pack.discussion, item.skill.value, item.labels)
                items.append(ItemDebrief(
                    item_id=item.id, kind=kind, start=item.start, end=item.end, quote=item.quote,  # type: ignore[arg-type]
                    technique=_technique(pack, exercise, item) if kind == "key" else "look-alike (not the technique)",
                    rationale=item.feedback or item.rationale if kind == "foil" else item.rationale,
                    contested=_is_contested(item),
                    students=None if withheld else count,
                    share=None if withheld or not students else round(count / len(students), 4),
                    discussion=question.question if question else None,
                ))
        reports.append(ExerciseDebrief(
            exercise_id=exercise.id, title=exercise.title, prompt=exercise.prompt, scope=_scope(exercise, pack),
            heat=None if withheld else _heat(marks), items=items,
        ))
        candidates.extend((exercise.id, item) for item in items)
    return Debrief(students=len(students), min_group=min_group, withheld=withheld, exercises=reports,
                   proposals=[] if withheld else _proposals(candidates, len(students)))


def _proposals(candidates: list[tuple[str, ItemDebrief]], class_size: int) -> list[Step]:
    chosen: list[Step] = []
    taken: set[tuple[str, str]] = set()

    def share(item: ItemDebrief) -> Fraction:
        return Fraction(item.students or 0, class_size or 1)

    def take(exercise_id: str, item: ItemDebrief, reason: str, explanation: str) -> None:
        if (exercise_id, item.item_id) not in taken:
            taken.add((exercise_id, item.item_id))
            chosen.append(Step(exercise_id=exercise_id, item_id=item.item_id, reason=reason, explanation=explanation))  # type: ignore[arg-type]

    keys = [(e, i) for e, i in candidates if i.kind == "key"]
    foils = [(e, i) for e, i in candidates if i.kind == "foil"]
    split = [(e, i) for e, i in keys if SPLIT_LOW <= share(i) <= SPLIT_HIGH]
    for e, i in split:
        if i.contested:
            take(e, i, "contested_split", "The class split, and careful readers disagree about this one too: ask both sides for their reasons.")
    for e, i in sorted((c for c in keys if share(c[1]) < Fraction(1, 2)), key=lambda c: (share(c[1]), c[1].start))[:3]:
        take(e, i, "most_missed", "Most of the class missed it.")
    for e, i in sorted((c for c in foils if (c[1].students or 0) > 0), key=lambda c: (-share(c[1]), c[1].start))[:2]:
        take(e, i, "most_marked_foil", "Many marked it: it looks like the technique but is not. Why?")
    for e, i in [c for c in split if not c[1].contested][:2]:
        take(e, i, "split", "The class split on it: some found it, some did not.")
    return chosen


def class_view(
    exercises: Sequence[Exercise], pack: LessonPack, mine: StudentResponses, classmates: Sequence[StudentResponses], min_group: int = 5,
) -> ClassView:
    """One student's marks beside the class's (``classmates`` excludes the student); nobody is named.

    Withheld (no heat, no counts) when the class, the student included, is smaller than ``min_group``.
    """
    resolver = SpanResolver(pack.article.text)
    withheld = len(classmates) + 1 < min_group
    views: list[ClassExerciseView] = []
    for exercise in _span_exercises(exercises):
        own = _student_marks(exercise, mine.get(exercise.id), resolver)
        others = [_student_marks(exercise, c.get(exercise.id), resolver) for c in classmates]
        views.append(ClassExerciseView(
            exercise_id=exercise.id, title=exercise.title, scope=_scope(exercise, pack),
            heat=None if withheld else _heat([own, *others]),
            mine=[OwnMark(start=m.start, end=m.end, quote=pack.article.text[m.start:m.end],
                          classmates=None if withheld else sum(1 for o in others if any(m.overlaps(x) for x in o)))
                  for m in own],
        ))
    return ClassView(classmates=None if withheld else len(classmates), min_group=min_group, withheld=withheld, exercises=views)
