"""The grading script's Markdown report for a teacher: item analysis, answers to review, common misses.

The item analysis is ``quizzes.analysis.items.analyse``, the same one the API's ``/analysis`` route
serves (facility, SD, discrimination as Moodle reports them; per-technique hits, misses and false
alarms). This module adds what a report of a file needs: which key spans were missed most often,
per technique, and the answers whose score awaits a teacher's review. Student text is escaped so
the Markdown renders as a table, never as HTML.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from quizzes.analysis.items import Analysis, ItemStats, analyse
from quizzes.grader.grading import ClassGrades
from quizzes.exercises import HighlightExercise, LabelSpansExercise
from quizzes.exports.gradebook_formats import points
from quizzes.outcome import FeedbackKind, Outcome, Status

__all__ = ["class_analysis", "technique_misses", "render_report", "REPORT_ROWS"]

REPORT_ROWS = 200
"""Most rows one table of the report shows; the gradebook holds every student."""


def class_analysis(grades: ClassGrades) -> Analysis:
    """``quizzes.analysis.items.analyse`` over every student's answers (one attempt per student)."""
    return analyse(list(grades.exercises.values()), grades.bank.pack, list(grades.answers.values()))


def technique_misses(grades: ClassGrades) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Per technique id, how many answers missed each of its key items; and how many answers had each item in their key.

    A key item is missed in an answer when the engine gave its key span (or the merged group of
    overlapping key spans it belongs to) no credit at all. Unanswered exercises are not counted.
    """
    annotation = grades.bank.pack.annotation
    misses: dict[str, Counter[str]] = {}
    asked: Counter[str] = Counter()
    remembered: dict[int, tuple[str, ...]] = {}  # identical answers share one outcome object
    for answers in grades.answers.values():
        for exercise_id, (_response, outcome) in answers.items():
            exercise = grades.exercises[exercise_id]
            if not isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
                continue
            asked.update(exercise.key)
            missed = remembered.get(id(outcome))
            if missed is None:
                missed = remembered[id(outcome)] = _missed_items(exercise, outcome)
            for item_id in missed:
                technique = _technique(exercise, annotation.get(item_id).labels)
                misses.setdefault(technique, Counter())[item_id] += 1
    return misses, asked


def _missed_items(exercise: HighlightExercise | LabelSpansExercise, outcome: Outcome) -> tuple[str, ...]:
    key = set(exercise.key)
    # a part's id is a key item id, or several joined by "+" when their key spans overlap
    key_parts = [(p, p.id.split("+")) for p in outcome.parts if set(p.id.split("+")) <= key]
    if key_parts:
        return tuple(item for part, items in key_parts if part.earned == 0 for item in items)
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
        f"Input: `{_cell(source, 200)}` · lesson pack `{grades.bank.pack.id}` · {len(grades.answers)} students · "
        f"{grades.graded} answers graded · {grades.rejected} records rejected"
        + (f" · {grades.replaced} answers replaced by a later one" if grades.replaced else ""),
        "",
    ]
    analysis = class_analysis(grades)
    lines += _summary(grades)
    lines += _item_table(grades, analysis)
    lines += _review_table(grades)
    lines += _misses_section(grades, analysis)
    lines += _rejected_section(grades)
    return "\n".join(lines) + "\n"


def _summary(grades: ClassGrades) -> list[str]:
    possible = sum(Fraction(e.points) for e in grades.exercises.values())
    totals = sorted(sum((pair[1].earned for pair in answers.values()), Fraction(0)) for answers in grades.answers.values())
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


def _flag(item: ItemStats) -> str:
    flags = []
    if item.facility is not None and item.facility < 0.2:
        flags.append("very hard")
    if item.facility is not None and item.facility > 0.9:
        flags.append("very easy")
    if item.discrimination is not None and item.discrimination < 0.2:
        flags.append("low discrimination: check the key and the wording")
    return "; ".join(flags)


def _item_table(grades: ClassGrades, analysis: Analysis) -> list[str]:
    lines = [
        "## Item analysis",
        "",
        "Facility: mean share of the points earned (unanswered counts 0). Discrimination: corrected "
        "item–rest correlation (blank below 3 students or without variation); below 0.2 the exercise "
        "separates strong and weak students poorly.",
        "",
        "| exercise | type | skill | answered | facility | SD | discrimination | awaiting review | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    answered: Counter[str] = Counter()
    waiting: Counter[str] = Counter()
    for answers in grades.answers.values():
        answered.update(answers.keys())
        waiting.update(e for e, (_, o) in answers.items() if o.status is Status.NEEDS_REVIEW)
    for item in analysis.items:
        exercise = grades.exercises[item.exercise_id]
        lines.append(
            f"| {exercise.id} {_cell(exercise.title)} | {exercise.type} | {exercise.skill.value} | {answered[exercise.id]} | "
            f"{_number(item.facility)} | {_number(item.sd)} | {_number(item.discrimination)} | {waiting[exercise.id]} | {_flag(item)} |"
        )
    return lines + [""]


def _review_table(grades: ClassGrades) -> list[str]:
    total = sum(1 for answers in grades.answers.values() for _, o in answers.values() if o.status is Status.NEEDS_REVIEW)
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
        current = grades.answers.get(item.student, {}).get(item.exercise)
        if current is None or current[1] is not item.outcome:
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


def _misses_section(grades: ClassGrades, analysis: Analysis) -> list[str]:
    lines = ["## Most common misses per technique", ""]
    if not analysis.techniques:
        return lines + ["The quiz has no span exercise, or no span answer was graded.", ""]
    glossary = grades.bank.pack.glossary
    annotation = grades.bank.pack.annotation

    def name(technique: str) -> str:
        try:
            return glossary.get(technique).name
        except KeyError:
            return technique

    lines += [
        "Hits and misses: key spans some marked span overlaps, or none does; false alarms: marked spans "
        "outside every key span.",
        "",
        "| technique | hits | misses | false alarms |",
        "|---|---:|---:|---:|",
    ]
    for stats in sorted(analysis.techniques, key=lambda t: (-t.misses, t.technique)):
        lines.append(f"| {_cell(name(stats.technique))} (`{stats.technique}`) | {stats.hits} | {stats.misses} | {stats.false_alarms} |")
    lines.append("")
    misses, asked = technique_misses(grades)
    for technique, counter in sorted(misses.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        lines += [f"### {_cell(name(technique))} (`{technique}`)", "", "| item | quote | missed in | of answers |", "|---|---|---:|---:|"]
        for item_id, count in counter.most_common(5):
            lines.append(f"| {item_id} | “{_cell(annotation.get(item_id).quote, 120)}” | {count} | {asked[item_id]} |")
        lines.append("")
    if misses:
        lines += ["(Per item, a miss is a key span that earned no credit in an answer; the five most missed items of each technique are shown.)", ""]
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
