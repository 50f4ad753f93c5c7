"""Resolving a student's span selectors to word-trimmed code-point intervals.

A :class:`~quizzes.responses.SpanAnswer` is a W3C TextPositionSelector ``{start, end}`` (code
points, half-open) or a TextQuoteSelector ``{exact, prefix?, suffix?}``. Quotes match with curly
and straight quotes, dashes and whitespace runs folded, exactly as :func:`lesson.text.find_quote`
matches them, on the pack's text folded once (:func:`find_folded`; a property test keeps the two in
agreement). The result is trimmed to word boundaries (:func:`lesson.text.trim_to_words`), so a stray
space or quote mark at either edge costs nothing. Anything that cannot be resolved becomes an
:class:`Unresolved` with a message a student can act on; it never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lesson.bundle import LessonPack
from lesson.text import _EQUIVALENTS as EQUIVALENTS  # the very folding table of lesson.text
from lesson.text import normalise_for_matching, trim_to_words
from quizzes.responses import SpanAnswer
from quizzes.scoring.intervals import Interval

__all__ = ["PackText", "pack_text", "Unresolved", "resolve", "describe", "fold_quote", "find_folded"]


_GRAM = 8
"""Length of the folded-text slices indexed by :class:`PackText` (the rarest of them are rare: in
the shipped article no 8-character slice occurs more than about 30 times)."""


@dataclass(frozen=True, slots=True)
class PackText:
    """A pack's canonical text with its quote-folded form computed once, and where each
    ``_GRAM``-character slice of the folded text starts, so that a quote is looked up instead of
    searched for through the whole article."""

    text: str
    folded: tuple[str, list[int]]
    grams: dict[str, list[int]] = field(default_factory=dict)


def _gram_index(haystack: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for at in range(len(haystack) - _GRAM + 1):
        index.setdefault(haystack[at:at + _GRAM], []).append(at)
    return index


# Folding the article costs far more than scoring one answer, so it is done once per pack object.
# The pack is kept in the value so that its id() cannot be reused while the entry lives.
_TEXTS: dict[int, tuple[LessonPack, PackText]] = {}
_MAX_CACHED = 64


def pack_text(pack: LessonPack) -> PackText:
    """The :class:`PackText` of ``pack`` (memoised by identity; pure, as the pack is immutable)."""
    entry = _TEXTS.get(id(pack))
    if entry is not None and entry[0] is pack:
        return entry[1]
    text = pack.article.text
    folded = normalise_for_matching(text)
    value = PackText(text, folded, _gram_index(folded[0]))
    if len(_TEXTS) >= _MAX_CACHED:
        _TEXTS.clear()
    _TEXTS[id(pack)] = (pack, value)
    return value


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A selector that does not pick a passage of the text; ``message`` says why, for the student."""

    message: str


def describe(answer: SpanAnswer) -> str:
    """A short human rendering of a selector, for messages."""
    if answer.exact is not None:
        shown = answer.exact if len(answer.exact) <= 40 else answer.exact[:37] + "..."
        return f"“{shown}”"
    return f"[{answer.start}, {answer.end})"


_SPACES = re.compile(r"\s+")


def fold_quote(text: str) -> str:
    """``normalise_for_matching(text)[0]`` without the position map (quotes, dashes, whitespace folded)."""
    # ASCII text is already NFC and the folding table maps only non-ASCII characters (a test pins
    # both), so it needs only its whitespace folded; most typed quotes are ASCII.
    if text.isascii():
        return _SPACES.sub(" ", text)
    translated = unicodedata.normalize("NFC", text).translate(EQUIVALENTS)
    if len(translated) != len(text):
        translated = text.translate(EQUIVALENTS)
    return _SPACES.sub(" ", translated)


def find_folded(source: PackText, exact: str, prefix: str | None, suffix: str | None) -> Interval | int:
    """:func:`lesson.text.find_quote` on the pack's pre-folded text: the span, or how often the quote
    occurs when that is not exactly once (0 or more than 1). Checks only a window around each
    occurrence for the prefix and suffix, which the folded text makes equivalent (whitespace runs are
    single spaces there)."""
    haystack, positions = source.folded
    needle = fold_quote(exact).strip()
    if not needle:
        return 0
    want_prefix = fold_quote(prefix).strip() if prefix else ""
    want_suffix = fold_quote(suffix).strip() if suffix else ""
    count, first = 0, -1
    for at in _occurrences(source, needle):
        if want_prefix and not haystack[max(0, at - len(want_prefix) - 1):at].rstrip().endswith(want_prefix):
            pass
        elif want_suffix and not haystack[at + len(needle):at + len(needle) + len(want_suffix) + 1].lstrip().startswith(want_suffix):
            pass
        else:
            count += 1
            if first < 0:
                first = at
    if count != 1:
        return count
    return positions[first], positions[first + len(needle) - 1] + 1


_MANY = 8
"""Beyond this many starts of its first slice, a quote is searched for with ``str.find`` instead
(the same occurrences, found in C rather than checked one by one in Python)."""


def _occurrences(source: PackText, needle: str) -> list[int]:
    """Every start of ``needle`` in the folded text, in order, overlapping occurrences included."""
    haystack = source.folded[0]
    if len(needle) >= _GRAM:
        starts = source.grams.get(needle[:_GRAM], ())
        if len(starts) <= _MANY:
            return [at for at in starts if haystack.startswith(needle, at)]
    found = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def resolve(answer: SpanAnswer, source: PackText) -> Interval | Unresolved:
    """Resolve one selector to a word-trimmed ``(start, end)`` interval, or say why it cannot be."""
    text = source.text
    if answer.exact is None:
        start, end = answer.start, answer.end
        assert start is not None and end is not None  # guaranteed by SpanAnswer's validator
        if end > len(text):
            return Unresolved(f"the span {describe(answer)} ends after the end of the text ({len(text)} characters)")
        if end <= start:
            return Unresolved(f"the span {describe(answer)} is empty: its end must come after its start")
        if text[start].isalnum() and text[end - 1].isalnum():
            return start, end  # already on word boundaries: the common case for a client that snaps to words
    else:
        found = find_folded(source, answer.exact, answer.prefix, answer.suffix)
        if found == 0:
            return Unresolved(f"the quote {describe(answer)} does not occur in the text")
        if isinstance(found, int):
            return Unresolved(
                f"the quote {describe(answer)} occurs {found} times; "
                "select it in the text (or add the words just before or after it) to say which"
            )
        start, end = found
    trimmed = trim_to_words(text, start, end)
    if trimmed is None:
        return Unresolved(f"the span {describe(answer)} holds no words, only spaces or punctuation")
    return trimmed
