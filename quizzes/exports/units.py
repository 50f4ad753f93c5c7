"""Selectable units over a span exercise's scope, for formats that select pieces rather than spans.

QTI hottext and Moodle's word-select question let a student pick whole pre-cut pieces of the text,
not arbitrary ranges. This module cuts the scope into such pieces: the key items (credit), the foils
(a penalty) and, so that the pieces do not give the answer away, every other phrase between them
(``distractor``: the text between punctuation marks, trimmed to words).

Pieces cannot overlap or nest in either format. Key items are placed first (in text order), then
foils; an item that overlaps one already placed, or lies outside the scope's blocks, is left out and
named in ``ScopedText.dropped`` so the export can report it. Offsets are code points, ``[start, end)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lesson.article import Block
from lesson.bundle import LessonPack
from lesson.text import trim_to_words
from quizzes.exercises import HighlightExercise, LabelSpansExercise

__all__ = ["UnitKind", "Unit", "ScopedBlock", "ScopedText", "scoped_units", "fill", "pieces"]

UnitKind = Literal["key", "foil", "contested", "distractor"]

# Phrases end at sentence and clause punctuation and at quotation marks and dashes.
_PHRASE = re.compile(r"[^,;:.!?\"“”‘«»()\[\]—–]+")


@dataclass(frozen=True, slots=True)
class Unit:
    """One selectable piece: ``[start, end)`` of the canonical text.

    ``item_id`` is the annotation item of a key or foil unit (``None`` for a distractor); ``label``
    the label a key unit expects (a ``label_spans`` key's first label among the options, a
    highlight key's first label among the exercise's labels) and, for a foil, its first label.
    """

    start: int
    end: int
    kind: UnitKind
    item_id: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class ScopedBlock:
    block: Block
    units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class ScopedText:
    """The scope's blocks in text order with their units, and the items that could not be placed."""

    blocks: tuple[ScopedBlock, ...]
    dropped: tuple[str, ...]

    def units(self, kind: UnitKind | None = None) -> list[Unit]:
        return [u for b in self.blocks for u in b.units if kind is None or u.kind == kind]


def _wanted_label(labels: tuple[str, ...], wanted: tuple[str, ...]) -> str:
    return next((label for label in labels if label in wanted), labels[0])


def scoped_units(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> ScopedText:
    """Cut ``exercise``'s scope into key, foil and distractor units (see the module docstring)."""
    text = pack.article.text
    blocks = sorted((pack.article.block(b) for b in exercise.scope), key=lambda b: b.start)
    wanted = exercise.labels if isinstance(exercise, HighlightExercise) else exercise.label_options
    placed: list[Unit] = []
    dropped: list[str] = []

    def place(item_id: str, kind: UnitKind) -> None:
        item = pack.annotation.get(item_id)
        block = next((b for b in blocks if b.start <= item.start and item.end <= b.end), None)
        if block is None:
            dropped.append(f"{exercise.id}: {kind} {item_id} is not inside one block of the scope")
            return
        clash = next((u for u in placed if u.start < item.end and item.start < u.end), None)
        if clash is not None:
            dropped.append(f"{exercise.id}: {kind} {item_id} overlaps {clash.kind} {clash.item_id}; not selectable")
            return
        label = _wanted_label(item.labels, wanted) if kind == "key" else item.labels[0]
        placed.append(Unit(item.start, item.end, kind, item_id, label))

    for item_id in sorted(exercise.key, key=lambda i: pack.annotation.get(i).start):
        place(item_id, "key")
    for item_id in sorted(exercise.foils, key=lambda i: pack.annotation.get(i).start):
        place(item_id, "foil")
    for item_id in sorted(exercise.contested, key=lambda i: pack.annotation.get(i).start):
        place(item_id, "contested")

    scoped = []
    for block in blocks:
        own = [u for u in placed if block.start <= u.start and u.end <= block.end]
        scoped.append(ScopedBlock(block, fill(text, block.start, block.end, own)))
    return ScopedText(tuple(scoped), tuple(dropped))


def fill(text: str, start: int, end: int, placed: list[Unit]) -> tuple[Unit, ...]:
    """``placed`` (non-overlapping, inside ``[start, end)``) in text order, with distractor phrases
    cut from the text between them."""
    units: list[Unit] = []
    cursor = start
    for unit in sorted(placed, key=lambda u: u.start) + [Unit(end, end, "distractor")]:
        units.extend(_distractors(text, cursor, unit.start))
        if unit.end > unit.start:
            units.append(unit)
        cursor = unit.end
    return tuple(units)


def _distractors(text: str, start: int, end: int) -> list[Unit]:
    units = []
    for match in _PHRASE.finditer(text, start, end):
        trimmed = trim_to_words(text, match.start(), match.end())
        if trimmed is not None:
            units.append(Unit(trimmed[0], trimmed[1], "distractor"))
    return units


def pieces(text: str, start: int, end: int, units: tuple[Unit, ...]) -> list[str | Unit]:
    """``[start, end)`` as plain strings and ``units`` in order; joined, the strings and the units'
    text give back ``text[start:end]`` exactly."""
    out: list[str | Unit] = []
    cursor = start
    for unit in units:
        if unit.start > cursor:
            out.append(text[cursor:unit.start])
        out.append(unit)
        cursor = unit.end
    if end > cursor:
        out.append(text[cursor:end])
    return out
