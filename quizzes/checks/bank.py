"""Authoring checks: an exercise bank that is consistent with its lesson pack.

Run by the loader, so a mistake fails when the pack loads, not when a student answers:
keys reference existing items inside the exercise's scope, highlight keys are complete for their
scope and labels, contested items say why people disagree, a span exercise's scope has enough
technique-free text to measure discernment, no prompt or hint quotes its own answer, no text a
student reads shows an internal id (a block id such as "b05", an item or exercise id), and every
master item is used by some exercise or says why not. Text exercises: the model answer earns full
provisional points, a rewrite's model answer holds no span the key marks with a technique the
rewrite removes, no rubric phrase echoes the prompt (it could never earn credit), and no off-topic
or keyword-stuffed sample answer earns more than a third of the points.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from lesson.annotations import AnnotationItem, ItemSkill
from lesson.bundle import LessonPack
from lesson.loading import ProblemLog, check_span
from lesson.text import normalise_for_matching
from quizzes.bank import Quiz, QuizKind
from quizzes.checks.cues import diagonal_problem
from quizzes.exercises import (
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    SampleKind,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring.rewrite import score_rewrite
from quizzes.scoring.short_answer import echoes_prompt, score_short_answer
from quizzes.scoring.words import occurs, tokens

__all__ = ["check_exercise", "check_quizzes", "check_forms", "form_blueprint", "check_coverage", "check_discernment", "student_texts", "MIN_LEAK_CHARS", "MIN_FREE_OF_BUDGET"]

MIN_LEAK_CHARS = 12
"""A prompt or hint that contains a key quote this long or longer gives the answer away."""


MIN_FREE_OF_BUDGET = Fraction(4, 5)
"""A ``highlight`` exercise's technique-free text must be at least this share of its false-marking
budget: then marking the whole scope (or every sentence of it) loses at least 80% of the credit."""


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
        scoped_ids = exercise.key + exercise.foils + exercise.contested
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
            _check_contested(pack, exercise, path, where, log)
            _check_complete(pack, exercise, set(exercise.labels), path, where, log)
            check_discernment(pack, exercise, path, where, log)
        case LabelSpansExercise():
            _check_labels(exercise.label_options, glossary.ids(), path, where, log)
            _check_key_items(pack, exercise.key, exercise.foils, path, where, log)
            _check_contested(pack, exercise, path, where, log)
            for item_id in exercise.key:
                if annotation.has(item_id) and not set(annotation.get(item_id).labels) & set(exercise.label_options):
                    log.add(path, where, f"key item {item_id!r} has none of the label_options")
            _check_complete(pack, exercise, set(exercise.label_options), path, where, log)
            check_discernment(pack, exercise, path, where, log)
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
            if all(annotation.has(i) for i in exercise.loaded) and not problem:
                _check_rewrite_answers(pack, exercise, path, where, log)
        case ShortAnswerExercise():
            _check_short_answers(exercise, path, where, log)
        case MatchExercise():
            diagonal = diagonal_problem(exercise)
            if diagonal:
                log.add(path, where, diagonal)
        case _:
            pass
    _check_no_leak(pack, exercise, path, where, log)
    _check_no_internal_ids(pack, exercise, path, where, log)


def student_texts(exercise: Exercise) -> Iterator[tuple[str, str]]:
    """Every text of ``exercise`` that a student can read, as (field path, text) pairs."""
    yield "title", exercise.title
    yield "prompt", exercise.prompt
    for i, hint in enumerate(exercise.hints):
        yield f"hints[{i}]", hint
    match exercise:
        case SingleChoiceExercise() | MultiChoiceExercise():
            for i, option in enumerate(exercise.options):
                yield f"options[{i}].text", option.text
                yield f"options[{i}].feedback", option.feedback
        case MatchExercise():
            for side, entries in (("left", exercise.left), ("right", exercise.right)):
                for i, entry in enumerate(entries):
                    yield f"{side}[{i}].text", entry.text
            for left_id, text in exercise.feedback.items():
                yield f"feedback.{left_id}", text
        case ShortAnswerExercise():
            yield "model_answer", exercise.model_answer
            for i, criterion in enumerate(exercise.rubric.criteria):
                yield f"rubric.criteria[{i}].description", criterion.description   # shown as "Met: …"
        case RewriteExercise():
            yield "model_answer", exercise.model_answer
        case _:
            pass


def _internal_id_pattern(pack: LessonPack) -> re.Pattern[str]:
    """The pattern of every block and item id of ``pack``, compiled once per pack object (hundreds of alternatives)."""
    cached = _ID_PATTERNS.get(id(pack))
    if cached is not None and cached[0] is pack:
        return cached[1]
    pattern = _compile_id_pattern(pack)
    if len(_ID_PATTERNS) >= 16:
        _ID_PATTERNS.clear()
    _ID_PATTERNS[id(pack)] = (pack, pattern)
    return pattern


_ID_PATTERNS: dict[int, tuple[LessonPack, re.Pattern[str]]] = {}


def _compile_id_pattern(pack: LessonPack) -> re.Pattern[str]:
    ids = set(pack.article.block_ids()) | {item.id for item in pack.annotation.items}
    # Longest first, whole words only: "b5" must not match inside "b52" or "web5".
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _check_no_internal_ids(pack: LessonPack, exercise: Exercise, path: Path, where: str, log: ProblemLog) -> None:
    """The article shows no block ids and students never see item ids: a text that names one is unreadable."""
    pattern = _internal_id_pattern(pack)
    for name, text in student_texts(exercise):
        found = pattern.search(text)
        if found:
            log.add(path, f"{where}.{name}", f"shows the internal id {found.group(0)!r}; describe the place in words (\"the paragraph about …\")")


def _check_samples(exercise: ShortAnswerExercise | RewriteExercise, provisional, path: Path, where: str, log: ProblemLog) -> None:  # type: ignore[no-untyped-def]
    model = provisional(exercise.model_answer)
    if model != exercise.points:
        log.add(path, f"{where}.model_answer", f"the model answer earns {model} of {exercise.points} provisional points; it must pass its own exercise")
    limit = Fraction(exercise.points, 3)
    for index, sample in enumerate(exercise.samples):
        if sample.kind in (SampleKind.OFF_TOPIC, SampleKind.KEYWORD_STUFFED):
            got = provisional(sample.text)
            if got > limit:
                log.add(path, f"{where}.samples[{index}]", f"a {sample.kind.value} sample earns {got} provisional points, more than a third of {exercise.points}")


def _check_short_answers(exercise: ShortAnswerExercise, path: Path, where: str, log: ProblemLog) -> None:
    for criterion in exercise.rubric.criteria:
        for group in criterion.concepts:
            for phrase in group:
                if echoes_prompt(exercise.prompt, phrase):
                    log.add(path, f"{where}.rubric.{criterion.id}", f"concept {phrase!r} occurs in the prompt, so it can never earn credit; name what the answer must add")
    _check_samples(exercise, lambda text: score_short_answer(exercise, ShortAnswerResponse(text=text)).earned, path, where, log)


def _check_rewrite_answers(pack: LessonPack, exercise: RewriteExercise, path: Path, where: str, log: ProblemLog) -> None:
    labels = {label for i in exercise.loaded for label in pack.annotation.get(i).labels}
    model = tokens(exercise.model_answer)
    for item in pack.annotation.items:
        if item.is_foil or not set(item.labels) & labels:
            continue
        if occurs(model, item.quote, negation_guard=False):
            log.add(path, f"{where}.model_answer", f"holds {item.quote!r}, which the key marks as {', '.join(sorted(set(item.labels) & labels))} ({item.id}): the technique this rewrite removes")
    for fact in exercise.aliases:
        if fact not in exercise.keep and not occurs(tokens(exercise.target.quote), fact, negation_guard=False):
            log.add(path, f"{where}.aliases", f"{fact!r} is neither a kept fact nor a word of the target sentence")
    _check_samples(exercise, lambda text: score_rewrite(exercise, RewriteResponse(text=text), pack).earned, path, where, log)


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


def _check_contested(pack: LessonPack, exercise: HighlightExercise | LabelSpansExercise, path: Path, where: str, log: ProblemLog) -> None:
    """A contested item says why people disagree, and is not also required or a foil."""
    annotation = pack.annotation
    for item_id in exercise.contested:
        if not annotation.has(item_id):
            continue
        item = annotation.get(item_id)
        if not item.contested:
            log.add(path, where, f"contested item {item_id!r} needs a 'contested' reason: why careful readers disagree")
        if item_id in exercise.key or item_id in exercise.foils:
            log.add(path, where, f"item {item_id!r} is both contested and in the key or the foils")
        if item.is_foil:
            log.add(path, where, f"contested item {item_id!r} is a foil")
    if len(set(exercise.contested)) != len(exercise.contested):
        log.add(path, where, "the contested items list an item twice")


def check_discernment(pack: LessonPack, exercise: HighlightExercise | LabelSpansExercise, path: Path, where: str, log: ProblemLog) -> None:
    """Refuse a scope that is mostly key text: marking all of it must earn at most 20%.

    Checked by scoring the whole scope marked (for ``label_spans``: with each label, and with every
    label at once). For ``highlight`` that holds exactly when the technique-free text (neither key,
    nor contested, nor within one word of either) is at least :data:`MIN_FREE_OF_BUDGET` of the
    exercise's false-marking budget (docs/scoring.md).
    """
    from quizzes.scoring.keys import ANY_LABEL, compile_span_key, scope_intervals
    from quizzes.scoring.intervals import total
    from quizzes.scoring.measure import measure

    ids = exercise.key + exercise.foils + exercise.contested
    if not all(pack.annotation.has(i) for i in ids) or any(pack.annotation.get(i).is_foil for i in exercise.key):
        return  # reported above; the key cannot be compiled
    key = compile_span_key(exercise, pack)
    scope = scope_intervals(pack, exercise.scope)
    if isinstance(exercise, HighlightExercise):
        strategies: list[tuple[str, ...]] = [(ANY_LABEL,)]
    else:
        strategies = [(label,) for label in exercise.label_options] + [exercise.label_options]
    best = max((measure(key, {label: scope for label in labels}).ratio, labels) for labels in strategies)
    if best[0] > MIN_FREE_OF_BUDGET / 4:
        size = total(scope)
        labelled = "" if isinstance(exercise, HighlightExercise) else f" (labelled {', '.join(best[1])})"
        needed = MIN_FREE_OF_BUDGET * key.budget
        log.add(
            path,
            where,
            f"the scope has too little technique-free text to measure discernment: marking all of it{labelled} "
            f"earns {float(best[0]) * 100:.0f}% (at most 20% allowed); {key.clean_size} of its {size} code points "
            f"({key.clean_size * 100 // max(size, 1)}%) are neither key nor next to a key span, and "
            f"{-(-needed.numerator // needed.denominator)} would do. Widen the scope with surrounding text, or "
            "change the exercise's type",
        )


def _check_complete(pack: LessonPack, exercise: HighlightExercise | LabelSpansExercise, labels: set[str], path: Path, where: str, log: ProblemLog) -> None:
    """A span key must hold every non-foil item of its labels in scope: a key that samples punishes right answers."""
    skills = {pack.annotation.get(i).skill for i in exercise.key if pack.annotation.has(i)}
    for item in pack.annotation.items:
        if item.is_foil or item.skill not in skills or item.id in exercise.key or item.id in exercise.contested:
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
    pattern = _internal_id_pattern(pack)
    for item in pack.annotation.items:
        if item.id not in used and not item.unused_reason:
            log.add(pack.path / "annotations", item.id, "not used by any exercise; use it or give an 'unused_reason'")
        # The rationale is the explanation a student reads in feedback.
        found = pattern.search(item.rationale or "")
        if found:
            log.add(pack.path / "annotations", f"{item.id}.rationale", f"shows the internal id {found.group(0)!r}; describe the place in words")
