"""The exercise bank of one lesson pack: its exercises and the quizzes built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from lesson.bundle import LessonPack
from quizzes.exercises import Exercise

__all__ = ["QuizKind", "Quiz", "Bank"]


class QuizKind(StrEnum):
    PRACTICE = "practice"
    ASSESSMENT = "assessment"
    PRE_POST = "pre_post"


class Quiz(BaseModel):
    """An ordered list of exercise ids; ``form`` (A or B) marks the parallel pre/post forms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    title: str = Field(min_length=1)
    kind: QuizKind
    form: str | None = Field(default=None, pattern=r"^[AB]$")
    description: str = ""
    exercises: tuple[str, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Bank:
    """A lesson pack with its exercises (by id, in file order) and quizzes (by id)."""

    pack: LessonPack
    exercises: dict[str, Exercise] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def quiz(self, quiz_id: str) -> Quiz:
        return self.quizzes[quiz_id]

    def quiz_exercises(self, quiz_id: str) -> list[Exercise]:
        return [self.exercises[e] for e in self.quizzes[quiz_id].exercises]
