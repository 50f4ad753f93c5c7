"""Errors of the teacher-run service: each a slug and a title, no HTTP status (``api/problems.py`` maps them)."""

from __future__ import annotations

from lesson.errors import MedialitError, NotFound

__all__ = [
    "NotFound",
    "Unauthorized",
    "Conflict",
    "AssignmentNotOpen",
    "AssignmentClosed",
    "AttemptSubmitted",
    "AttemptsExhausted",
    "JoinCodeInvalid",
    "TooManyJoinAttempts",
    "DisplayNameTaken",
    "InvalidInput",
    "NotReviewable",
    "BodyTooLarge",
    "NotPracticeExercise",
    "QuizNotReleased",
    "DebriefNotReleased",
    "NotClassOwner",
]


class Unauthorized(MedialitError):
    slug = "unauthorized"
    title = "A valid bearer token is required."


class Conflict(MedialitError):
    slug = "conflict"
    title = "The request conflicts with the current state."


class AssignmentNotOpen(Conflict):
    slug = "assignment-not-open"
    title = "The assignment is not open yet."


class AssignmentClosed(Conflict):
    slug = "assignment-closed"
    title = "The assignment is closed or past its due time."


class AttemptSubmitted(Conflict):
    slug = "attempt-submitted"
    title = "The attempt has been submitted and can no longer change."


class AttemptsExhausted(Conflict):
    slug = "attempts-exhausted"
    title = "No attempts are left on this assignment."


class DisplayNameTaken(Conflict):
    slug = "display-name-taken"
    title = "Someone in this class already uses that display name."


class ClassFull(Conflict):
    slug = "class-full"
    title = "This class has as many students as it may have; ask the teacher."


class StorageQuotaExceeded(Conflict):
    slug = "storage-quota-exceeded"
    title = "Your saved answers have reached the space a student may use; shorten an answer."


class NotReviewable(Conflict):
    slug = "not-reviewable"
    title = "This answer has no score awaiting a teacher's review."


class NotPracticeExercise(MedialitError):
    slug = "not-a-practice-exercise"
    title = "This exercise belongs to a quiz a teacher assigns; it is answered and scored only inside that assignment."


class QuizNotReleased(MedialitError):
    slug = "quiz-not-released"
    title = "This quiz is shown only to its teacher and to students it has been assigned to, once it opens."


class NotClassOwner(MedialitError):
    slug = "not-class-owner"
    title = "Only the teacher who created this class can change who teaches it."


class DebriefNotReleased(Conflict):
    slug = "debrief-not-released"
    title = "The class debrief opens once students can see their feedback."


class JoinCodeInvalid(MedialitError):
    slug = "join-code-invalid"
    title = "No class has that join code."


class TooManyJoinAttempts(MedialitError):
    slug = "too-many-join-attempts"
    title = "Too many failed join attempts; wait and try again."

    def __init__(self, detail: str = "", retry_after_s: int = 60) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class InvalidInput(MedialitError):
    """Input that passed the schema but breaks a rule; ``field`` names the offending field."""

    slug = "validation-error"
    title = "The request is not valid."

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class BodyTooLarge(MedialitError):
    slug = "body-too-large"
    title = "The request body is too large."
