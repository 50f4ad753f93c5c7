"""Exercise definitions: what is asked, and the key that scores it (never sent to a student as is).

Keys refer to master-annotation items by id, so one correction in the annotation reaches every
exercise. A student only ever receives a view built field by field (``quizzes.views``).
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from lesson.article import TextSpan
from quizzes.fractions_field import FractionField

__all__ = [
    "ExerciseSkill",
    "FeedbackPolicy",
    "ExerciseType",
    "ChoiceOption",
    "HighlightExercise",
    "LabelSpansExercise",
    "SingleChoiceExercise",
    "MultiChoiceExercise",
    "MatchItem",
    "MatchExercise",
    "RoleWeights",
    "AttributionRolesExercise",
    "Criterion",
    "Rubric",
    "SampleKind",
    "SampleAnswer",
    "ShortAnswerExercise",
    "RewriteExercise",
    "Exercise",
    "SPAN_TYPES",
    "REVIEWED_TYPES",
]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExerciseSkill(StrEnum):
    ATTRIBUTION = "attribution"
    FRAMING = "framing"
    FUNDING = "funding"
    PROVENANCE = "provenance"
    LATERAL_READING = "lateral_reading"


class FeedbackPolicy(StrEnum):
    """How much an outcome may tell the student.

    ``full``: found, missed and extra spans with rationales; ``summary``: counts and score only;
    ``none``: the score only.
    """

    FULL = "full"
    SUMMARY = "summary"
    NONE = "none"


class ExerciseType(StrEnum):
    HIGHLIGHT = "highlight"
    LABEL_SPANS = "label_spans"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    MATCH = "match"
    ATTRIBUTION_ROLES = "attribution_roles"
    SHORT_ANSWER = "short_answer"
    REWRITE = "rewrite"


Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]


class ExerciseBase(Frozen):
    id: Id
    skill: ExerciseSkill
    title: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    scope: tuple[str, ...] = Field(min_length=1, description="block ids the exercise is about")
    difficulty: int = Field(default=2, ge=1, le=3)
    points: int = Field(default=1, ge=1, le=100)
    hints: tuple[str, ...] = ()
    feedback_policy: FeedbackPolicy = FeedbackPolicy.FULL
    refs: tuple[str, ...] = ()

    def referenced_items(self) -> tuple[str, ...]:
        """Every master-annotation id this exercise relies on."""
        return self.refs


class HighlightExercise(ExerciseBase):
    """Mark every span of the kinds in ``labels`` within ``scope``."""

    type: Literal["highlight"] = "highlight"
    labels: tuple[str, ...] = Field(min_length=1)
    key: tuple[str, ...] = Field(min_length=1)
    foils: tuple[str, ...] = ()
    contested: tuple[str, ...] = Field(default=(), description="items defensible but not required: neither rewarded nor punished")

    def referenced_items(self) -> tuple[str, ...]:
        return self.refs + self.key + self.foils + self.contested


class LabelSpansExercise(ExerciseBase):
    """Mark spans and give each a label from ``label_options``."""

    type: Literal["label_spans"] = "label_spans"
    label_options: tuple[str, ...] = Field(min_length=2)
    key: tuple[str, ...] = Field(min_length=1)
    foils: tuple[str, ...] = ()
    contested: tuple[str, ...] = Field(default=(), description="items defensible but not required: neither rewarded nor punished")
    related_credit: FractionField = Fraction(0)

    @model_validator(mode="after")
    def _credit_in_range(self) -> "LabelSpansExercise":
        # At most 1/2: then adding the key's own label to a place marked with a related one never
        # lowers its credit (the place's credit is divided among the labels given to it).
        if not 0 <= self.related_credit <= Fraction(1, 2):
            raise ValueError("related_credit must lie between 0 and 1/2")
        return self

    def referenced_items(self) -> tuple[str, ...]:
        return self.refs + self.key + self.foils + self.contested


class ChoiceOption(Frozen):
    """One option. ``pinned``: keeps its place in the file when the others are shuffled ("none of these")."""

    id: Id
    text: str = Field(min_length=1)
    correct: bool
    feedback: str = Field(min_length=1)
    pinned: StrictBool = False


def _unique(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{what} ids must be unique")


class SingleChoiceExercise(ExerciseBase):
    type: Literal["single_choice"] = "single_choice"
    options: tuple[ChoiceOption, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_correct(self) -> "SingleChoiceExercise":
        _unique([o.id for o in self.options], "option")
        if sum(o.correct for o in self.options) != 1:
            raise ValueError("a single_choice exercise needs exactly one correct option")
        return self


class MultiChoiceExercise(ExerciseBase):
    """Score ``max(0, (right - penalty * wrong) / |correct|)``, Moodle's rule; ``penalty`` defaults to 1."""

    type: Literal["multi_choice"] = "multi_choice"
    options: tuple[ChoiceOption, ...] = Field(min_length=2)
    penalty: FractionField = Fraction(1)

    @model_validator(mode="after")
    def _some_correct(self) -> "MultiChoiceExercise":
        _unique([o.id for o in self.options], "option")
        if not any(o.correct for o in self.options):
            raise ValueError("a multi_choice exercise needs at least one correct option")
        if self.penalty < 0:
            raise ValueError("penalty must not be negative")
        return self


class MatchItem(Frozen):
    """A row (``left``) or an option (``right``). Only right items shuffle, so only they may be ``pinned``."""

    id: Id
    text: str = Field(min_length=1)
    ref: str | None = None
    pinned: StrictBool = False


class MatchExercise(ExerciseBase):
    """Pair each left item with a right item. ``proportional``: share of right pairs."""

    type: Literal["match"] = "match"
    left: tuple[MatchItem, ...] = Field(min_length=2)
    right: tuple[MatchItem, ...] = Field(min_length=2)
    pairs: dict[str, str]
    policy: Literal["proportional", "all_or_nothing"] = "proportional"
    feedback: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _pairs_complete(self) -> "MatchExercise":
        left_ids = [i.id for i in self.left]
        right_ids = {i.id for i in self.right}
        _unique(left_ids, "left item")
        _unique([i.id for i in self.right], "right item")
        if set(self.pairs) != set(left_ids):
            raise ValueError("pairs must give exactly one right item for every left item")
        unknown = sorted(set(self.pairs.values()) - right_ids)
        if unknown:
            raise ValueError(f"pairs name unknown right items: {unknown}")
        pinned_left = [i.id for i in self.left if i.pinned]
        if pinned_left:
            raise ValueError(f"left items never move, so they cannot be pinned: {pinned_left}; pin right items instead")
        return self

    def referenced_items(self) -> tuple[str, ...]:
        return self.refs + tuple(i.ref for i in self.left if i.ref)


class RoleWeights(Frozen):
    source: FractionField = Fraction(1, 3)
    cue: FractionField = Fraction(1, 3)
    content: FractionField = Fraction(1, 3)

    @model_validator(mode="after")
    def _sum_to_one(self) -> "RoleWeights":
        if min(self.source, self.cue, self.content) < 0 or self.source + self.cue + self.content != 1:
            raise ValueError("role weights must be non-negative and add up to 1")
        return self


class AttributionRolesExercise(ExerciseBase):
    """Mark the source, the cue and the content of one claim; each role scored by overlap."""

    type: Literal["attribution_roles"] = "attribution_roles"
    claim: str
    weights: RoleWeights = RoleWeights()

    def referenced_items(self) -> tuple[str, ...]:
        return self.refs + (self.claim,)


class Criterion(Frozen):
    """Met when every concept group has a phrase in the answer that is not negated.

    Phrases match word forms by lemma (``fund`` matches *funded*, *funds*), so a phrase is written
    as plain words: a ``*`` wildcard is refused. List the derived words a criterion accepts
    (``credible``, ``credibility``) as phrases of their own.
    """

    id: Id
    description: str = Field(min_length=1)
    points: int = Field(ge=1)
    concepts: tuple[tuple[str, ...], ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _plain_phrases(self) -> "Criterion":
        for group in self.concepts:
            if not group:
                raise ValueError("a concept group needs at least one phrase")
            for phrase in group:
                if "*" in phrase:
                    raise ValueError(f"concept phrase {phrase!r}: write the base word without '*'; word forms match by lemma")
                if not any(ch.isalnum() for ch in phrase):
                    raise ValueError(f"concept phrase {phrase!r} holds no word")
        return self


class Rubric(Frozen):
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @property
    def total(self) -> int:
        return sum(c.points for c in self.criteria)


class SampleKind(StrEnum):
    """What a sample answer stands for: the range of answers a text exercise must score sensibly."""

    STRONG = "strong"
    PARTIAL = "partial"
    WEAK = "weak"
    OFF_TOPIC = "off_topic"
    KEYWORD_STUFFED = "keyword_stuffed"


class SampleAnswer(Frozen):
    """An answer a student could write, with the score (``0..points``) a teacher gives it.

    Never sent to students. Tests and ``medialit lint`` score every sample: the engine's
    provisional scores must order them as the teacher does, and an ``off_topic`` or
    ``keyword_stuffed`` sample may earn at most a third of the points.
    """

    kind: SampleKind
    text: str = Field(min_length=1)
    score: FractionField
    note: str = ""


def _check_samples(samples: tuple[SampleAnswer, ...], points: int) -> None:
    for sample in samples:
        if not 0 <= sample.score <= points:
            raise ValueError(f"sample answer score {sample.score} is not between 0 and the exercise's {points} points")
    if len({s.text.strip() for s in samples}) != len(samples):
        raise ValueError("sample answers must differ")


class ShortAnswerExercise(ExerciseBase):
    """A rubric-scored short answer. ``min_words``: shorter answers go to the teacher uncredited
    (default: a fifth of the model answer's words, at least 12)."""

    type: Literal["short_answer"] = "short_answer"
    rubric: Rubric
    model_answer: str = Field(min_length=1)
    min_words: int | None = Field(default=None, ge=1)
    samples: tuple[SampleAnswer, ...] = ()

    @model_validator(mode="after")
    def _samples_in_range(self) -> "ShortAnswerExercise":
        _check_samples(self.samples, self.points)
        return self


class RewriteExercise(ExerciseBase):
    """Rewrite ``target`` neutrally: the ``loaded`` items' words go, the ``keep`` facts stay.

    ``loaded_words``: for a loaded item, the words that still carry it when they occur anywhere in
    the rewrite (its head word, such as ``massacre`` for "brutal massacre", and close substitutes);
    the item's own quote always counts. ``aliases``: other accepted spellings of a kept fact or of a
    word of the target (``Odessa``: ``Odesa``); dates match in either order without an alias.
    """

    type: Literal["rewrite"] = "rewrite"
    target: TextSpan
    loaded: tuple[str, ...] = Field(min_length=1)
    keep: tuple[str, ...] = ()
    model_answer: str = Field(min_length=1)
    loaded_words: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    samples: tuple[SampleAnswer, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "RewriteExercise":
        unknown = sorted(set(self.loaded_words) - set(self.loaded))
        if unknown:
            raise ValueError(f"loaded_words names items that are not loaded: {unknown}")
        for phrases in (*self.loaded_words.values(), *self.aliases.values()):
            for phrase in phrases:
                if "*" in phrase or not any(ch.isalnum() for ch in phrase):
                    raise ValueError(f"{phrase!r}: write plain words; word forms match by lemma")
        _check_samples(self.samples, self.points)
        return self

    def referenced_items(self) -> tuple[str, ...]:
        return self.refs + self.loaded


Exercise = Annotated[
    Union[
        HighlightExercise,
        LabelSpansExercise,
        SingleChoiceExercise,
        MultiChoiceExercise,
        MatchExercise,
        AttributionRolesExercise,
        ShortAnswerExercise,
        RewriteExercise,
    ],
    Field(discriminator="type"),
]

SPAN_TYPES = frozenset({ExerciseType.HIGHLIGHT, ExerciseType.LABEL_SPANS, ExerciseType.ATTRIBUTION_ROLES})
REVIEWED_TYPES = frozenset({ExerciseType.SHORT_ANSWER, ExerciseType.REWRITE})
