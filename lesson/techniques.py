"""The technique glossary: every label that annotations and exercises may use."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from lesson.article import Frozen, Identifier

__all__ = ["Skill", "Technique", "Glossary"]


class Skill(StrEnum):
    ATTRIBUTION = "attribution"
    FRAMING = "framing"
    FUNDING = "funding"
    PROVENANCE = "provenance"
    FACTCHECK = "factcheck"


class Technique(Frozen):
    """A glossary entry. ``category`` groups related labels inside a skill (for partial credit)."""

    id: Identifier
    name: str = Field(min_length=1)
    skill: Skill
    category: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    example: str = Field(min_length=1)
    counter_example: str = Field(min_length=1)
    semeval_label: str | None = None
    semeval_task: str | None = None


class Glossary(Frozen):
    techniques: tuple[Technique, ...]

    def get(self, technique_id: str) -> Technique:
        for technique in self.techniques:
            if technique.id == technique_id:
                return technique
        raise KeyError(technique_id)

    def ids(self) -> frozenset[str]:
        return frozenset(t.id for t in self.techniques)

    def are_related(self, a: str, b: str) -> bool:
        """Two different labels are related when they share a skill and a category."""
        if a == b:
            return False
        try:
            ta, tb = self.get(a), self.get(b)
        except KeyError:
            return False
        return ta.skill == tb.skill and ta.category == tb.category
