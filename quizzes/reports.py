"""The grading script's Markdown report for a teacher: item analysis, answers to review, common misses.

Item analysis follows Moodle's quiz statistics: **facility** is the mean share of an exercise's
points students earned (an unanswered exercise counts 0), in [0, 1]; **SD** its standard deviation;
**discrimination** the corrected item–rest correlation (Pearson correlation between the exercise's
share and the student's share of the *other* exercises' points), in [-1, 1], blank when either
varies not at all. A **miss** is a key span of a span exercise that earned nothing in an answer.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from quizzes.batch_grading import ClassGrades
from quizzes.exercises import Exercise, HighlightExercise, LabelSpansExercise
from quizzes.exports.gradebook_formats import points
from quizzes.outcome import FeedbackKind, Outcome, Status

__all__ = ["ItemStatistics", "item_statistics", "technique_misses", "render_report", "REPORT_ROWS"]

REPORT_ROWS = 200
"""Most rows one table of the report shows; the gradebook holds every student."""


@dataclass(frozen=True)
class ItemStatistics:
    """One exercise across the class (see the module docstring for the definitions)."""

    exercise_id: str
    answered: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    needs_review: int


def item_statistics(grades: ClassGrades) -> list[ItemStatistics]:
    """Facility, SD and discrimination of every exercise of the quiz, in quiz order."""
    exercises = list(grades.exercises.values())
    students = list(grades.outcomes.values())
    shares = [[_share(answers.get(e.id), e) for e in exercises] for answers in students]
    weights = [Fraction(e.points) for e in exercises]
    total_weight = sum(weights)
    statistics = []
    for index, exercise in enumerate(exercises):
        column = [row[index] for row in shares]
        rest_weight = total_weight - weights[index]
        rest = [
            (sum(s * w for s, w in zip(row, weights)) - row[index] * weights[index]) / rest_weight if rest_weight else 0.0
            for row in shares
        ]
        answered = sum(1 for answers in students if exercise.id in answers)
        review = sum(1 for answers in students if _status(answers.get(exercise.id)) is Status.NEEDS_REVIEW)
        statistics.append(
            ItemStatistics(
                exercise_id=exercise.id,
                answered=answered,
                facility=_mean(column),
                sd=_sd(column),
                discrimination=_correlation(column, [float(r) for r in rest]),
                needs_review=review,
            )
        )
    return statistics


def _share(outcome: Outcome | None, exercise: Exercise) -> float:
    return float(outcome.earned / exercise.points) if outcome is not None else 0.0


def _status(outcome: Outcome | None) -> Status | None:
    return outcome.status if outcome is not None else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _sd(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def technique_misses(grades: ClassGrades) -> dict[str, Counter[str]]:
    """For each technique id, how many answers missed each key item of that technique."""
    annotation = grades.bank.pack.annotation
    misses: dict[str, Counter[str]] = {}
    remembered: dict[int, tuple[str, ...]] = {}  # identical answers share one outcome object
    for answers in grades.outcomes.values():
        for exercise_id, outcome in answers.items():
            exercise = grades.exercises[exercise_id]
            if not isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
                continue
            missed = remembered.get(id(outcome))
            if missed is None:
                missed = remembered[id(outcome)] = _missed_items(exercise, outcome)
            for item_id in missed:
                technique = _technique(exercise, annotation.get(item_id).labels)
                misses.setdefault(technique, Counter())[item_id] += 1
    return misses


def _missed_items(exercise: HighlightExercise | LabelSpansExercise, outcome: Outcome) -> tuple[str, ...]:
    key = set(exercise.key)
    from_parts = tuple(p.id for p in outcome.parts if p.id in key and p.earned == 0)
    if any(p.id in key for p in outcome.parts):
        return from_parts
    # an engine without per-key parts still names missed items in full feedback
    return tuple(f.item_id for f in outcome.feedback if f.kind is FeedbackKind.MISSED and f.item_id in key)


def _technique(exercise: HighlightExercise | LabelSpansExercise, labels: tuple[str, ...]) -> str:
    wanted = exercise.labels if isinstance(exercise, HighlightExercise) else exercise.label_options
    return next((label for label in labels if label in wanted), labels[0])


def render_report(grades: ClassGrades, source: str) -> str:
    """The whole report as Markdown; ``source`` names the graded input in the heading."""
    lines: list[str] = []
    quiz = grades.quiz
    lines += [
        f"# Grading report: {quiz.title} (`{quiz.id}`)",
        "",
        f"Input: `{source}` · lesson pack `{grades.bank.pack.id}` · {len(grades.outcomes)} students · "
        f"{grades.graded} answers graded · {grades.rejected} records rejected"
        + (f" · {grades.replaced} answers replaced by a later one" if grades.replaced else ""),
        "",
    ]
    lines += _summary(grades)
    lines += _item_table(grades)
    lines += _review_table(grades)
    lines += _misses_section(grades)
    lines += _rejected_section(grades)
    return "\n".join(lines) + "\n"


def _summary(grades: ClassGrades) -> list[str]:
    possible = sum(Fraction(e.points) for e in grades.exercises.values())
    totals = sorted(sum((o.earned for o in answers.values()), Fraction(0)) for answers in grades.outcomes.values())
    if not totals:
        return ["No answer could be graded.", ""]
    mean = sum(totals) / len(totals)
    middle = len(totals) // 2
    median = totals[middle] if len(totals) % 2 else (totals[middle - 1] + totals[middle]) / 2
    return [
        "## Class summary",
        "",
        f"Points possible: {points(possible)}. Mean {points(mean)} ({points(100 * mean / possible) if possible else '–'}%), "
        f"median {points(median)}, lowest {points(totals[0])}, highest {points(totals[-1])}.",
        "",
    ]


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _flag(item: ItemStatistics) -> str:
    flags = []
    if item.facility is not None and item.facility < 0.2:
        flags.append("very hard")
    if item.facility is not None and item.facility > 0.9:
        flags.append("very easy")
    if item.discrimination is not None and item.discrimination < 0.2:
        flags.append("low discrimination: check the key and the wording")
    return "; ".join(flags)


def _item_table(grades: ClassGrades) -> list[str]:
    lines = [
        "## Item analysis",
        "",
        "Facility: mean share of the points earned (unanswered counts 0). Discrimination: corrected "
        "item–rest correlation; below 0.2 the exercise separates strong and weak students poorly.",
        "",
        "| exercise | type | skill | answered | facility | SD | discrimination | awaiting review | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for item in item_statistics(grades):
        exercise = grades.exercises[item.exercise_id]
        lines.append(
            f"| {exercise.id} {_cell(exercise.title)} | {exercise.type} | {exercise.skill.value} | {item.answered} | "
            f"{_number(item.facility)} | {_number(item.sd)} | {_number(item.discrimination)} | {item.needs_review} | {_flag(item)} |"
        )
    return lines + [""]


def _review_table(grades: ClassGrades) -> list[str]:
    total = sum(1 for answers in grades.outcomes.values() for o in answers.values() if o.status is Status.NEEDS_REVIEW)
    lines = ["## Answers needing review", ""]
    if not total:
        return lines + ["None: every score is final.", ""]
    lines += [
        f"{total} answer(s) have a provisional score proposed by the rubric; confirm or change each one.",
        "",
        "| student | exercise | provisional | of | criteria met | answer | where |",
        "|---|---|---:|---:|---|---|---|",
    ]
    shown = 0
    for item in grades.reviews.values():
        current = grades.outcomes.get(item.student, {}).get(item.exercise)
        if current is not item.outcome:
            continue
        if shown == REPORT_ROWS:
            break
        met = ", ".join(p.id for p in item.outcome.parts if p.earned > 0) or "none"
        lines.append(
            f"| {_cell(item.student)} | {item.exercise} | {points(item.outcome.provisional if item.outcome.provisional is not None else item.outcome.earned)} | "
            f"{points(item.outcome.possible)} | {met} | {_cell(item.text, 200)} | {_cell(item.file)}:{item.line} |"
        )
        shown += 1
    if total > shown:
        lines.append("")
        lines.append(f"… and {total - shown} more (the gradebook's needs_review column counts them per student).")
    return lines + [""]


def _misses_section(grades: ClassGrades) -> list[str]:
    misses = technique_misses(grades)
    lines = ["## Most common misses per technique", ""]
    if not misses:
        return lines + ["No key span was missed (or the quiz has no span exercise).", ""]
    annotation = grades.bank.pack.annotation
    glossary = grades.bank.pack.glossary
    answered: Counter[str] = Counter()
    for answers in grades.outcomes.values():
        answered.update(answers.keys())
    lines += ["A miss: a key span that earned nothing in an answer.", ""]
    for technique, counter in sorted(misses.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        try:
            name = glossary.get(technique).name
        except KeyError:
            name = technique
        lines += [f"### {name} (`{technique}`): {sum(counter.values())} misses", "", "| item | quote | missed in answers |", "|---|---|---:|"]
        for item_id, count in counter.most_common(5):
            item = annotation.get(item_id)
            lines.append(f"| {item_id} | “{_cell(item.quote, 120)}” | {count} |")
        lines.append("")
    return lines


def _rejected_section(grades: ClassGrades) -> list[str]:
    lines = ["## Rejected records", ""]
    if not grades.rejected:
        return lines + ["None.", ""]
    lines.append(f"{grades.rejected} record(s) could not be graded (all are listed on the command's error output):")
    lines.append("")
    for error in grades.errors[:REPORT_ROWS]:
        lines.append(f"- `{_cell(error.file)}:{error.line}`: {_cell(error.reason, 300)}")
    if grades.rejected > min(len(grades.errors), REPORT_ROWS):
        lines.append(f"- … and {grades.rejected - min(len(grades.errors), REPORT_ROWS)} more")
    return lines + [""]


def _cell(text: str, limit: int = 80) -> str:
    """Text made safe for one Markdown table cell: one line, pipes escaped, cut at ``limit``."""
    # student text is data: no table breaks, no HTML a Markdown viewer would render
    flat = " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
