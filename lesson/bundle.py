"""A loaded lesson pack: everything about one article, validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lesson.annotations import Annotation
from lesson.article import Article
from lesson.discussion import DiscussionQuestion
from lesson.techniques import Glossary

__all__ = ["LessonPack"]


@dataclass(frozen=True)
class LessonPack:
    """The article, its glossary, its master annotation, its guides (Markdown, may be empty) and the guide's discussion questions."""

    path: Path
    article: Article
    glossary: Glossary
    annotation: Annotation
    teacher_guide: str
    student_guide: str
    discussion: tuple[DiscussionQuestion, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id
