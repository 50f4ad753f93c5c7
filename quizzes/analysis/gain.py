"""Learning gain between a pre-check and a post-check: per student, per skill and for the class.

Pure: each student's outcomes on the two quizzes in, a report out (exact fractions; round at the edge).

- Scores are **shares** (0..1) of the points possible per skill on each quiz, so two forms built to
  one blueprint (``quizzes.checks.bank.check_forms``) compare directly.
- **Raw gain** = post share − pre share (−1..1).
- **Normalised gain** (Hake's *g*) = (post − pre) / (1 − pre): the share of the room for improvement
  that was used. For one student it is ``None`` when the pre share is already 1. For the class it is
  Hake's definition on the class means of the paired students: (⟨post⟩ − ⟨pre⟩) / (1 − ⟨pre⟩).
- **Discernment** before and after, over the span exercises: hits and false alarms, and the
  balanced accuracy of ``quizzes.submission.discernment_of`` (1/2 for marking everything or nothing).
- Only students with an outcome on both quizzes are **paired**; the others are listed, not guessed.
  An outcome still awaiting a teacher's review counts with its provisional score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

from quizzes.submission import discernment_of
from quizzes.outcome import Discernment, Outcome

__all__ = ["SkillGain", "StudentGain", "ClassGain", "learning_gain", "normalised_gain"]

TOTAL = "total"
"""The key of the all-skills row in every ``by_skill`` mapping."""


def normalised_gain(pre: Fraction, post: Fraction) -> Fraction | None:
    """Hake's g for shares in 0..1; ``None`` when there was no room to improve (pre = 1)."""
    return None if pre >= 1 else (post - pre) / (1 - pre)


@dataclass(frozen=True)
class SkillGain:
    """Pre and post shares (0..1) of one skill, with their raw and normalised gain."""

    skill: str
    pre: Fraction
    post: Fraction

    @property
    def raw(self) -> Fraction:
        return self.post - self.pre

    @property
    def normalised(self) -> Fraction | None:
        return normalised_gain(self.pre, self.post)


@dataclass(frozen=True)
class StudentGain:
    student: str
    by_skill: dict[str, SkillGain]
    discernment_pre: Discernment | None
    discernment_post: Discernment | None


@dataclass(frozen=True)
class ClassGain:
    """The paired students, the class means per skill, and who could not be paired."""

    students: tuple[StudentGain, ...]
    by_skill: dict[str, SkillGain]
    discernment_pre: Discernment | None
    discernment_post: Discernment | None
    only_pre: tuple[str, ...] = field(default=())
    only_post: tuple[str, ...] = field(default=())


def _shares(outcomes: Sequence[Outcome], skill_of: Mapping[str, str]) -> dict[str, Fraction]:
    earned: dict[str, Fraction] = {}
    possible: dict[str, Fraction] = {}
    for outcome in outcomes:
        for key in (skill_of[outcome.exercise_id], TOTAL):
            earned[key] = earned.get(key, Fraction(0)) + outcome.earned
            possible[key] = possible.get(key, Fraction(0)) + outcome.possible
    return {key: earned[key] / possible[key] for key in possible if possible[key]}


def _discernment(outcomes: Sequence[Outcome]) -> Discernment | None:
    return discernment_of([o.counts for o in outcomes if o.counts is not None])


def learning_gain(
    pre: Mapping[str, Sequence[Outcome]],
    post: Mapping[str, Sequence[Outcome]],
    skill_of: Mapping[str, str],
) -> ClassGain:
    """Pair each student's ``pre`` and ``post`` outcomes (student -> outcomes of one quiz).

    ``skill_of`` maps every exercise id of both quizzes to its skill. A skill counts for a student
    only when both quizzes scored it.
    """
    paired = sorted(set(pre) & set(post))
    students = []
    for student in paired:
        before, after = _shares(pre[student], skill_of), _shares(post[student], skill_of)
        rows = {s: SkillGain(s, before[s], after[s]) for s in before if s in after}
        students.append(StudentGain(student, rows, _discernment(pre[student]), _discernment(post[student])))
    means: dict[str, SkillGain] = {}
    for skill in sorted({s for g in students for s in g.by_skill}, key=lambda s: (s == TOTAL, s)):
        rows = [g.by_skill[skill] for g in students if skill in g.by_skill]
        means[skill] = SkillGain(skill, sum((r.pre for r in rows), Fraction(0)) / len(rows),
                                 sum((r.post for r in rows), Fraction(0)) / len(rows))
    return ClassGain(
        students=tuple(students),
        by_skill=means,
        discernment_pre=_discernment([o for s in paired for o in pre[s]]),
        discernment_post=_discernment([o for s in paired for o in post[s]]),
        only_pre=tuple(sorted(set(pre) - set(post))),
        only_post=tuple(sorted(set(post) - set(pre))),
    )
