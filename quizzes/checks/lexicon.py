"""Authoring check of a pack's optional suggestion lexicon (``lexicon.json``), run by the loader.

The lexicon itself (its model, the shipped default, merging) is the studio's: :mod:`quizzes.studio.lexicon`.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from lesson.loading import ProblemLog, read_json
from quizzes.studio.lexicon import LEXICON_FILE, Lexicon, LexiconList

__all__ = ["check_lexicon"]


def check_lexicon(root: Path, log: ProblemLog, labels: frozenset[str] | None = None) -> Lexicon | None:
    """Validate a pack's optional ``lexicon.json``: its shape, and (given ``labels``) that every
    list's label is in the pack's glossary. Problems go to ``log``; returns the lexicon or ``None``."""
    path = root / LEXICON_FILE
    if not path.is_file():
        return None
    parsed = read_json(path, log)
    if parsed is None:
        return None
    data = parsed[0]
    if not isinstance(data, dict) or not isinstance(data.get("lists"), dict):
        log.add(path, "", 'must be an object {"format_version": 1, "lists": {NAME: {...}}}')
        return None
    lists: dict[str, LexiconList] = {}
    for name, entry in data["lists"].items():
        where = f"lists.{name}"
        try:
            lists[name] = LexiconList.model_validate(entry)
        except ValidationError as error:
            log.add_validation_error(path, where, error)
            continue
        if labels is not None and lists[name].label not in labels:
            log.add(path, where, f"unknown label {lists[name].label!r} (not in techniques.json)")
        for index, phrase in enumerate(lists[name].phrases):
            if not phrase.strip("* ") or re.search(r"\*(?=\S)", phrase):
                log.add(path, f"{where}.phrases[{index}]", "a phrase needs words; '*' only at the end of a word")
    try:
        return Lexicon.model_validate({**data, "lists": lists})
    except ValidationError as error:
        log.add_validation_error(path, "", error)
        return None
