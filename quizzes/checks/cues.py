"""Position, length and id cues across a pack: answers a student could find without reading.

``medialit lint`` reports these figures for every pack and fails past the thresholds below. They are
measured on the file order, which is what a printed key, a GIFT import or a pinned option shows;
students in the app also get a fresh order per attempt (``quizzes.ordering``).

- **Longest option.** The share of ``single_choice`` items whose correct option is strictly the
  longest, and of ``multi_choice`` items whose strictly longest option is a correct one, against
  what chance gives (``1/options``, ``correct/options``).
- **Place of the answer.** How often the correct ``single_choice`` option sits at each place; and
  how many ``multi_choice`` items list every correct option before (or after) every distractor.
- **Diagonal match.** A ``match`` exercise whose row *i* goes with right item *i* for two or more
  rows: answering 1, 2, 3 … in order scores.
- **Option ids.** Students see the ids (in the page and the JSON views) whatever order the options
  are shown in, so the ids are measured like the places, in alphabetical order (numbers in an id
  by value, so ``r2`` before ``r10``): how often the correct ``single_choice`` option has the
  alphabetically first id (against chance, ``1/options``) and at which alphabetical place its id
  sits; how many ``multi_choice`` items give every correct option an id before (or after) every
  distractor's; and a ``match`` whose rows go with the right item of the same place in id order
  (``l1`` with ``r1``, ``l2`` with ``r2`` …) for two or more rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable

from quizzes.exercises import ChoiceOption, Exercise, MatchExercise, MultiChoiceExercise, SingleChoiceExercise

__all__ = [
    "CueReport", "cue_report", "cue_problems", "diagonal_rows", "diagonal_problem", "MIN_ITEMS", "MAX_LONGEST_EXCESS", "MAX_PLACE_SHARE",
    "MAX_BLOCK_SHARE", "MAX_DIAGONAL_ROWS", "MAX_FIRST_ID_EXCESS", "MIN_ID_DIAGONAL_ROWS", "id_diagonal_rows",
]

MIN_ITEMS = 5
"""Shares are judged only over at least this many items of a type (fewer say nothing); diagonals always."""
MAX_LONGEST_EXCESS = Fraction(1, 5)
"""The longest-option share may differ from chance by at most this much (20 percentage points) either
way: "the longest is right" and "the longest is never right" are both cues."""
MAX_PLACE_SHARE = Fraction(1, 2)
"""No single place may hold the correct ``single_choice`` option in more than half of the items."""
MAX_BLOCK_SHARE = Fraction(1, 3)
"""At most a third of ``multi_choice`` items may list their correct options as one block at either end."""
MAX_DIAGONAL_ROWS = 1
"""A match may pair row *i* with right item *i* at most once (a random order does so once on average)."""
MIN_ID_DIAGONAL_ROWS = 3
"""A match is checked for rows paired by id place only from this many rows on."""
MAX_FIRST_ID_EXCESS = Fraction(1, 5)
"""The share of ``single_choice`` items whose correct option has the alphabetically first id may differ
from chance by at most this much either way: "pick a" must not pay, nor "never a". Places of the id
and blocks of ids are held to ``MAX_PLACE_SHARE`` and ``MAX_BLOCK_SHARE`` like the file places."""


def _strict_longest(options: Iterable[ChoiceOption]) -> ChoiceOption | None:
    ranked = sorted(options, key=lambda o: len(o.text), reverse=True)
    if len(ranked) > 1 and len(ranked[0].text) == len(ranked[1].text):
        return None
    return ranked[0] if ranked else None


def _is_block_at_an_end(options: tuple[ChoiceOption, ...]) -> bool:
    """Every correct option before every distractor, or after; an item with no distractor has no cue."""
    flags = [o.correct for o in options]
    if all(flags):
        return False
    k = sum(flags)
    return flags == [True] * k + [False] * (len(flags) - k) or flags == [False] * (len(flags) - k) + [True] * k


def _id_order(ident: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of an id as a reader orders ids: alphabetically, numbers by value (``r2`` before ``r10``)."""
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", ident) if t)


def _by_id(options: tuple[ChoiceOption, ...]) -> tuple[ChoiceOption, ...]:
    """The options in the order of their ids: the order a student can read off the ids."""
    return tuple(sorted(options, key=lambda o: _id_order(o.id)))


def diagonal_rows(exercise: MatchExercise) -> list[str]:
    """Left ids whose right item sits at the same place in the file as the row itself."""
    return [left.id for left, right in zip(exercise.left, exercise.right) if exercise.pairs[left.id] == right.id]


def id_diagonal_rows(exercise: MatchExercise) -> list[str]:
    """Left ids whose right item's id has the same place in id order as the row's own id (``l3`` with ``r3``).

    Only from ``MIN_ID_DIAGONAL_ROWS`` rows on: two rows pair by id either in order or reversed, so
    their ids cannot avoid a pattern (and a student cannot tell which one a pack uses).
    """
    if len(exercise.left) < MIN_ID_DIAGONAL_ROWS:
        return []
    lefts = sorted((i.id for i in exercise.left), key=_id_order)
    rights = sorted((i.id for i in exercise.right), key=_id_order)
    return [left for left, right in zip(lefts, rights) if exercise.pairs[left] == right]


@dataclass(frozen=True)
class CueReport:
    single_items: int = 0
    single_longest: int = 0
    single_longest_chance: Fraction = Fraction(0)
    single_places: dict[int, int] = field(default_factory=dict)
    """1-based place of the correct option -> number of ``single_choice`` items."""
    multi_items: int = 0
    multi_longest: int = 0
    multi_longest_chance: Fraction = Fraction(0)
    multi_blocks: int = 0
    diagonals: dict[str, list[str]] = field(default_factory=dict)
    """Match exercise id -> its diagonal rows, for every match with more than ``MAX_DIAGONAL_ROWS``."""
    single_id_places: dict[int, int] = field(default_factory=dict)
    """1-based alphabetical place of the correct option's id among the item's ids -> number of items."""
    multi_id_blocks: int = 0
    """``multi_choice`` items whose correct options have the first (or the last) ids in alphabetical order."""
    id_diagonals: dict[str, list[str]] = field(default_factory=dict)
    """Match exercise id -> rows paired with the right item of their own place in id order (past ``MAX_DIAGONAL_ROWS``)."""

    @property
    def single_first_id(self) -> int:
        """``single_choice`` items whose correct option has the alphabetically first id."""
        return self.single_id_places.get(1, 0)

    def describe(self) -> str:
        """The figures in one paragraph, for ``medialit lint``."""

        def share(n: int, of: int) -> str:
            return f"{n}/{of} ({100 * n / of:.0f}%)" if of else "0/0"

        def chance(total: Fraction, of: int) -> str:
            return f"{100 * float(total) / of:.0f}%" if of else "-"

        places = ", ".join(f"{place}: {count}" for place, count in sorted(self.single_places.items())) or "-"
        diagonals = "; ".join(f"{k} (rows {', '.join(v)})" for k, v in self.diagonals.items()) or "none"
        id_places = ", ".join(f"{place}: {count}" for place, count in sorted(self.single_id_places.items())) or "-"
        id_diagonals = "; ".join(f"{k} (rows {', '.join(v)})" for k, v in self.id_diagonals.items()) or "none"
        return (
            f"correct option longest: single_choice {share(self.single_longest, self.single_items)}, chance "
            f"{chance(self.single_longest_chance, self.single_items)}; multi_choice {share(self.multi_longest, self.multi_items)}, "
            f"chance {chance(self.multi_longest_chance, self.multi_items)}. "
            f"Place of the correct single_choice option: {places}. "
            f"multi_choice with the correct options in one block at an end: {share(self.multi_blocks, self.multi_items)}. "
            f"Diagonal matches: {diagonals}. "
            f"Alphabetical place of the correct single_choice option's id: {id_places} (first: "
            f"{share(self.single_first_id, self.single_items)}, chance {chance(self.single_longest_chance, self.single_items)}). "
            f"multi_choice with the correct options' ids in one block at an end of the alphabet: {share(self.multi_id_blocks, self.multi_items)}. "
            f"Matches pairing ids by place: {id_diagonals}."
        )


def cue_report(exercises: Iterable[Exercise]) -> CueReport:
    """Measure the cues over every choice and match exercise of a pack (file order, and the ids)."""
    single = multi = single_longest = multi_longest = blocks = id_blocks = 0
    single_chance = multi_chance = Fraction(0)
    places: Counter[int] = Counter()
    id_places: Counter[int] = Counter()
    diagonals: dict[str, list[str]] = {}
    id_diagonals: dict[str, list[str]] = {}
    for exercise in exercises:
        match exercise:
            case SingleChoiceExercise():
                single += 1
                single_chance += Fraction(1, len(exercise.options))
                longest = _strict_longest(exercise.options)
                single_longest += bool(longest and longest.correct)
                places[next(k for k, o in enumerate(exercise.options, 1) if o.correct)] += 1
                id_places[next(k for k, o in enumerate(_by_id(exercise.options), 1) if o.correct)] += 1
            case MultiChoiceExercise():
                multi += 1
                multi_chance += Fraction(sum(o.correct for o in exercise.options), len(exercise.options))
                longest = _strict_longest(exercise.options)
                multi_longest += bool(longest and longest.correct)
                blocks += _is_block_at_an_end(exercise.options)
                id_blocks += _is_block_at_an_end(_by_id(exercise.options))
            case MatchExercise():
                rows = diagonal_rows(exercise)
                if len(rows) > MAX_DIAGONAL_ROWS:
                    diagonals[exercise.id] = rows
                rows = id_diagonal_rows(exercise)
                if len(rows) > MAX_DIAGONAL_ROWS:
                    id_diagonals[exercise.id] = rows
            case _:
                pass
    return CueReport(
        single_items=single, single_longest=single_longest, single_longest_chance=single_chance, single_places=dict(places),
        multi_items=multi, multi_longest=multi_longest, multi_longest_chance=multi_chance, multi_blocks=blocks, diagonals=diagonals,
        single_id_places=dict(id_places), multi_id_blocks=id_blocks, id_diagonals=id_diagonals,
    )


def _longest_problem(finding: str, longest: int, items: int, chance: Fraction, kind: str, when_more: str, when_less: str) -> list[str]:
    """The length cue of one exercise type, if ``longest`` of ``items`` is further from ``chance`` (an
    expected count) than :data:`MAX_LONGEST_EXCESS` allows: ``when_more`` is the fix for too often, ``when_less`` for too rarely."""
    excess = Fraction(longest, items) - chance / items
    if abs(excess) <= MAX_LONGEST_EXCESS:
        return []
    fix = when_more if excess > 0 else when_less
    return [f"{finding} in {longest} of {items} {kind} exercises (chance: {100 * float(chance) / items:.0f}%): {fix}"]


def cue_problems(report: CueReport) -> list[str]:
    """Pack-wide shares past a threshold, in words an author can act on (diagonals: :func:`diagonal_problem`)."""
    problems = []
    if report.single_items >= MIN_ITEMS:
        problems.extend(_longest_problem(
            "the correct option is the longest", report.single_longest, report.single_items, report.single_longest_chance, "single_choice",
            "lengthen the distractors or shorten the answer", "let the answer be the longest now and then"))
        place, count = max(report.single_places.items(), key=lambda kv: kv[1])
        if Fraction(count, report.single_items) > MAX_PLACE_SHARE:
            problems.append(
                f"the correct option is at place {place} in {count} of {report.single_items} single_choice exercises: "
                "spread the correct options over the places"
            )
        problems.extend(_id_problems(report))
    if report.multi_items >= MIN_ITEMS:
        problems.extend(_longest_problem(
            "the longest option is a correct one", report.multi_longest, report.multi_items, report.multi_longest_chance, "multi_choice",
            "lengthen the distractors or shorten the answers", "let a correct option be the longest now and then"))
        if Fraction(report.multi_blocks, report.multi_items) > MAX_BLOCK_SHARE:
            problems.append(
                f"{report.multi_blocks} of {report.multi_items} multi_choice exercises list every correct option before "
                "(or after) every distractor: interleave them"
            )
        if Fraction(report.multi_id_blocks, report.multi_items) > MAX_BLOCK_SHARE:
            problems.append(
                f"{report.multi_id_blocks} of {report.multi_items} multi_choice exercises give every correct option an id "
                "before (or after) every distractor's in alphabetical order: rename the options so correct and wrong ids interleave"
            )
    return problems


def _id_problems(report: CueReport) -> list[str]:
    """The ``single_choice`` id cues (judged once there are ``MIN_ITEMS`` items)."""
    problems = []
    chance = report.single_longest_chance / report.single_items  # 1/options on average, as for the longest option
    excess = Fraction(report.single_first_id, report.single_items) - chance
    if abs(excess) > MAX_FIRST_ID_EXCESS:
        fix = "give other options the first id" if excess > 0 else "let the correct option have the first id now and then"
        problems.append(
            f"the correct option has the alphabetically first id in {report.single_first_id} of {report.single_items} "
            f"single_choice exercises (chance: {100 * float(chance):.0f}%): students see the ids, so {fix}"
        )
    place, count = max(report.single_id_places.items(), key=lambda kv: kv[1])
    if Fraction(count, report.single_items) > MAX_PLACE_SHARE and not (place == 1 and problems):
        problems.append(
            f"the correct option's id is at alphabetical place {place} in {count} of {report.single_items} single_choice "
            "exercises: spread the correct ids over the letters"
        )
    return problems


def diagonal_problem(exercise: MatchExercise) -> str | None:
    """The diagonal-match problems of one exercise, by place and by id, or ``None`` (checked per exercise, so lint names its line)."""
    problems = []
    rows = diagonal_rows(exercise)
    if len(rows) > MAX_DIAGONAL_ROWS:
        problems.append(f"rows {', '.join(rows)} pair with the right item at their own place, so answering 1, 2, 3 ... in order "
                        "scores: reorder the right items")
    rows = id_diagonal_rows(exercise)
    if len(rows) > MAX_DIAGONAL_ROWS:
        problems.append(f"rows {', '.join(rows)} pair with the right item whose id has the same place (such as l1 with r1), "
                        "and students see the ids: rename the right items")
    return "; ".join(problems) or None
