"""The master annotation: every instance of every technique in the article, with its reason."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, PrivateAttr

from lesson.article import Frozen, TextSpan

__all__ = ["ItemSkill", "Roles", "FactSource", "FactCheck", "Verdict", "AnnotationItem", "Annotation"]


class ItemSkill(StrEnum):
    ATTRIBUTION = "attribution"
    FRAMING = "framing"
    FUNDING = "funding"
    PROVENANCE = "provenance"
    FACTCHECK = "factcheck"
    FOIL = "foil"


class Roles(Frozen):
    """PARC 3.0 roles of an attributed claim: who (source), the reporting words (cue), what (content)."""

    source: TextSpan | None = None
    cue: TextSpan | None = None
    content: TextSpan


class Verdict(StrEnum):
    ACCURATE = "accurate"
    INACCURATE = "inaccurate"
    MISLEADING = "misleading"
    UNSUPPORTED = "unsupported"
    MIXED = "mixed"


class FactSource(Frozen):
    name: str = Field(min_length=1)
    detail: str = Field(min_length=1)


class FactCheck(Frozen):
    """What reliable public sources say about a checkable claim, each source named."""

    verdict: Verdict
    summary: str = Field(min_length=1)
    sources: tuple[FactSource, ...] = Field(min_length=1)


class AnnotationItem(TextSpan):
    """One instance in the text. ``[start, end)`` selects ``quote``; ``rationale`` is for students."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    skill: ItemSkill
    labels: tuple[str, ...] = Field(min_length=1)
    voice: str = Field(min_length=1)
    rationale: str = Field(min_length=1)
    alternatives: tuple[TextSpan, ...] = ()
    roles: Roles | None = None
    source: str | None = None
    check: FactCheck | None = None
    feedback: str | None = None
    unused_reason: str | None = None
    contested: str | None = Field(default=None, min_length=1)
    """Why careful readers disagree about this item. An exercise that lists it under ``contested``
    neither rewards nor punishes marking it, and tells a student who marks it this reason."""

    @property
    def is_foil(self) -> bool:
        return self.skill is ItemSkill.FOIL


class Annotation(Frozen):
    """All items of a pack, in text order."""

    items: tuple[AnnotationItem, ...]

    _by_id: dict[str, AnnotationItem] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._by_id = {item.id: item for item in self.items}

    def get(self, item_id: str) -> AnnotationItem:
        return self._by_id[item_id]

    def has(self, item_id: str) -> bool:
        return item_id in self._by_id
