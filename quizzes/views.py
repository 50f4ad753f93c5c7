"""Student views: what a student (or an anonymous visitor) may see, built field by field.

A student never receives an exercise definition, an annotation item or an outcome object as such:
each view below copies the fields that are safe by name, so a key, a rationale, an option's
``correct`` flag or a model answer cannot reach a student by accident when a model gains a field.

A provisional text score (``short_answer``, ``rewrite``) is never shown as a verdict: until a
teacher reviews it, a student's view carries no score and no met / not-met criteria, only
``waiting_for_teacher``; in practice (no teacher) :func:`practice_outcome_view` shows the rubric
as a self-check list, and the model answer where the exercise is in no assessment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from lesson.article import Article
from lesson.bundle import LessonPack
from quizzes.bank import Bank, Quiz, QuizKind
from quizzes.exercises import (
    AttributionRolesExercise,
    REVIEWED_TYPES,
    Exercise,
    FeedbackPolicy,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.ordering import in_order, position_of
from quizzes.outcome import FeedbackItem, FeedbackKind, Outcome, SpanCounts, Status
from quizzes.scoring.choice import multi_choice_rule

__all__ = [
    "BlockView",
    "TechniqueView",
    "LessonView",
    "OptionView",
    "MatchItemView",
    "SpanView",
    "ExerciseView",
    "QuizView",
    "OutcomeView",
    "SelfCheckView",
    "WAITING_FOR_TEACHER",
    "lesson_view",
    "exercise_view",
    "quiz_view",
    "outcome_view",
    "practice_outcome_view",
    "is_assessed",
    "is_waiting_for_teacher",
    "to_points",
]


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def to_points(value: Fraction) -> float:
    """Round an exact score for display: two decimal places (the only rounding in the system)."""
    return round(float(value), 2)


class BlockView(View):
    id: str
    role: str
    start: int
    end: int


class TechniqueView(View):
    id: str
    name: str
    skill: str
    category: str
    definition: str
    example: str
    counter_example: str
    semeval_label: str | None


class ProvenanceView(View):
    publisher: str
    original_url_known: bool
    date: str
    date_basis: str
    repost_site: str
    author: str | None
    notes: str
    unknowns: list[str]


class LessonView(View):
    """A lesson for students: text, blocks, provenance, glossary and reading guide; never the key."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"examples": [{
        "id": "central-asia-2022", "title": "How Russia’s neighbors react to the war in Ukraine", "language": "en",
        "text": "…", "blocks": [{"id": "b01", "role": "headline", "start": 39, "end": 89}],
        "provenance": {"publisher": "RT", "original_url_known": False, "date": "2022-03", "date_basis": "…", "repost_site": "…",
                       "author": None, "notes": "…", "unknowns": ["the author"]},
        "glossary": [{"id": "loaded_language", "name": "Loaded language", "skill": "framing", "category": "wording",
                      "definition": "…", "example": "…", "counter_example": "…", "semeval_label": "Loaded_Language"}],
        "student_guide": "# Reading guide…"}]})

    id: str
    title: str
    language: str
    text: str
    blocks: list[BlockView]
    provenance: ProvenanceView
    glossary: list[TechniqueView]
    student_guide: str


def _provenance(article: Article) -> ProvenanceView:
    p = article.provenance
    return ProvenanceView(
        publisher=p.publisher, original_url_known=p.original_url_known, date=p.date, date_basis=p.date_basis,
        repost_site=p.repost_site, author=p.author, notes=p.notes, unknowns=list(p.unknowns),
    )


def lesson_view(pack: LessonPack) -> LessonView:
    article = pack.article
    return LessonView(
        id=article.id,
        title=article.title,
        language=article.language,
        text=article.text,
        blocks=[BlockView(id=b.id, role=b.role.value, start=b.start, end=b.end) for b in article.blocks],
        provenance=_provenance(article),
        glossary=[
            TechniqueView(
                id=t.id, name=t.name, skill=t.skill.value, category=t.category, definition=t.definition,
                example=t.example, counter_example=t.counter_example, semeval_label=t.semeval_label,
            )
            for t in pack.glossary.techniques
        ],
        student_guide=pack.student_guide,
    )


class OptionView(View):
    id: str
    text: str


class MatchItemView(View):
    id: str
    text: str


class SpanView(View):
    start: int
    end: int
    quote: str


class ExerciseView(View):
    """An exercise as a student sees it. Type-specific fields are ``None`` where they do not apply."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"examples": [{
        "id": "fun-03", "lesson_id": "central-asia-2022", "type": "single_choice", "skill": "funding", "title": "Who pays?",
        "prompt": "Why does the article mention the group's funding?", "scope": ["b21"], "difficulty": 2, "points": 1,
        "hints": ["Does the funding change whether the claim is true?"], "feedback_policy": "full",
        "options": [{"id": "a", "text": "To question the argument without engaging it"}, {"id": "b", "text": "To disclose a conflict of interest"}],
        "scoring_rule": "one option is right: full points for it, none otherwise"}]})

    id: str
    lesson_id: str
    type: str
    skill: str
    title: str
    prompt: str
    scope: list[str]
    difficulty: int
    points: int
    hints: list[str]
    feedback_policy: str
    labels: list[str] | None = Field(default=None, description="highlight: the kinds of span to mark")
    label_options: list[str] | None = Field(default=None, description="label_spans: the label menu")
    options: list[OptionView] | None = Field(default=None, description="single/multi choice options, without correctness")
    scoring_rule: str | None = Field(default=None, description="how the answer is scored, in words")
    left: list[MatchItemView] | None = None
    right: list[MatchItemView] | None = None
    weights: dict[str, str] | None = Field(default=None, description="attribution_roles: weight of each role")
    target: SpanView | None = Field(default=None, description="rewrite: the sentence to rewrite")
    max_length: int | None = Field(default=None, description="free-text answers: longest accepted answer")


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)


def exercise_view(exercise: Exercise, lesson_id: str, order: Sequence[str] | None = None) -> ExerciseView:
    """Copy the safe fields of ``exercise``; keys, foils, ``correct`` flags, pairs and model answers stay behind.

    ``order``: the ids of the options (choice) or right items (match) in the order this student sees
    them (``quizzes.ordering``); ``None`` shows the file order. Other types ignore it.
    """
    from quizzes.responses import MAX_TEXT

    common = dict(
        id=exercise.id, lesson_id=lesson_id, type=exercise.type, skill=exercise.skill.value, title=exercise.title,
        prompt=exercise.prompt, scope=list(exercise.scope), difficulty=exercise.difficulty, points=exercise.points,
        hints=list(exercise.hints), feedback_policy=exercise.feedback_policy.value,
    )
    match exercise:
        case HighlightExercise():
            return ExerciseView(**common, labels=list(exercise.labels))
        case LabelSpansExercise():
            return ExerciseView(**common, label_options=list(exercise.label_options))
        case SingleChoiceExercise():
            return ExerciseView(**common, options=[OptionView(id=o.id, text=o.text) for o in in_order(exercise.options, order)],
                                scoring_rule="one option is right: full points for it, none otherwise")
        case MultiChoiceExercise():
            rule = multi_choice_rule(exercise)
            return ExerciseView(**common, options=[OptionView(id=o.id, text=o.text) for o in in_order(exercise.options, order)],
                                scoring_rule=rule)
        case MatchExercise():
            rule = "each right pair earns its share of the points" if exercise.policy == "proportional" else "points only when every pair is right"
            return ExerciseView(**common, left=[MatchItemView(id=i.id, text=i.text) for i in exercise.left],
                                right=[MatchItemView(id=i.id, text=i.text) for i in in_order(exercise.right, order)], scoring_rule=rule)
        case AttributionRolesExercise():
            w = exercise.weights
            return ExerciseView(**common, weights={"source": _fraction_text(w.source), "cue": _fraction_text(w.cue), "content": _fraction_text(w.content)})
        case ShortAnswerExercise():
            return ExerciseView(**common, max_length=MAX_TEXT, scoring_rule="marked against a rubric; a teacher confirms the score")
        case RewriteExercise():
            t = exercise.target
            return ExerciseView(**common, target=SpanView(start=t.start, end=t.end, quote=t.quote), max_length=MAX_TEXT,
                                scoring_rule="loaded words must go, the facts must stay; a teacher confirms the score")
        case _:  # pragma: no cover - every type is listed above
            raise TypeError(f"no student view for {type(exercise).__name__}")


class QuizView(View):
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"examples": [{
        "id": "practice-funding", "lesson_id": "central-asia-2022", "title": "Practice: funding", "kind": "practice",
        "form": None, "description": "", "exercises": []}]})

    id: str
    lesson_id: str
    title: str
    kind: str
    form: str | None
    description: str
    exercises: list[ExerciseView]


def quiz_view(quiz: Quiz, exercises: list[Exercise], lesson_id: str, orders: Mapping[str, Sequence[str]] | None = None) -> QuizView:
    """``orders``: option order per exercise id (see :func:`exercise_view`); missing ids keep the file order."""
    orders = orders or {}
    return QuizView(
        id=quiz.id, lesson_id=lesson_id, title=quiz.title, kind=quiz.kind.value, form=quiz.form,
        description=quiz.description, exercises=[exercise_view(e, lesson_id, orders.get(e.id)) for e in exercises],
    )


class FeedbackView(View):
    kind: str
    message: str
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    label: str | None = None


class CountsView(View):
    hits: int
    misses: int
    false_alarms: int
    foils_marked: int


class SelfCheckView(View):
    """Practice, for a text answer: what to compare it with, in place of a provisional score."""

    checklist: list[str] = Field(description="the rubric criteria (short answer) or rewrite checks, as questions to ask of one's own answer")
    example_answer: str | None = Field(default=None, description="a model answer; absent for an exercise that is part of an assessment")


class OutcomeView(View):
    """One scored answer as a student may see it: rounded points and the feedback the policy allows.

    ``earned`` is ``null`` while a text answer waits for a teacher (``waiting_for_teacher``): a
    provisional score is not a verdict. ``self_check`` is set in practice for text answers.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"examples": [{
        "exercise_id": "frm-01", "status": "partial", "earned": 0.67, "possible": 1.0,
        "feedback": [{"kind": "missed", "message": "A loaded label you did not mark.", "start": 1204, "end": 1215, "quote": "…", "label": "loaded_language"}],
        "counts": {"hits": 2, "misses": 1, "false_alarms": 0, "foils_marked": 0}, "certainty_mark": None, "reviewed": False, "review_comment": None,
        "waiting_for_teacher": False, "self_check": None}]})

    exercise_id: str
    status: str
    earned: float | None
    possible: float
    feedback: list[FeedbackView]
    counts: CountsView | None = None
    certainty_mark: float | None = None
    reviewed: bool = False
    review_comment: str | None = None
    waiting_for_teacher: bool = False
    self_check: SelfCheckView | None = None


WAITING_FOR_TEACHER = "Waiting for your teacher: a teacher reads written answers and gives the score."


def is_waiting_for_teacher(outcome: Outcome) -> bool:
    """A provisional score nobody has confirmed yet (the only kind a student must not see)."""
    return outcome.status is Status.NEEDS_REVIEW and outcome.review is None


def _feedback(item: FeedbackItem) -> FeedbackView:
    return FeedbackView(kind=item.kind.value, message=item.message, start=item.start, end=item.end, quote=item.quote, label=item.label)


def _counts(counts: SpanCounts | None) -> CountsView | None:
    if counts is None:
        return None
    return CountsView(hits=counts.hits, misses=counts.misses, false_alarms=counts.false_alarms, foils_marked=counts.foils_marked)


def _in_shown_order(items: list[FeedbackItem], order: Sequence[str] | None) -> list[FeedbackItem]:
    """Option feedback in the order the student saw the options; the groups (summary, chosen, missed) stay as the engine wrote them."""
    if not order:
        return items
    place = position_of(order)
    group: dict[FeedbackKind, int] = {}
    for k, item in enumerate(items):
        group.setdefault(item.kind, k)
    return sorted(items, key=lambda f: (group[f.kind], place.get(f.item_id, -1) if f.item_id else -1))


def outcome_view(outcome: Outcome, policy: FeedbackPolicy, order: Sequence[str] | None = None) -> OutcomeView:
    """Project ``outcome`` under the exercise's feedback ``policy``.

    ``full``: every feedback item (the engine already limits what it writes); ``summary``: counts
    and summary or invalid-answer items only; ``none``: the score alone. Part ids (master-item ids)
    are never sent. The engine promises the same limits; this is a second lock on the same door.
    ``order``: the option order the student saw (see :func:`exercise_view`); per-option feedback
    follows it.
    """
    match policy:
        case FeedbackPolicy.FULL:
            items = list(outcome.feedback)
            counts = _counts(outcome.counts)
        case FeedbackPolicy.SUMMARY:
            items = [f for f in outcome.feedback if f.kind in (FeedbackKind.SUMMARY, FeedbackKind.INVALID)]
            counts = _counts(outcome.counts)
        case FeedbackPolicy.NONE:
            items, counts = [], None
        case _:  # pragma: no cover
            raise ValueError(policy)
    review = outcome.review
    if is_waiting_for_teacher(outcome):
        return OutcomeView(
            exercise_id=outcome.exercise_id, status=outcome.status.value, earned=None, possible=to_points(outcome.possible),
            feedback=[FeedbackView(kind=FeedbackKind.SUMMARY.value, message=WAITING_FOR_TEACHER)], waiting_for_teacher=True,
        )
    return OutcomeView(
        exercise_id=outcome.exercise_id,
        status=outcome.status.value,
        earned=to_points(outcome.earned),
        possible=to_points(outcome.possible),
        feedback=[_feedback(f) for f in _in_shown_order(items, order)],
        counts=counts,
        certainty_mark=to_points(outcome.certainty.mark) if outcome.certainty else None,
        reviewed=review is not None,
        review_comment=(review.comment or None) if review is not None and policy is not FeedbackPolicy.NONE else None,
    )


def is_assessed(bank: Bank, exercise_id: str) -> bool:
    """Whether ``exercise_id`` belongs to an assessment or a pre/post check of ``bank`` (so its model answer stays with teachers)."""
    return any(quiz.kind is not QuizKind.PRACTICE and exercise_id in quiz.exercises for quiz in bank.quizzes.values())


def _checklist(exercise: ShortAnswerExercise | RewriteExercise, pack: LessonPack) -> list[str]:
    if isinstance(exercise, ShortAnswerExercise):
        return [c.description for c in exercise.rubric.criteria]
    checks = ["Is it still a rewrite of the same sentence, reporting the same thing with most of its words?"]
    for item_id in exercise.loaded:
        checks.append(f"Is “{pack.annotation.get(item_id).quote}” gone, with no other word in its place that judges for the reader?")
    if exercise.keep:
        checks.append(f"Does it keep {', '.join(f'“{k}”' for k in exercise.keep)}?")
    return checks


def practice_outcome_view(outcome: Outcome, exercise: Exercise, pack: LessonPack, *, assessed: bool) -> OutcomeView:
    """Practice: a text answer gets a self-check list (and the model answer unless ``assessed``), never a provisional verdict.

    Under the feedback policy ``none`` the list and the example stay empty. Other types, an empty
    answer and an unreadable one get :func:`outcome_view` unchanged.
    """
    view = outcome_view(outcome, exercise.feedback_policy)
    if exercise.type not in REVIEWED_TYPES or not view.waiting_for_teacher:
        return view
    assert isinstance(exercise, (ShortAnswerExercise, RewriteExercise))
    if exercise.feedback_policy is FeedbackPolicy.NONE:  # "the score only": no rubric, no example either
        checklist, example = [], None
    else:
        checklist, example = _checklist(exercise, pack), None if assessed else exercise.model_answer
    message = ("Compare your answer with the checklist" + ("" if example is None else " and the example answer")
               + ". In an assignment, your teacher reads your answer and gives the score.")
    return view.model_copy(update={
        "feedback": [FeedbackView(kind=FeedbackKind.SUMMARY.value, message=message)],
        "waiting_for_teacher": False,
        "self_check": SelfCheckView(checklist=checklist, example_answer=example),
    })
