"""Offsets, spans and quote matching over the canonical text.

Every offset in medialit is a half-open ``[start, end)`` range of Unicode code points into a
pack's canonical text (the W3C Web Annotation TextPositionSelector convention), so
``text[start:end]`` in Python is the quote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Span",
    "normalise_for_matching",
    "trim_to_words",
    "find_quote",
    "QuoteNotFound",
    "QuoteAmbiguous",
    "is_word_char",
]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A non-empty half-open range ``[start, end)`` of code points; ``0 <= start < end``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (isinstance(self.start, int) and isinstance(self.end, int)):
            raise TypeError("span offsets must be integers")
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end}): need 0 <= start < end")

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


# Curly and straight quotes, apostrophes and dashes are the same for matching purposes: a student
# typing on a laptop cannot produce the article's typographic characters.
_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)
_SPACES = re.compile(r"\s+")


def normalise_for_matching(text: str) -> tuple[str, list[int]]:
    """Fold quotes, dashes and whitespace runs; return the folded text and a map back.

    ``positions[i]`` is the code-point offset in ``text`` of folded character ``i``;
    ``positions[len(folded)]`` is ``len(text)``, so a folded range maps back to a half-open range.
    """
    translated = unicodedata.normalize("NFC", text).translate(_EQUIVALENTS)
    if len(translated) != len(text):  # NFC changed lengths: map through the original instead
        translated = text.translate(_EQUIVALENTS)
    folded: list[str] = []
    positions: list[int] = []
    previous_space = False
    for index, char in enumerate(translated):
        is_space = char.isspace()
        if is_space and previous_space:
            continue
        folded.append(" " if is_space else char)
        positions.append(index)
        previous_space = is_space
    positions.append(len(text))
    return "".join(folded), positions


def is_word_char(char: str) -> bool:
    """Letters, digits and the apostrophes inside words (``Russia’s``) belong to words."""
    return char.isalnum() or char in "’'"


def trim_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` past leading and trailing whitespace and punctuation.

    Returns ``None`` when nothing word-like is left. Used before comparing spans, so a stray
    space or quote mark at either edge of a student's selection costs nothing.
    """
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if start >= end:
        return None
    return start, end


class QuoteNotFound(ValueError):
    """The quote does not occur in the text (after folding quotes, dashes and whitespace)."""


class QuoteAmbiguous(ValueError):
    """The quote occurs more than once and the prefix/suffix do not pick one occurrence."""

    def __init__(self, message: str, count: int) -> None:
        super().__init__(message)
        self.count = count


def find_quote(
    text: str,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    *,
    folded: tuple[str, list[int]] | None = None,
) -> Span:
    """Resolve a W3C TextQuoteSelector ``{exact, prefix?, suffix?}`` to a :class:`Span`.

    Curly and straight quotes and apostrophes, dashes and runs of whitespace match each other.
    ``prefix`` must end immediately before and ``suffix`` start immediately after the quote (after
    folding). Raises :class:`QuoteNotFound` or :class:`QuoteAmbiguous`. Pass ``folded`` (the result of
    :func:`normalise_for_matching` on ``text``) to avoid refolding a long text for every quote.
    """
    haystack, positions = folded or normalise_for_matching(text)
    needle = normalise_for_matching(exact)[0].strip()
    if not needle:
        raise QuoteNotFound("the quote is empty")
    want_prefix = normalise_for_matching(prefix)[0] if prefix else ""
    want_suffix = normalise_for_matching(suffix)[0] if suffix else ""
    matches: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        before_ok = not want_prefix or haystack[:at].rstrip().endswith(want_prefix.strip())
        after_ok = not want_suffix or haystack[at + len(needle):].lstrip().startswith(want_suffix.strip())
        if before_ok and after_ok:
            matches.append(at)
        at = haystack.find(needle, at + 1)
    if not matches:
        raise QuoteNotFound(f"the quote {exact!r} does not occur in the text")
    if len(matches) > 1:
        raise QuoteAmbiguous(
            f"the quote {exact!r} occurs {len(matches)} times; add a prefix or suffix to say which",
            len(matches),
        )
    first = matches[0]
    return Span(positions[first], positions[first + len(needle) - 1] + 1)
