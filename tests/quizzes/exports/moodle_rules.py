"""Moodle's grading of the two highlight forms, re-implemented from their documented rules.

- Word-select (``qtype_wordselect``, multiword mode): the question text is cut at white space and at
  delimited groups (``[...]`` or ``[[...]]``); a piece holding a single-delimited group is
  selectable, a double-delimited one is right. The grade is
  ``max(0, right/|right pieces| - wordpenalty * wrong/|right pieces|)``. A question imported
  without ``<wordpenalty>`` is stored with penalty 0 (Moodle's database layer turns the empty value
  of the numeric column into 0).
- Cloze multi-response (``{n:MULTIRESPONSE:...}``): the positive percentages are scaled to add up
  to 100 %; when no option has its own percentage, each wrong option costs one right option's share.
  The grade is the sum of the ticked options, clamped to ``[0, 1]``.

Floats, as Moodle computes them; these are checks of outside software, not our scoring.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from lxml import etree


@dataclass(frozen=True)
class Pieces:
    """The selectable pieces of one question: which are right, and what a wrong tick costs."""

    texts: tuple[str, ...]
    right: frozenset[int]
    grade: Callable[[set[int]], float]


@dataclass(frozen=True)
class _WordselectGrader:
    right: frozenset[int]
    penalty: float

    def __call__(self, ticked: set[int]) -> float:
        wrong = len(ticked - self.right)
        return max(0.0, len(ticked & self.right) / len(self.right) - wrong * self.penalty / len(self.right))


@dataclass(frozen=True)
class _MultiResponseGrader:
    fractions: tuple[float, ...]

    def __call__(self, ticked: set[int]) -> float:
        return min(1.0, max(0.0, sum(self.fractions[i] for i in ticked)))


def wordselect_pieces(question: etree._Element) -> Pieces:
    delimiters = question.findtext("delimitchars")
    left, right = re.escape(delimiters[0]), re.escape(delimiters[1])
    field = re.compile(rf"(\s+)|({left}{{1,2}}[^{right}]*{right}{{1,2}})|(&nbsp;)|(\s)")
    parts = [p for p in field.split(question.findtext("questiontext/text")) if p]
    selectable = [p for p in parts if re.search(rf"{left}([^{left}{right}]*){right}", p)]
    correct = frozenset(i for i, p in enumerate(selectable) if re.search(rf"{left}{left}.*{right}{right}", p))
    penalty = question.findtext("wordpenalty")
    return Pieces(tuple(selectable), correct, _WordselectGrader(correct, float(penalty) if penalty else 0.0))


_MULTIRESPONSE = re.compile(r"\{\d+:(?:MULTIRESPONSE|MR)(?:_H)?(?:S)?:((?:\\.|[^}])*)\}")
_OPTION = re.compile(r"(=|%(-?[0-9]+)%)?(.+)", re.S)


def multiresponse_pieces(question: etree._Element) -> Pieces:
    found = _MULTIRESPONSE.findall(question.findtext("questiontext/text"))
    assert len(found) == 1, "one multi-response list per highlight question"
    raw: list[tuple[float, bool]] = []
    texts = []
    for option in re.split(r"(?<!\\)~", found[0]):
        mark, percent, text = _OPTION.fullmatch(option).groups()
        specific = percent is not None
        raw.append((1.0 if mark == "=" else int(percent) / 100 if specific else 0.0, specific))
        texts.append(html.unescape(text))
    total = sum(f for f, _ in raw if f > 0)
    any_specific = any(s for _, s in raw)
    fractions = tuple(f / total if f > 0 else f if any_specific else -1.0 / total for f, _ in raw)
    right = frozenset(i for i, f in enumerate(fractions) if f > 0)
    return Pieces(tuple(texts), right, _MultiResponseGrader(fractions))
