"""Wire models of the API: ``…In`` for requests, ``…Out`` for responses (views live in ``quizzes.views``)."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, field_validator

from quizzes.views import ExerciseView, OutcomeView

__all__ = [
    "FeedbackRelease", "HealthOut", "LessonSummaryOut", "QuizSummaryOut", "ClassIn", "StudentOut", "ClassSummaryOut",
    "ClassOut", "StudentTokenOut", "AssignmentIn", "AssignmentPatchIn", "AssignmentOut", "JoinIn", "JoinOut", "MyAssignmentOut",
    "ResultOut", "AttemptOut", "AnswerSavedOut", "ReviewIn", "ReviewRecordOut", "ReviewOut", "RegradeEntryOut", "RegradeOut",
    "SkillGainOut", "DiscernmentOut", "StudentGainOut", "GainOut",
]


def _iso_only(value: Any) -> Any:
    if isinstance(value, (str, datetime)):
        return value
    raise ValueError("must be an ISO 8601 date-time string such as 2030-03-01T10:00:00Z")


def _as_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_only), AfterValidator(_as_utc)]
"""A date-time sent as ISO 8601 text with its offset (``Z`` or ``+02:00``), kept in UTC. A bare
number of seconds is refused, and so is a time without an offset: whose local time it meant
cannot be known, so it is not guessed at."""


class In(BaseModel):
    """Request bodies: unknown fields and type coercions (``"1"`` for 1, ``0`` for a date) are refused,
    and so is a NUL character in any text (PostgreSQL cannot store one; SQLite would)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class FeedbackRelease(StrEnum):
    """When students see scores and feedback: at once, after the due time (or when closed), or never."""

    IMMEDIATE = "immediate"
    AFTER_DUE = "after_due"
    NONE = "none"


class HealthOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"status": "ok", "database": "ok", "lessons": 1}]})

    status: str = Field(examples=["ok"], description="ok, or degraded when the store cannot be written")
    database: str = Field(examples=["ok"], description="ok, busy (another writer holds the lock), full (no space left) or read-only")
    lessons: int = Field(examples=[1])


class LessonSummaryOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": "central-asia-2022", "title": "How Russia’s neighbors react to the war in Ukraine", "language": "en", "quizzes": ["practice-framing", "final"]}]})

    id: str = Field(examples=["central-asia-2022"])
    title: str
    language: str
    quizzes: list[str]


class QuizSummaryOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": "practice-framing", "lesson_id": "central-asia-2022", "title": "Practice: loaded framing", "kind": "practice", "form": None, "description": "", "exercise_count": 12}]})

    id: str = Field(examples=["practice-framing"])
    lesson_id: str
    title: str
    kind: str
    form: str | None
    description: str
    exercise_count: int


class ClassIn(In):
    name: str = Field(min_length=1, max_length=200, examples=["Year 10 media studies"])


class StudentOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 7, "display_name": "Amira K.", "joined_at": "2026-03-01T09:00:00Z"}]})

    id: int
    display_name: str
    joined_at: datetime


class ClassSummaryOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 1, "name": "Year 10 media studies", "join_code": "K7P2XM9QRT", "created_at": "2026-03-01T09:00:00Z", "student_count": 24}]})

    id: int
    name: str
    join_code: str | None = Field(examples=["K7P2XM9QRT"], description="null while joining is turned off")
    created_at: datetime
    student_count: int
    closed_at: datetime | None = Field(default=None, description="when the teacher closed the class; null while it runs (see docs/privacy.md)")


class AssignmentIn(In):
    quiz_id: str = Field(min_length=1, max_length=80, examples=["final-assessment"])
    opens_at: IsoDateTime | None = Field(default=None, description="UTC; students cannot start before it")
    due_at: IsoDateTime | None = Field(default=None, description="UTC; no answers are accepted after it")
    feedback: FeedbackRelease = FeedbackRelease.IMMEDIATE
    attempts_allowed: StrictInt = Field(default=1, ge=1, le=20)
    shuffle: StrictBool = Field(default=False, description="give each attempt its own exercise order")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"quiz_id": "final-assessment", "feedback": "after_due", "due_at": "2030-03-01T10:00:00Z", "attempts_allowed": 1, "shuffle": False}]})


class AssignmentPatchIn(In):
    """Close (``closed: true``), reopen, extend (a later ``due_at``; ``null`` removes it) or change attempts."""

    closed: StrictBool | None = None
    due_at: IsoDateTime | None = None
    attempts_allowed: StrictInt | None = Field(default=None, ge=1, le=20)

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"closed": True}, {"due_at": "2030-03-08T10:00:00Z"}]})


class AssignmentOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 3, "class_id": 1, "quiz_id": "final", "lesson_id": "central-asia-2022", "quiz_title": "Final assessment", "opens_at": None, "due_at": "2026-03-08T10:00:00Z", "closed": False, "state": "open", "feedback": "after_due", "attempts_allowed": 1, "shuffle": False, "created_at": "2026-03-01T09:00:00Z"}]})

    id: int
    class_id: int
    quiz_id: str
    lesson_id: str
    quiz_title: str
    opens_at: datetime | None
    due_at: datetime | None
    closed: bool
    state: str = Field(description="scheduled, open or closed", examples=["open"])
    feedback: FeedbackRelease
    attempts_allowed: int
    shuffle: bool
    created_at: datetime


class StudentTokenOut(Out):
    """A student's new token, shown only in this response; the old one no longer works."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"student_id": 7, "display_name": "Amira K.", "token": "q1dYb5yQ3xV0m2cXf8J6KcY1Ewq0cF3l2s9rTt5u6w0"}]})

    student_id: int
    display_name: str
    token: str


class ClassOut(ClassSummaryOut):
    students: list[StudentOut]
    assignments: list[AssignmentOut]


class JoinIn(In):
    join_code: str = Field(min_length=1, max_length=64, examples=["K7P2XM9QRT"])
    display_name: str = Field(min_length=1, max_length=200, examples=["Amira K."])


class JoinOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"student_id": 7, "display_name": "Amira K.", "class_id": 1, "class_name": "Year 10 media studies", "token": "q1dYb5yQ3xV0m2cXf8J6KcY1Ewq0cF3l2s9rTt5u6w0"}]})

    student_id: int
    display_name: str
    class_id: int
    class_name: str
    token: str = Field(description="the student's bearer token; shown only this once")


class MyAssignmentOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 3, "quiz_id": "final", "lesson_id": "central-asia-2022", "quiz_title": "Final assessment", "opens_at": None, "due_at": "2026-03-08T10:00:00Z", "state": "open", "feedback": "after_due", "attempts_allowed": 1, "attempts_used": 1, "open_attempt_id": None, "last_submitted_attempt_id": 12}]})

    id: int
    quiz_id: str
    lesson_id: str
    quiz_title: str
    opens_at: datetime | None
    due_at: datetime | None
    state: str
    feedback: FeedbackRelease
    attempts_allowed: int
    attempts_used: int
    open_attempt_id: int | None
    last_submitted_attempt_id: int | None = None
    """The student's latest submitted attempt, so its result opens on any device."""


class ResultOut(Out):
    earned: float = Field(description="points confirmed so far: a text answer's provisional score counts once a teacher confirms it")
    possible: float
    percent: float
    exercises: list[OutcomeView]
    waiting_for_teacher: int = Field(default=0, description="answers whose score waits for the teacher")


class AttemptOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"id": 12, "assignment_id": 3, "number": 1, "exercise_order": ["frm-01", "att-04"], "started_at": "2026-03-01T09:00:00Z", "submitted_at": None, "answers": {"frm-01": {"type": "highlight", "spans": [{"start": 1204, "end": 1215}]}}, "feedback_released": False, "result": None}]})

    id: int
    assignment_id: int
    number: int
    exercise_order: list[str]
    exercises: list[ExerciseView] = Field(
        default_factory=list, description="the attempt's exercises as the student sees them, options in this attempt's order")
    started_at: datetime
    submitted_at: datetime | None
    answers: dict[str, dict[str, Any]] = Field(description="the student's own saved answers, by exercise id")
    feedback_released: bool
    result: ResultOut | None = Field(description="present once submitted and the assignment's policy releases it")


class AnswerSavedOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"attempt_id": 12, "exercise_id": "frm-01", "saved_at": "2026-03-01T09:00:00Z"}]})

    attempt_id: int
    exercise_id: str
    saved_at: datetime


class ReviewIn(In):
    earned: str | int | float = Field(description="points for this answer, 0..possible: any score the engine gives, as a fraction string like '3/2' or '4/3' (exact), a decimal like '1.6' or '1,6', or a number", examples=["1", "3/2", "1.6"])
    comment: str = Field(default="", max_length=2000)


class ReviewRecordOut(Out):
    reviewer: str = Field(description="the reviewing teacher account's display name (\"teacher\" for reviews from before accounts)")
    provisional: str
    earned: str
    comment: str
    created_at: datetime


class ReviewOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"answer_id": 40, "exercise_id": "fun-09", "status": "partial", "earned": "3/2", "possible": "2", "history": [{"reviewer": "Ms Okafor", "provisional": "1", "earned": "3/2", "comment": "Good point about the donors", "created_at": "2026-03-01T09:00:00Z"}]}]})

    answer_id: int
    exercise_id: str
    status: str
    earned: str
    possible: str
    history: list[ReviewRecordOut]


class RegradeEntryOut(Out):
    answer_id: int
    attempt_id: int
    exercise_id: str
    old_earned: str | None
    new_earned: str
    old_version: str | None
    new_version: str


class RegradeOut(Out):
    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"regrade_id": 2, "assignment_id": 3, "created_at": "2026-03-01T09:00:00Z", "changed": 1, "entries": [{"answer_id": 40, "attempt_id": 12, "exercise_id": "frm-01", "old_earned": "1/2", "new_earned": "2/3", "old_version": "1.0", "new_version": "2.0"}]}]})

    regrade_id: int
    assignment_id: int
    created_at: datetime
    changed: int
    entries: list[RegradeEntryOut]


class ScoreOut(Out):
    earned: float
    possible: float
    status: str
    answer_id: int | None = Field(description="the stored answer, for PUT /answers/{answer_id}/review")
    exact: str | None = Field(default=None, description="earned as an exact fraction such as '8/5' (a provisional score to confirm unchanged)")
    flag: str | None = Field(default=None, description="why a written answer got no provisional points (too short, a list of words, not a rewrite …)")


class SkillScoreOut(Out):
    earned: float
    possible: float
    percent: float


class GradebookRowOut(Out):
    student_id: int
    display_name: str
    attempt_id: int
    attempt: int
    submitted_at: datetime | None
    earned: float
    possible: float
    percent: float
    discernment: float | None = Field(description="balanced accuracy of span answers, 0..1")
    awaiting_review: list[str] = Field(description="exercise ids whose score is provisional")
    exercises: dict[str, ScoreOut]
    skills: dict[str, SkillScoreOut]


class InProgressOut(Out):
    student_id: int
    display_name: str
    attempt_id: int
    answered: int


class GradebookOut(Out):
    assignment: AssignmentOut
    exercises: list[str]
    rows: list[GradebookRowOut]
    in_progress: list[InProgressOut]
    not_started: list[StudentOut]


__all__ += ["ScoreOut", "SkillScoreOut", "GradebookRowOut", "InProgressOut", "GradebookOut"]


class SkillGainOut(Out):
    """Shares in percent (0..100); ``raw_gain`` in percentage points; ``normalised_gain`` is Hake's g."""

    before: float
    after: float
    raw_gain: float
    normalised_gain: float | None = Field(description="(after − before) / (100 − before); null when before was 100")


class DiscernmentOut(Out):
    hits: int
    misses: int
    false_alarms: int
    balanced_accuracy: float


class StudentGainOut(Out):
    student_id: int
    display_name: str
    skills: dict[str, SkillGainOut] = Field(description="per skill, and 'total' for all skills")


class GainOut(Out):
    """Learning gain of a class between its pre-check and post-check assignments."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{
        "pre_assignments": [3, 4], "post_assignments": [5, 6], "paired": 1,
        "skills": {"framing": {"before": 50.0, "after": 83.33, "raw_gain": 33.33, "normalised_gain": 0.667},
                   "total": {"before": 41.67, "after": 75.0, "raw_gain": 33.33, "normalised_gain": 0.571}},
        "discernment_before": {"hits": 3, "misses": 5, "false_alarms": 4, "balanced_accuracy": 0.55},
        "discernment_after": {"hits": 6, "misses": 2, "false_alarms": 1, "balanced_accuracy": 0.81},
        "students": [{"student_id": 7, "display_name": "Amira K.", "skills": {"total": {"before": 41.67, "after": 75.0, "raw_gain": 33.33, "normalised_gain": 0.571}}}],
        "only_before": ["Ben"], "only_after": [],
    }]})

    pre_assignments: list[int]
    post_assignments: list[int]
    paired: int
    skills: dict[str, SkillGainOut] = Field(description="class means per skill, and 'total'; g on the class means")
    discernment_before: DiscernmentOut | None
    discernment_after: DiscernmentOut | None
    students: list[StudentGainOut]
    only_before: list[str] = Field(description="display names of students with only a pre-check")
    only_after: list[str] = Field(description="display names of students with only a post-check")
