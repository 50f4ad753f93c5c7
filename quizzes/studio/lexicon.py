"""The suggestion lexicon: named lists of phrases, each proposing a label of one skill.

A pack may carry its own ``lexicon.json`` (documented in docs/pack-format.md); its lists replace the
default lists of the same name and any new list becomes one more suggestion rule. The default,
general-purpose English lexicon ships in ``quizzes/studio/data/lexicon-en.json``.

Phrases match whole words, case-insensitively, with curly and straight apostrophes alike; ``*`` at
the end of a word matches any ending (the same convention as short-answer rubrics).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lesson.article import Identifier

__all__ = ["LexiconList", "Lexicon", "default_lexicon", "parse_lexicon", "merge_lexicons",
           "phrase_pattern", "LEXICON_FILE"]

LEXICON_FILE = "lexicon.json"
_DEFAULT = Path(__file__).parent / "data" / "lexicon-en.json"


class LexiconList(BaseModel):
    """One list: its phrases propose ``label`` (a glossary id) of ``skill``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    skill: Literal["attribution", "framing", "funding"]
    label: Identifier
    note: str = ""
    phrases: tuple[str, ...] = Field(min_length=1)


class Lexicon(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format_version: Literal[1] = 1
    language: str = "en"
    description: str = ""
    lists: dict[Identifier, LexiconList]


def parse_lexicon(data: Any) -> Lexicon:
    """A lexicon from parsed JSON; raises pydantic's ``ValidationError`` naming each bad field."""
    return Lexicon.model_validate(data)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The general-purpose English lexicon shipped with medialit."""
    return parse_lexicon(json.loads(_DEFAULT.read_text(encoding="utf-8")))


def merge_lexicons(base: Lexicon, pack: Lexicon | None) -> Lexicon:
    """``base`` with the pack's lists put in: a list of the same name is replaced, a new one added."""
    if pack is None:
        return base
    return base.model_copy(update={"lists": {**base.lists, **pack.lists}, "language": pack.language})


_APOSTROPHES = "'’"


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern for one lexicon phrase (``*`` ends a word with anything)."""
    parts = []
    for word in phrase.split():
        stem, star = (word[:-1], True) if word.endswith("*") else (word, False)
        piece = "".join(f"[{_APOSTROPHES}]" if c in _APOSTROPHES else re.escape(c) for c in stem)
        parts.append(piece + (r"[\w'’-]*" if star else ""))
    return re.compile(r"(?<![\w'’])" + r"\s+".join(parts) + r"(?![\w])", re.IGNORECASE)
