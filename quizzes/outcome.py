"""Outcomes: what scoring one response produced. Exact arithmetic; rounding happens at the edges."""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from quizzes.fractions_field import FractionField

__all__ = [
    "SCORING_VERSION",
    "Status",
    "FeedbackKind",
    "FeedbackItem",
    "PartOutcome",
    "SpanCounts",
    "SpanMeasures",
    "CertaintyScore",
    "Review",
    "Outcome",
    "SkillTotal",
    "Discernment",
    "QuizResult",
]

SCORING_VERSION = "2.0"
"""Bumped whenever a rule changes the score of some answer, so stored outcomes say which rules made them."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Status(StrEnum):
    """``invalid``: the answer could not be read (not the same as wrong); ``needs_review``: provisional."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    INVALID = "invalid"
    NEEDS_REVIEW = "needs_review"


class FeedbackKind(StrEnum):
    FOUND = "found"
    MISSED = "missed"
    EXTRA = "extra"
    FOIL = "foil"
    WRONG_LABEL = "wrong_label"
    CONTESTED = "contested"
    OPTION = "option"
    PAIR = "pair"
    ROLE = "role"
    CRITERION = "criterion"
    REWRITE = "rewrite"
    INVALID = "invalid"
    SUMMARY = "summary"


class FeedbackItem(Frozen):
    """One thing the student is told, anchored to the text where it concerns a span."""

    kind: FeedbackKind
    message: str
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    item_id: str | None = None
    label: str | None = None


class PartOutcome(Frozen):
    """A scored part: a key span, an option, a pair, a role or a rubric criterion."""

    id: str
    earned: FractionField
    possible: FractionField


class SpanCounts(Frozen):
    """Discernment counts for span answers.

    ``hits``: key spans the student found (any overlap); ``misses``: key spans not found;
    ``false_alarms``: student spans outside every key span; ``foils_marked``: foils a student span
    touches outside every key span (so one long mark over everything marks every foil).
    ``foils_total`` lets a quiz compute how many foils were correctly left alone.
    """

    hits: int = 0
    misses: int = 0
    false_alarms: int = 0
    foils_marked: int = 0
    foils_total: int = 0
    free_marked: FractionField = Fraction(0)
    """Share (0..1) of the scope's technique-free text the student marked; ``1 - free_marked`` is
    how much of it they correctly left alone (the "unmarked text" half of balanced accuracy)."""


class SpanMeasures(Frozen):
    """The span F1 behind a span outcome (each 0..1): see ``quizzes.scoring.measure``."""

    precision: FractionField
    recall: FractionField
    f1: FractionField


class CertaintyScore(Frozen):
    """Certainty-based marking (Moodle CBM): +1/+2/+3 when right, 0/-2/-6 when wrong."""

    certainty: int = Field(ge=1, le=3)
    mark: FractionField


class Review(Frozen):
    """A teacher's decision on a provisional score; the provisional score is kept beside it."""

    earned: FractionField
    comment: str = ""
    reviewer: str = ""


class Outcome(Frozen):
    """The score of one response: ``0 <= earned <= possible`` in the exercise's points."""

    exercise_id: str
    status: Status
    earned: FractionField
    possible: FractionField
    parts: tuple[PartOutcome, ...] = ()
    feedback: tuple[FeedbackItem, ...] = ()
    counts: SpanCounts | None = None
    measures: SpanMeasures | None = None
    certainty: CertaintyScore | None = None
    provisional: FractionField | None = None
    review: Review | None = None
    scoring_version: str = SCORING_VERSION

    @property
    def ratio(self) -> Fraction:
        return self.earned / self.possible if self.possible else Fraction(0)


class SkillTotal(Frozen):
    """Points earned and possible over a quiz's exercises of one skill."""

    skill: str
    earned: FractionField
    possible: FractionField


class Discernment(Frozen):
    """Balanced accuracy over a quiz's span answers, so that "flag everything" is not skill.

    ``sensitivity = hits / (hits + misses)``. Each span outcome offers as things to leave alone its
    foils and its technique-free text (one unit, rejected in the share ``1 - free_marked``):
    ``specificity = (foils left alone + sum(1 - free_marked)) / (foils + span outcomes)``.
    ``balanced_accuracy = (sensitivity + specificity) / 2``: 1/2 for marking everything or nothing.
    """

    hits: int
    misses: int
    false_alarms: int
    foils_marked: int
    foils_total: int
    sensitivity: FractionField
    specificity: FractionField
    balanced_accuracy: FractionField


class QuizResult(Frozen):
    """A graded submission: outcomes in quiz order (already cut to each exercise's feedback policy)."""

    quiz_id: str
    earned: FractionField
    possible: FractionField
    outcomes: tuple[Outcome, ...]
    by_skill: tuple[SkillTotal, ...]
    discernment: Discernment | None = None
    needs_review: int = 0
    invalid: int = 0
    certainty_mark: FractionField | None = None
    scoring_version: str = SCORING_VERSION

    @property
    def ratio(self) -> Fraction:
        return self.earned / self.possible if self.possible else Fraction(0)
