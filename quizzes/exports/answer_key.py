"""The printable answer key of a quiz, for teachers: every answer with its rationale.

``key_document`` builds plain JSON-ready data; ``render_key_markdown`` lays the same out for print.
Teachers only: this is everything a student view (``quizzes.views``) deliberately leaves out.
"""

from __future__ import annotations

from typing import Any

from lesson.bundle import LessonPack
from quizzes.bank import Bank, Quiz
from quizzes.exercises import (
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)

__all__ = ["key_document", "render_key_markdown"]


def key_document(bank: Bank, quiz: Quiz) -> dict[str, Any]:
    """The key of ``quiz`` as JSON-ready data: quiz fields and, per exercise, its answer and reasons."""
    return {
        "quiz": quiz.id,
        "title": quiz.title,
        "kind": quiz.kind.value,
        "form": quiz.form,
        "lesson": bank.pack.id,
        "exercises": [_exercise_key(e, bank.pack) for e in bank.quiz_exercises(quiz.id)],
    }


def _item(pack: LessonPack, item_id: str, wanted: tuple[str, ...] = ()) -> dict[str, Any]:
    item = pack.annotation.get(item_id)
    label = next((label for label in item.labels if label in wanted), item.labels[0])
    entry: dict[str, Any] = {"id": item.id, "start": item.start, "end": item.end, "quote": item.quote, "label": label}
    entry["rationale"] = item.feedback if item.is_foil and item.feedback else item.rationale
    if item.alternatives:
        entry["alternatives"] = [a.quote for a in item.alternatives]
    return entry


def _contested(pack: LessonPack, item_id: str) -> dict[str, Any]:
    entry = _item(pack, item_id)
    entry["contested"] = pack.annotation.get(item_id).contested or ""
    return entry


def _exercise_key(exercise: Exercise, pack: LessonPack) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": exercise.id,
        "type": exercise.type,
        "skill": exercise.skill.value,
        "title": exercise.title,
        "prompt": exercise.prompt,
        "points": exercise.points,
    }
    match exercise:
        case HighlightExercise():
            entry["key"] = [_item(pack, i, exercise.labels) for i in exercise.key]
            entry["foils"] = [_item(pack, i) for i in exercise.foils]
            entry["contested"] = [_contested(pack, i) for i in exercise.contested]
        case LabelSpansExercise():
            entry["key"] = [_item(pack, i, exercise.label_options) for i in exercise.key]
            entry["foils"] = [_item(pack, i) for i in exercise.foils]
            entry["contested"] = [_contested(pack, i) for i in exercise.contested]
            entry["related_credit"] = str(exercise.related_credit)
        case SingleChoiceExercise() | MultiChoiceExercise():
            entry["options"] = [{"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback} for o in exercise.options]
            if isinstance(exercise, MultiChoiceExercise):
                entry["penalty"] = str(exercise.penalty)
        case MatchExercise():
            right = {i.id: i.text for i in exercise.right}
            entry["pairs"] = [
                {"left": i.id, "left_text": i.text, "right": exercise.pairs[i.id], "right_text": right[exercise.pairs[i.id]],
                 "why": exercise.feedback.get(i.id, "")}
                for i in exercise.left
            ]
            entry["policy"] = exercise.policy
        case AttributionRolesExercise():
            claim = pack.annotation.get(exercise.claim)
            roles = claim.roles
            entry["claim"] = {"id": claim.id, "quote": claim.quote, "rationale": claim.rationale}
            entry["roles"] = {
                role: (None if span is None else {"start": span.start, "end": span.end, "quote": span.quote})
                for role, span in (("source", roles and roles.source), ("cue", roles and roles.cue), ("content", roles and roles.content))
            }
        case ShortAnswerExercise():
            entry["criteria"] = [
                {"id": c.id, "description": c.description, "points": c.points, "concepts": [list(g) for g in c.concepts]}
                for c in exercise.rubric.criteria
            ]
            entry["model_answer"] = exercise.model_answer
        case RewriteExercise():
            entry["target"] = exercise.target.quote
            entry["loaded"] = [_item(pack, i) for i in exercise.loaded]
            entry["keep"] = list(exercise.keep)
            entry["model_answer"] = exercise.model_answer
        case _:  # pragma: no cover - every type is listed above
            raise TypeError(f"no key layout for {type(exercise).__name__}")
    if exercise.refs:
        entry["refs"] = [_item(pack, i) for i in exercise.refs]
    return entry


def render_key_markdown(bank: Bank, quiz: Quiz) -> str:
    """The key of ``quiz`` as Markdown, one section per exercise, ready to print."""
    document = key_document(bank, quiz)
    lines = [f"# Answer key: {quiz.title} (`{quiz.id}`)", "", f"Lesson `{bank.pack.id}` · for teachers only.", ""]
    for number, entry in enumerate(document["exercises"], 1):
        lines += [
            f"## {number}. {entry['title']} (`{entry['id']}`, {entry['type']}, {entry['points']} point{'s' if entry['points'] != 1 else ''})",
            "",
            f"> {entry['prompt']}",
            "",
        ]
        lines += _markdown_answer(entry)
        if entry.get("refs") and entry["type"] not in ("highlight", "label_spans"):
            lines.append("Draws on:")
            lines += [f"- “{r['quote']}” — {r['rationale']}" for r in entry["refs"]]
            lines.append("")
    return "\n".join(lines) + "\n"


def _markdown_answer(entry: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    match entry["type"]:
        case "highlight" | "label_spans":
            lines.append("Mark:")
            lines += [f"- “{k['quote']}” [{k['start']}, {k['end']}) — **{k['label']}**: {k['rationale']}" for k in entry["key"]]
            if entry["foils"]:
                lines.append("")
                lines.append("Do not mark (look-alikes):")
                lines += [f"- “{f['quote']}” — {f['rationale']}" for f in entry["foils"]]
            if entry.get("contested"):
                lines.append("")
                lines.append("Either way (contested: neither rewarded nor punished):")
                lines += [f"- “{c['quote']}” — {c['contested']}" for c in entry["contested"]]
        case "single_choice" | "multi_choice":
            lines += [f"- {'✔' if o['correct'] else '✘'} **{o['id']}** {o['text']} — {o['feedback']}" for o in entry["options"]]
            if entry["type"] == "multi_choice":
                lines += ["", f"Score: max(0, (right − {entry['penalty']} × wrong) / number of right options)."]
        case "match":
            lines += [f"- {p['left_text']} → **{p['right_text']}**" + (f" — {p['why']}" if p["why"] else "") for p in entry["pairs"]]
        case "attribution_roles":
            lines.append(f"In “{entry['claim']['quote']}”:")
            for role, span in entry["roles"].items():
                lines.append(f"- {role}: " + (f"“{span['quote']}”" if span else "none (the claim has no such part)"))
            lines += ["", entry["claim"]["rationale"]]
        case "short_answer":
            lines += [f"- {c['description']} ({c['points']} pt): any of " + "; and any of ".join(", ".join(g) for g in c["concepts"]) for c in entry["criteria"]]
            lines += ["", f"Model answer: {entry['model_answer']}"]
        case "rewrite":
            lines.append(f"Sentence: “{entry['target']}”")
            lines += [f"- remove “{item['quote']}” — {item['rationale']}" for item in entry["loaded"]]
            if entry["keep"]:
                lines.append(f"- keep: {', '.join(entry['keep'])}")
            lines += ["", f"Model answer: {entry['model_answer']}"]
    return lines + [""]
