"""Scoring ``highlight`` and ``label_spans`` answers.

``earned = points * R * (1 - min(1, false / budget))`` where R is the labelled span recall of
SemEval-2020 Task 11 (a place's credit shared among the labels given to it), ``false`` the marked
code points outside every key and contested span (less a one-word tolerance) and ``budget`` the
larger of 5/4 of the key's length and 7/2 of the scope's longest sentence; the rule and
hand-computed examples are in :mod:`quizzes.scoring.measure` and ``docs/scoring.md``.

Each span of the answer is resolved (position or quote selector) and trimmed to words; a span that
cannot be resolved, or carries a label the exercise does not offer, is an ``invalid`` part with a
message and is left out. If every span is invalid the outcome is ``invalid``. ``parts`` give each key
span's recall share in points (they add up to ``points * recall``, not to ``earned``).
"""

from __future__ import annotations

from fractions import Fraction

from lesson.bundle import LessonPack
from quizzes.exercises import HighlightExercise, LabelSpansExercise
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, PartOutcome, SpanCounts, SpanMeasures
from quizzes.responses import HighlightResponse, LabelSpansResponse
from quizzes.scoring.common import count, invalid_item, invalid_outcome, percent, status_for
from quizzes.scoring.intervals import Interval, merge
from quizzes.scoring.keys import ANY_LABEL, KeyUnit, SpanKey, compile_span_key
from quizzes.scoring.measure import ALL_COVERED, NOTHING_COVERED, SpanMeasure, UnitResult, measure
from quizzes.scoring.memo import memoised
from quizzes.scoring.selectors import Unresolved, describe, pack_text, resolve

__all__ = ["score_highlight", "score_label_spans", "span_key"]


def span_key(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> SpanKey:
    """The compiled key of ``exercise`` (compiled once per exercise and pack object)."""
    return memoised("span-key", exercise, pack, compile_span_key)


def _label_name(pack: LessonPack, label: str) -> str:
    try:
        return pack.glossary.get(label).name
    except KeyError:
        return label


def _collect(
    exercise: HighlightExercise | LabelSpansExercise,
    response: HighlightResponse | LabelSpansResponse,
    pack: LessonPack,
    key: SpanKey,
) -> tuple[dict[str, list[Interval]], list[FeedbackItem]]:
    source = pack_text(pack)
    needs_label = isinstance(exercise, LabelSpansExercise)
    marks: dict[str, list[Interval]] = {}
    problems: list[FeedbackItem] = []
    for number, answer in enumerate(response.spans, start=1):
        label = answer.label
        if label is not None and label not in key.labels:
            offered = ", ".join(sorted(key.labels))
            problems.append(invalid_item(f"Span {number} {describe(answer)}: unknown label {label!r}; choose one of: {offered}"))
            continue
        if needs_label and label is None:
            problems.append(invalid_item(f"Span {number} {describe(answer)}: give the span a label"))
            continue
        found = resolve(answer, source)
        if isinstance(found, Unresolved):
            problems.append(invalid_item(f"Span {number}: {found.message}"))
            continue
        marks.setdefault(label if needs_label else ANY_LABEL, []).append(found)  # type: ignore[arg-type]
    return marks, problems


class _Presenter:
    """Per-exercise pieces of span outcomes, built once and reused (outcome parts are immutable).

    Key units' anchors, "missed" items and point shares are fixed by the key; "found" items and
    parts depend only on a unit's coverage, so they are cached by (unit, coverage).
    """

    _LIMIT = 20_000

    def __init__(self, exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> None:
        key = span_key(exercise, pack)
        text = pack.article.text
        self.possible = Fraction(exercise.points)
        self.share = self.possible / len(key.units)
        self.ids = ["+".join(u.item_ids) for u in key.units]
        self.anchors = []
        self.missed = []
        for unit in key.units:
            start, end = unit.candidates[0].span
            anchor = dict(start=start, end=end, quote=text[start:end], item_id=unit.item_ids[0], label=unit.label or None)
            self.anchors.append(anchor)
            self.missed.append(FeedbackItem(kind=FeedbackKind.MISSED, message=unit.rationale, **anchor))
        self.zero_parts = [PartOutcome(id=i, earned=Fraction(0), possible=self.share) for i in self.ids]
        self.full_parts = [PartOutcome(id=i, earned=self.share, possible=self.share) for i in self.ids]
        self.full_found = [
            FeedbackItem(kind=FeedbackKind.FOUND, message=u.rationale, **a)
            for u, a in zip(key.units, self.anchors)
        ]
        # keyed by (unit position, numerator, denominator): hashing a Fraction is slow Python
        self._found: dict[tuple[int, int, int], FeedbackItem] = {}
        self._parts: dict[tuple[int, int, int], PartOutcome] = {}

    def part(self, position: int, coverage: Fraction) -> PartOutcome:
        # Identity with measure's constants is a shortcut (fraction comparisons are Python calls); an
        # equal fraction takes the general path and gets an equal part.
        if coverage is NOTHING_COVERED:
            return self.zero_parts[position]
        if coverage is ALL_COVERED:
            return self.full_parts[position]
        if not coverage:
            return self.zero_parts[position]
        if coverage == 1:
            return self.full_parts[position]
        slot = (position, coverage.numerator, coverage.denominator)
        part = self._parts.get(slot)
        if part is None:
            if len(self._parts) > self._LIMIT:
                self._parts.clear()
            part = self._parts[slot] = PartOutcome(
                id=self.ids[position], earned=self.share * coverage, possible=self.share
            )
        return part

    def found(self, position: int, unit: KeyUnit, coverage: Fraction) -> FeedbackItem:
        if coverage is ALL_COVERED or coverage == 1:
            return self.full_found[position]
        slot = (position, coverage.numerator, coverage.denominator)
        item = self._found.get(slot)
        if item is None:
            if len(self._found) > self._LIMIT:
                self._found.clear()
            message = f"Your mark covers only {percent(coverage)} of it. {unit.rationale}"
            item = self._found[slot] = FeedbackItem(kind=FeedbackKind.FOUND, message=message, **self.anchors[position])
        return item


def _presenter(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> _Presenter:
    return memoised("span-presenter", exercise, pack, _Presenter)


def _score(
    exercise: HighlightExercise | LabelSpansExercise,
    response: HighlightResponse | LabelSpansResponse,
    pack: LessonPack,
) -> Outcome:
    key = span_key(exercise, pack)
    marks, problems = _collect(exercise, response, pack, key)
    if response.spans and len(problems) == len(response.spans):
        return invalid_outcome(exercise.id, exercise.points, (p.message for p in problems))
    result = measure(key, {label: merge(spans) for label, spans in marks.items()})
    presenter = _presenter(exercise, pack)
    possible = presenter.possible
    earned = possible * result.ratio
    # parts and the per-unit feedback items in one pass over the key units
    parts: list[PartOutcome] = []
    unit_items: list[FeedbackItem] = []
    hits = 0
    for position, unit_result in enumerate(result.units):
        if not unit_result.hit:
            parts.append(presenter.zero_parts[position])
            unit_items.append(presenter.missed[position])
            continue
        hits += 1
        parts.append(presenter.part(position, unit_result.coverage))
        if unit_result.same_label:
            unit_items.append(presenter.found(position, unit_result.unit, unit_result.coverage))
        else:
            unit_items.append(_wrong_label(pack, key, unit_result, presenter.anchors[position]))
    counts = SpanCounts(
        hits=hits,
        misses=len(result.units) - hits,
        false_alarms=len(result.false_alarms),
        foils_marked=len(result.foils_marked),
        foils_total=len(key.foils),
        free_marked=result.free_share,
    )
    feedback = _feedback(pack, result, counts, unit_items)
    if problems:
        feedback += tuple(problems)
    return Outcome(
        exercise_id=exercise.id,
        status=status_for(earned, possible),
        earned=earned,
        possible=possible,
        parts=tuple(parts),
        feedback=feedback,
        counts=counts,
        measures=SpanMeasures(precision=result.precision, recall=result.recall, f1=result.f1),
    )


def _wrong_label(pack: LessonPack, key: SpanKey, unit_result: UnitResult, anchor: dict) -> FeedbackItem:
    unit = unit_result.unit
    given = ", ".join(_label_name(pack, g) for g in unit_result.labels_given)
    related = any(g in key.related.get(unit.label, ()) for g in unit_result.labels_given)
    note = " (a related technique: partial credit)" if related and key.related_credit else ""
    message = (
        f"Right place, but you labelled it {given}; the key says {_label_name(pack, unit.label)}{note}. "
        f"{unit.rationale}"
    )
    return FeedbackItem(kind=FeedbackKind.WRONG_LABEL, message=message, **anchor)


def _summary(result: SpanMeasure, counts: SpanCounts, unit_items: list[FeedbackItem]) -> str:
    """The outcome in sentences a student reads, with the reason for every point lost.

    The measures behind it (precision, recall, what the marks outside the key cost) stay in
    ``Outcome.measures`` and ``counts`` for the teacher's views.
    """
    n = len(result.units)
    sentences = [f"You found {counts.hits} of the {count(n, 'place')} to mark." if n != 1
                 else ("You found the one place to mark." if counts.hits else "You did not find the one place to mark.")]
    wrong_labels = sum(1 for f in unit_items if f.kind is FeedbackKind.WRONG_LABEL)
    if wrong_labels:
        sentences.append(f"{count(wrong_labels, 'place')} {'has' if wrong_labels == 1 else 'have'} a different label from the key, which earns less: part of the credit for a related technique, none for another.")
    # ``is not ALL_COVERED`` first: a full unit's coverage is that very object, and comparing fractions is slow
    partly = sum(1 for u in result.units if u.hit and u.coverage is not ALL_COVERED and u.coverage < 1)
    if partly:
        sentences.append(f"Your marks cover only part of {count(partly, 'place')}.")
    if counts.false_alarms:
        verb = "is" if counts.false_alarms == 1 else "are"
        if counts.foils_marked >= counts.false_alarms:
            where = "a look-alike (words that resemble a technique but are not one)" if counts.false_alarms == 1 else "look-alikes (words that resemble a technique but are not one)"
        else:
            where = "words the exercise does not ask for" + (f", {counts.foils_marked} of them on a look-alike" if counts.foils_marked else "")
        sentences.append(f"{count(counts.false_alarms, 'mark')} {verb} on {where}, which lowers the score.")
    elif result.precision < 1 and counts.hits:
        sentences.append("Some of your marks reach past the words that do the work, which costs a little.")
    if result.penalty:
        sentences.append(
            f"Marking text where there is nothing to find cost {percent(result.penalty)} of the score: "
            "mark only the words that do the work."
        )
    if n - counts.hits:
        sentences.append(f"You missed {count(n - counts.hits, 'place')}.")
    return " ".join(sentences)


def _feedback(
    pack: LessonPack,
    result: SpanMeasure,
    counts: SpanCounts,
    unit_items: list[FeedbackItem],
) -> tuple[FeedbackItem, ...]:
    text = pack.article.text
    summary = _summary(result, counts, unit_items)
    items: list[FeedbackItem] = [FeedbackItem(kind=FeedbackKind.SUMMARY, message=summary), *unit_items]
    for contested in result.contested_marked:
        start, end = contested.span
        items.append(
            FeedbackItem(
                kind=FeedbackKind.CONTESTED,
                message=f"Defensible, not required: this costs and earns nothing. {contested.reason}",
                start=start,
                end=end,
                quote=text[start:end],
                item_id=contested.item_id,
            )
        )
    covered = [f.span for f in result.foils_marked] + [c.span for c in result.contested_marked]
    for foil in result.foils_marked:
        start, end = foil.span
        items.append(
            FeedbackItem(kind=FeedbackKind.FOIL, message=foil.feedback, start=start, end=end, quote=text[start:end], item_id=foil.item_id)
        )
    for start, end in result.false_alarms:
        if covered and any(f[0] < end and start < f[1] for f in covered):
            continue
        items.append(
            FeedbackItem(
                kind=FeedbackKind.EXTRA,
                message="Nothing the exercise asks for is here.",
                start=start,
                end=end,
                quote=text[start:end],
            )
        )
    return tuple(items)


def score_highlight(exercise: HighlightExercise, response: HighlightResponse, pack: LessonPack) -> Outcome:
    """Score a ``highlight`` answer (labels on spans are optional and must be among the exercise's)."""
    return _score(exercise, response, pack)


def score_label_spans(exercise: LabelSpansExercise, response: LabelSpansResponse, pack: LessonPack) -> Outcome:
    """Score a ``label_spans`` answer (every span needs a label from ``label_options``)."""
    return _score(exercise, response, pack)
