"""Authoring checks: an exercise bank that is consistent with its lesson pack.

Run by the loader, so a mistake fails when the pack loads, not when a student answers:
keys reference existing items inside the exercise's scope, highlight keys are complete for their
scope and labels, no prompt or hint quotes its own answer, and every master item is used by some
exercise or says why not.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

from lesson.annotations import AnnotationItem, ItemSkill
from lesson.bundle import LessonPack
from lesson.loading import ProblemLog, check_span
from lesson.text import normalise_for_matching
from quizzes.bank import Quiz, QuizKind
from quizzes.exercises import (
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    RewriteExercise,
)

__all__ = ["check_exercise", "check_quizzes", "check_forms", "form_blueprint", "check_coverage", "MIN_LEAK_CHARS"]

MIN_LEAK_CHARS = 12
"""A prompt or hint that contains a key quote this long or longer gives the answer away."""


def _in_scope(pack: LessonPack, item: AnnotationItem, scope: Iterable[str]) -> bool:
    blocks = [pack.article.block(b) for b in scope]
    return any(b.start <= item.start and item.end <= b.end for b in blocks)


def _fold(text: str) -> str:
    return normalise_for_matching(text)[0].casefold()


def check_exercise(pack: LessonPack, exercise: Exercise, path: Path, where: str, log: ProblemLog) -> None:
    """Add every problem of one exercise to ``log``."""
    annotation, glossary = pack.annotation, pack.glossary
    block_ids = set(pack.article.block_ids())
    for block_id in exercise.scope:
        if block_id not in block_ids:
            log.add(path, where, f"scope names unknown block {block_id!r}")
    if any(b not in block_ids for b in exercise.scope):
        return
    for item_id in exercise.referenced_items():
        if not annotation.has(item_id):
            log.add(path, where, f"references unknown annotation item {item_id!r}")
    scoped_ids: tuple[str, ...] = ()
    if isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
        scoped_ids = exercise.key + exercise.foils
    elif isinstance(exercise, AttributionRolesExercise):
        scoped_ids = (exercise.claim,)
    elif isinstance(exercise, RewriteExercise):
        scoped_ids = exercise.loaded
    for item_id in scoped_ids:
        if annotation.has(item_id) and not _in_scope(pack, annotation.get(item_id), exercise.scope):
            log.add(path, where, f"item {item_id!r} lies outside the exercise's scope")
    match exercise:
        case HighlightExercise():
            _check_labels(exercise.labels, glossary.ids(), path, where, log)
            _check_key_items(pack, exercise.key, exercise.foils, path, where, log)
            _check_complete(pack, exercise, set(exercise.labels), path, where, log)
        case LabelSpansExercise():
            _check_labels(exercise.label_options, glossary.ids(), path, where, log)
            _check_key_items(pack, exercise.key, exercise.foils, path, where, log)
            for item_id in exercise.key:
                if annotation.has(item_id) and not set(annotation.get(item_id).labels) & set(exercise.label_options):
                    log.add(path, where, f"key item {item_id!r} has none of the label_options")
            _check_complete(pack, exercise, set(exercise.label_options), path, where, log)
        case AttributionRolesExercise():
            if annotation.has(exercise.claim):
                claim = annotation.get(exercise.claim)
                if claim.skill is not ItemSkill.ATTRIBUTION or claim.roles is None:
                    log.add(path, where, f"claim {exercise.claim!r} must be an attribution item with roles")
        case RewriteExercise():
            problem = check_span(pack.article.text, exercise.target)
            if problem:
                log.add(path, f"{where}.target", problem)
            for item_id in exercise.loaded:
                if annotation.has(item_id):
                    item = annotation.get(item_id)
                    if not (exercise.target.start <= item.start and item.end <= exercise.target.end):
                        log.add(path, where, f"loaded item {item_id!r} lies outside the target sentence")
        case MatchExercise():
            pass
        case _:
            pass
    _check_no_leak(pack, exercise, path, where, log)


def _check_labels(labels: Iterable[str], known: frozenset[str], path: Path, where: str, log: ProblemLog) -> None:
    for label in labels:
        if label not in known:
            log.add(path, where, f"unknown label {label!r} (not in techniques.json)")


def _check_key_items(pack: LessonPack, key: tuple[str, ...], foils: tuple[str, ...], path: Path, where: str, log: ProblemLog) -> None:
    annotation = pack.annotation
    for item_id in key:
        if annotation.has(item_id) and annotation.get(item_id).is_foil:
            log.add(path, where, f"key item {item_id!r} is a foil; list it under 'foils'")
    for item_id in foils:
        if annotation.has(item_id) and not annotation.get(item_id).is_foil:
            log.add(path, where, f"foil {item_id!r} is not a foil item")
    if len(set(key)) != len(key):
        log.add(path, where, "the key lists an item twice")


def _check_complete(pack: LessonPack, exercise: HighlightExercise | LabelSpansExercise, labels: set[str], path: Path, where: str, log: ProblemLog) -> None:
    """A span key must hold every non-foil item of its labels in scope: a key that samples punishes right answers."""
    skills = {pack.annotation.get(i).skill for i in exercise.key if pack.annotation.has(i)}
    for item in pack.annotation.items:
        if item.is_foil or item.skill not in skills or item.id in exercise.key:
            continue
        if set(item.labels) & labels and _in_scope(pack, item, exercise.scope):
            log.add(path, where, f"key is incomplete: {item.id!r} ({', '.join(item.labels)}) is in scope but not in the key")


def _check_no_leak(pack: LessonPack, exercise: Exercise, path: Path, where: str, log: ProblemLog) -> None:
    answers: list[str] = []
    if isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
        answers = [pack.annotation.get(i).quote for i in exercise.key if pack.annotation.has(i)]
    elif isinstance(exercise, AttributionRolesExercise) and pack.annotation.has(exercise.claim):
        roles = pack.annotation.get(exercise.claim).roles
        answers = [s.quote for s in (roles.source, roles.cue, roles.content) if s is not None] if roles else []
    elif isinstance(exercise, RewriteExercise):
        answers = [exercise.model_answer]
    texts = [("prompt", exercise.prompt)] + [(f"hints[{i}]", h) for i, h in enumerate(exercise.hints)]
    for name, text in texts:
        folded = _fold(text)
        for answer in answers:
            key = _fold(answer).strip()
            if len(key) >= MIN_LEAK_CHARS and key in folded:
                log.add(path, f"{where}.{name}", f"quotes its own answer ({answer[:40]!r})")


def check_quizzes(quizzes: list[Quiz], exercise_ids: set[str], path: Path, log: ProblemLog) -> None:
    seen: set[str] = set()
    for index, quiz in enumerate(quizzes):
        where = f"quizzes[{index}] ({quiz.id})"
        if quiz.id in seen:
            log.add(path, where, f"duplicate quiz id {quiz.id!r}")
        seen.add(quiz.id)
        for exercise_id in quiz.exercises:
            if exercise_id not in exercise_ids:
                log.add(path, where, f"unknown exercise {exercise_id!r}")
        if len(set(quiz.exercises)) != len(quiz.exercises):
            log.add(path, where, "lists an exercise twice")


def form_blueprint(exercises: Iterable[Exercise]) -> dict[str, Counter]:
    """What must match between parallel pre/post forms: points per skill, item types per skill
    (as ``skill/type`` counts) and the difficulty profile (items per difficulty level)."""
    points: Counter = Counter()
    types: Counter = Counter()
    difficulty: Counter = Counter()
    for exercise in exercises:
        points[exercise.skill.value] += exercise.points
        types[f"{exercise.skill.value}/{exercise.type}"] += 1
        difficulty[exercise.difficulty] += 1
    return {"points per skill": points, "item types per skill": types, "difficulty profile": difficulty}


def check_forms(quizzes: list[Quiz], exercises: Mapping[str, Exercise], path: Path, log: ProblemLog) -> None:
    """Parallel pre/post forms must share one blueprint, or a gain from A to B measures the forms."""
    forms = [q for q in quizzes if q.kind is QuizKind.PRE_POST and all(e in exercises for e in q.exercises)]
    if len(forms) < 2:
        return
    reference = forms[0]
    expected = form_blueprint(exercises[e] for e in reference.exercises)
    for quiz in forms[1:]:
        actual = form_blueprint(exercises[e] for e in quiz.exercises)
        for aspect, counts in expected.items():
            if actual[aspect] != counts:
                log.add(path, f"quiz {quiz.id}", f"not parallel to {reference.id}: {aspect} differ "
                        f"({_show(actual[aspect])} against {_show(counts)})")


def _show(counts: Counter) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(counts.items(), key=lambda kv: str(kv[0]))) or "none"


def check_coverage(pack: LessonPack, exercises: Iterable[Exercise], log: ProblemLog) -> None:
    """Every master item is used by an exercise or carries an ``unused_reason``."""
    used: set[str] = set()
    for exercise in exercises:
        used.update(exercise.referenced_items())
    for item in pack.annotation.items:
        if item.id not in used and not item.unused_reason:
            log.add(pack.path / "annotations", item.id, "not used by any exercise; use it or give an 'unused_reason'")
