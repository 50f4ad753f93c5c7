"""Discussion questions of a pack's teacher's guide, tagged with the skills and techniques they fit.

The debrief view picks one for each item it steps through: the first question tagged with one of
the item's techniques, else the first tagged with its skill, else the first untagged question.
"""

from __future__ import annotations

from typing import Sequence

from pydantic import Field

from lesson.article import Frozen

__all__ = ["DiscussionQuestion", "question_for"]


class DiscussionQuestion(Frozen):
    """One question as the teacher's guide prints it; ``skills`` and ``labels`` say what it fits."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)
    question: str = Field(min_length=1)
    skills: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


def question_for(questions: Sequence[DiscussionQuestion], skill: str, labels: Sequence[str]) -> DiscussionQuestion | None:
    """The question that fits an item of ``skill`` with ``labels`` best (see the module docstring)."""
    for label in labels:
        for question in questions:
            if label in question.labels:
                return question
    for question in questions:
        if skill in question.skills:
            return question
    return next((q for q in questions if not q.skills and not q.labels), None)
