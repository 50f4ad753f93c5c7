"""The article of a lesson pack: canonical text, blocks and provenance."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["BlockRole", "Block", "Provenance", "Article", "TextSpan"]

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class BlockRole(StrEnum):
    """What a paragraph is on the page; site chrome and related links are not the article's argument."""

    HEADLINE = "headline"
    STANDFIRST = "standfirst"
    SUBHEAD = "subhead"
    BODY = "body"
    RELATED_LINK = "related_link"
    PHOTO_CREDIT = "photo_credit"
    SITE_CHROME = "site_chrome"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextSpan(Frozen):
    """A span as written in pack files: offsets plus the exact quote they must select."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    quote: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> "TextSpan":
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"quote has {len(self.quote)} code points but [start, end) covers {self.end - self.start}"
            )
        return self


class Block(Frozen):
    """One paragraph (non-empty line) of the text: ``[start, end)`` in code points."""

    id: Identifier
    role: BlockRole
    start: int = Field(ge=0)
    end: int = Field(gt=0)


class Provenance(Frozen):
    """Where the text really comes from, and what is not known about it."""

    publisher: str = ""
    original_url_known: bool = False
    url: str = ""
    date: str = ""
    date_basis: str = ""
    repost_site: str = ""
    author: str | None = None
    notes: str = ""
    unknowns: tuple[str, ...] = ()


class Article(Frozen):
    """The canonical text with its blocks, in text order and non-overlapping."""

    id: Identifier
    title: str
    language: str = "en"
    text: str
    provenance: Provenance
    blocks: tuple[Block, ...]

    def block(self, block_id: str) -> Block:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def block_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.blocks)

    def block_at(self, offset: int) -> Block | None:
        """The block containing code point ``offset``, or ``None`` between blocks."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block
        return None
