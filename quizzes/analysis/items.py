"""Item analysis of a class's submitted attempts, as Moodle's quiz statistics report it.

Pure: exercises, the lesson pack and each attempt's responses and outcomes in; a report out.

- **facility**: mean score share of the item, 0..1 (Moodle's facility index / 100).
- **sd**: sample standard deviation (n - 1) of the item's score shares; ``None`` below 2 attempts.
- **discrimination**: corrected item–rest correlation, the Pearson correlation between the item's
  score share and the attempt's points on every *other* item, in [-1, 1]; ``None`` below 3
  attempts or when either side does not vary.
- **techniques** (span exercises): for each key item its expected technique (the first of its labels
  the exercise offers) counts a *hit* when any student span overlaps it, else a *miss*; a student
  span overlapping no key item is a *false alarm* for the label the student chose (for
  ``highlight``, the exercise's first label).
- **confusion**: for ``label_spans``, how often a key item of technique *expected* was overlapped by
  a student span labelled *chosen* (the diagonal are right labels).
- **blocks**: how many student spans touch each block, in total and by label (``role:<role>`` for
  ``attribution_roles``), for a heat map. Spans that cannot be resolved in the text are skipped.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from lesson.bundle import LessonPack
from lesson.text import QuoteAmbiguous, QuoteNotFound, Span, find_quote, normalise_for_matching
from quizzes.exercises import AttributionRolesExercise, Exercise, HighlightExercise, LabelSpansExercise
from quizzes.outcome import Outcome
from quizzes.responses import AttributionRolesResponse, HighlightResponse, LabelSpansResponse, Response, SpanAnswer

__all__ = ["AttemptAnswers", "Contribution", "contribution", "combine", "ItemStats", "TechniqueStats", "BlockCounts", "Analysis", "analyse", "pearson", "sample_sd", "SpanResolver", "marks_of"]

AttemptAnswers = Mapping[str, tuple[Response | None, Outcome | None]]
"""One submitted attempt: exercise id -> (the response or ``None``, its outcome or ``None``)."""


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemStats(Report):
    exercise_id: str
    type: str
    skill: str
    attempts: int
    facility: float | None
    sd: float | None
    discrimination: float | None


class TechniqueStats(Report):
    technique: str
    hits: int = 0
    misses: int = 0
    false_alarms: int = 0


class BlockCounts(Report):
    block_id: str
    role: str
    total: int
    by_label: dict[str, int]


class Analysis(Report):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{
        "attempts": 24,
        "items": [{"exercise_id": "frm-01", "type": "highlight", "skill": "framing", "attempts": 24, "facility": 0.62, "sd": 0.21, "discrimination": 0.41}],
        "techniques": [{"technique": "loaded_language", "hits": 80, "misses": 16, "false_alarms": 9}],
        "confusion": {"name_calling": {"loaded_language": 5, "name_calling": 14}},
        "blocks": [{"block_id": "b04", "role": "body", "total": 31, "by_label": {"loaded_language": 25, "name_calling": 6}}]}]})

    attempts: int
    items: list[ItemStats]
    techniques: list[TechniqueStats]
    confusion: dict[str, dict[str, int]]
    blocks: list[BlockCounts]


def sample_sd(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or ``None`` when fewer than 3 pairs or either variable is constant."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _item_stats(exercises: Sequence[Exercise], parts: Sequence[Contribution]) -> list[ItemStats]:
    """Per-item statistics from each attempt's score shares and rest points (see :class:`Contribution`)."""
    stats = []
    for index, exercise in enumerate(exercises):
        shares = [part.shares[index] for part in parts]
        rest = [part.rests[index] for part in parts]
        stats.append(ItemStats(
            exercise_id=exercise.id, type=exercise.type, skill=exercise.skill.value, attempts=len(shares),
            facility=_round(sum(shares) / len(shares)) if shares else None,
            sd=_round(sample_sd(shares)), discrimination=_round(pearson(shares, rest)),
        ))
    return stats


def _earned(answer: tuple[Response | None, Outcome | None] | None) -> Fraction:
    return answer[1].earned if answer is not None and answer[1] is not None else Fraction(0)


class SpanResolver:
    """Resolves a student's span selector (offsets or a quote) in the article; ``None`` when it cannot."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = normalise_for_matching(text)

    def span(self, answer: SpanAnswer | None) -> Span | None:
        if answer is None:
            return None
        try:
            if answer.exact is not None:
                return find_quote(self.text, answer.exact, answer.prefix, answer.suffix, folded=self.folded)
            if answer.start is not None and answer.end is not None and answer.start < answer.end <= len(self.text):
                return Span(answer.start, answer.end)
        except (QuoteNotFound, QuoteAmbiguous):
            return None
        return None


@dataclass(frozen=True)
class Contribution:
    """What one submitted attempt adds to an analysis: its points per exercise (in the quiz's order)
    and the counts of its marks. Counts add up, so a class's analysis is the :func:`combine` of its
    attempts' contributions, and a new attempt costs one more contribution, not a recount."""

    shares: tuple[float, ...]
    """Per exercise: the points earned as a share of the exercise's points, 0..1."""
    rests: tuple[float, ...]
    """Per exercise: the attempt's points on every *other* exercise (computed exactly, then rounded to float)."""
    techniques: dict[str, dict[str, int]]
    confusion: dict[str, dict[str, int]]
    block_total: dict[str, int]
    block_labels: dict[str, dict[str, int]]


def contribution(exercises: Sequence[Exercise], pack: LessonPack, attempt: AttemptAnswers, resolver: SpanResolver | None = None) -> Contribution:
    """The counts of one submitted attempt (``resolver``: reuse one per pack, building it folds the text)."""
    resolver = resolver or SpanResolver(pack.article.text)
    techniques: dict[str, dict[str, int]] = defaultdict(lambda: {"hits": 0, "misses": 0, "false_alarms": 0})
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    block_total: dict[str, int] = defaultdict(int)
    block_labels: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for exercise in exercises:
        response = (attempt.get(exercise.id) or (None, None))[0]
        marks = marks_of(exercise, response, resolver)
        for span, label in marks:
            for block in pack.article.blocks:
                if block.start < span.end and span.start < block.end:
                    block_total[block.id] += 1
                    block_labels[block.id][label] += 1
        if isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
            _count_techniques(exercise, pack, marks, techniques, confusion)
    earned = [_earned(attempt.get(e.id)) for e in exercises]
    total = sum(earned, Fraction(0))
    return Contribution(
        shares=tuple(float(points / e.points) for points, e in zip(earned, exercises)),
        rests=tuple(float(total - points) for points in earned),
        techniques={k: dict(v) for k, v in techniques.items()}, confusion={k: dict(v) for k, v in confusion.items()},
        block_total=dict(block_total), block_labels={k: dict(v) for k, v in block_labels.items()},
    )


def _add(into: dict[str, dict[str, int]], part: dict[str, dict[str, int]]) -> None:
    for key, counts in part.items():
        target = into.setdefault(key, {})
        for name, value in counts.items():
            target[name] = target.get(name, 0) + value


def combine(exercises: Sequence[Exercise], pack: LessonPack, parts: Iterable[Contribution]) -> Analysis:
    """The analysis of the attempts whose contributions are ``parts`` (read once)."""
    techniques: dict[str, dict[str, int]] = {}
    confusion: dict[str, dict[str, int]] = {}
    block_total: dict[str, int] = defaultdict(int)
    block_labels: dict[str, dict[str, int]] = {}
    kept: list[Contribution] = []
    for part in parts:
        kept.append(part)
        _add(techniques, part.techniques)
        _add(confusion, part.confusion)
        _add(block_labels, part.block_labels)
        for block_id, count in part.block_total.items():
            block_total[block_id] += count
    return Analysis(
        attempts=len(kept),
        items=_item_stats(exercises, kept),
        techniques=[TechniqueStats(technique=t, **{"hits": 0, "misses": 0, "false_alarms": 0, **c}) for t, c in sorted(techniques.items())],
        confusion={k: dict(sorted(v.items())) for k, v in sorted(confusion.items())},
        blocks=[BlockCounts(block_id=b.id, role=b.role.value, total=block_total.get(b.id, 0), by_label=dict(sorted(block_labels.get(b.id, {}).items())))
                for b in pack.article.blocks],
    )


def analyse(exercises: Sequence[Exercise], pack: LessonPack, attempts: Iterable[AttemptAnswers]) -> Analysis:
    """The item analysis of ``attempts`` (submitted attempts of one quiz whose exercises are ``exercises``).

    ``attempts`` is read once, in one pass, and no attempt is kept after it is counted (only its
    contribution is), so a caller may stream a large class's attempts from storage.
    """
    resolver = SpanResolver(pack.article.text)
    return combine(exercises, pack, (contribution(exercises, pack, attempt, resolver) for attempt in attempts))


def marks_of(exercise: Exercise, response: Response | None, resolver: SpanResolver) -> list[tuple[Span, str]]:
    """A span answer's resolved marks with their labels (``role:<role>`` for attribution roles)."""
    marks: list[tuple[Span, str]] = []
    if isinstance(exercise, HighlightExercise) and isinstance(response, HighlightResponse):
        for answer in response.spans:
            span = resolver.span(answer)
            if span is not None:
                marks.append((span, answer.label or exercise.labels[0]))
    elif isinstance(exercise, LabelSpansExercise) and isinstance(response, LabelSpansResponse):
        for answer in response.spans:
            span = resolver.span(answer)
            if span is not None:
                marks.append((span, answer.label or "(no label)"))
    elif isinstance(exercise, AttributionRolesExercise) and isinstance(response, AttributionRolesResponse):
        for role in ("source", "cue", "content"):
            span = resolver.span(getattr(response, role))
            if span is not None:
                marks.append((span, f"role:{role}"))
    return marks


def _expected(exercise: HighlightExercise | LabelSpansExercise, labels: tuple[str, ...]) -> str:
    offered = exercise.labels if isinstance(exercise, HighlightExercise) else exercise.label_options
    return next((label for label in labels if label in offered), labels[0])


def _count_techniques(
    exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack, marks: list[tuple[Span, str]],
    techniques: dict[str, dict[str, int]], confusion: dict[str, dict[str, int]],
) -> None:
    keys = [pack.annotation.get(i) for i in exercise.key if pack.annotation.has(i)]
    key_spans = [(Span(k.start, k.end), _expected(exercise, k.labels)) for k in keys]
    for key_span, expected in key_spans:
        touching = [label for span, label in marks if span.overlaps(key_span)]
        techniques[expected]["hits" if touching else "misses"] += 1
        if isinstance(exercise, LabelSpansExercise):
            for chosen in sorted(set(touching)):
                confusion[expected][chosen] += 1
    for span, label in marks:
        if not any(span.overlaps(k) for k, _ in key_spans):
            techniques[label]["false_alarms"] += 1
