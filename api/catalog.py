"""The lessons the server serves: every exercise bank, indexed by lesson, quiz and exercise id.

Loaded once at start-up (a broken pack stops the server with the validator's messages) and again
by a regrade, so a corrected key reaches stored answers without a restart. ``on_reload`` (set by
:class:`api.catalog_sync.CatalogSync`) tells the other server processes that the packs changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from api.errors import NotFound
from lesson.bundle import LessonPack
from lesson.errors import PackInvalid, PackProblem
from quizzes.bank import Bank, Quiz, QuizKind
from quizzes.exercises import Exercise
from quizzes.loading import load_bank, load_shipped_banks
from quizzes.studio.storing import studio_pack_dirs

__all__ = ["Catalog", "load_catalog"]


@dataclass
class Catalog:
    """Banks by lesson id; quiz and exercise ids are unique across banks."""

    banks: dict[str, Bank]
    pack_dirs: tuple[Path, ...] = ()
    studio_dir: Path | None = None
    _quiz_bank: dict[str, str] = field(default_factory=dict)
    _exercise_bank: dict[str, str] = field(default_factory=dict)
    _practice_only: frozenset[str] = frozenset()
    _exercise_quizzes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    on_reload: Callable[[], None] | None = None
    """Called after :meth:`reload` has read the packs again (not after :meth:`refresh`)."""

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        quizzes: dict[str, str] = {}
        exercises: dict[str, str] = {}
        problems = []
        for lesson_id, bank in self.banks.items():
            for quiz_id in bank.quizzes:
                if quiz_id in quizzes:
                    problems.append(PackProblem(lesson_id, quiz_id, f"quiz id also used by lesson {quizzes[quiz_id]!r}"))
                quizzes[quiz_id] = lesson_id
            for exercise_id in bank.exercises:
                if exercise_id in exercises:
                    problems.append(PackProblem(lesson_id, exercise_id, f"exercise id also used by lesson {exercises[exercise_id]!r}"))
                exercises[exercise_id] = lesson_id
        if problems:
            raise PackInvalid(problems)
        self._quiz_bank, self._exercise_bank = quizzes, exercises
        # An exercise is practice-only when a practice set holds it and no assessment or pre/post
        # check does: checking it outside an attempt then cannot reveal an exam's key.
        holders: dict[str, list[str]] = {}
        in_practice: set[str] = set()
        in_assessment: set[str] = set()
        for bank in self.banks.values():
            for quiz in bank.quizzes.values():
                (in_practice if quiz.kind is QuizKind.PRACTICE else in_assessment).update(quiz.exercises)
                for exercise_id in quiz.exercises:
                    holders.setdefault(exercise_id, []).append(quiz.id)
        self._practice_only = frozenset(in_practice - in_assessment)
        self._exercise_quizzes = {e: tuple(q) for e, q in holders.items()}

    def reload(self) -> None:
        """Read every pack from disk again (on any problem the old banks stay in place), then
        tell the other processes through ``on_reload``."""
        self.refresh()
        if self.on_reload is not None:
            self.on_reload()

    def refresh(self) -> None:
        """Read every pack from disk again; on any problem the old banks stay in place."""
        fresh = load_catalog(self.pack_dirs, self.studio_dir)
        self.banks = fresh.banks
        self._index()

    def is_studio(self, lesson_id: str) -> bool:
        """True for a pack saved in the studio (and so replaceable there), false for a shipped one."""
        bank = self.banks.get(lesson_id)
        return bank is not None and self.studio_dir is not None and bank.pack.path.parent == self.studio_dir

    def bank(self, lesson_id: str) -> Bank:
        try:
            return self.banks[lesson_id]
        except KeyError:
            raise NotFound(f"no lesson {lesson_id!r}") from None

    def pack(self, lesson_id: str) -> LessonPack:
        return self.bank(lesson_id).pack

    def quiz(self, quiz_id: str) -> tuple[Bank, Quiz]:
        lesson_id = self._quiz_bank.get(quiz_id)
        if lesson_id is None:
            raise NotFound(f"no quiz {quiz_id!r}")
        bank = self.banks[lesson_id]
        return bank, bank.quizzes[quiz_id]

    def exercise(self, exercise_id: str) -> tuple[Bank, Exercise]:
        lesson_id = self._exercise_bank.get(exercise_id)
        if lesson_id is None:
            raise NotFound(f"no exercise {exercise_id!r}")
        bank = self.banks[lesson_id]
        return bank, bank.exercises[exercise_id]

    def is_practice_only(self, exercise_id: str) -> bool:
        """True when a practice set holds the exercise and no assessment or pre/post check does."""
        return exercise_id in self._practice_only

    def quizzes_holding(self, exercise_id: str) -> tuple[str, ...]:
        """The ids of every quiz that holds the exercise (none for an exercise no quiz uses)."""
        return self._exercise_quizzes.get(exercise_id, ())

    def quizzes(self) -> list[tuple[Bank, Quiz]]:
        return [(bank, quiz) for bank in self.banks.values() for quiz in bank.quizzes.values()]


def load_catalog(pack_dirs: tuple[Path, ...] = (), studio_dir: Path | None = None) -> Catalog:
    """Load ``pack_dirs``, or the shipped packs when none are given, and the packs saved in
    ``studio_dir``. Raises ``PackInvalid``."""
    if pack_dirs:
        banks = {}
        for folder in pack_dirs:
            bank = load_bank(folder)
            banks[bank.pack.id] = bank
    else:
        banks = load_shipped_banks()
    for folder in studio_pack_dirs(studio_dir):
        bank = load_bank(folder)
        if bank.pack.id in banks:
            raise PackInvalid([PackProblem(str(folder), "pack.json", f"pack id {bank.pack.id!r} is already served")])
        banks[bank.pack.id] = bank
    return Catalog(banks=banks, pack_dirs=tuple(pack_dirs), studio_dir=studio_dir)
