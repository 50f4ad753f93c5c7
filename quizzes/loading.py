"""Loading a lesson pack's exercise bank and quizzes from its folder, with every load-time check (:mod:`quizzes.checks`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from lesson.errors import PackInvalid
from lesson.loading import ProblemLog, line_of_id, load_pack, read_json, shipped_packs_dir
from quizzes.checks.bank import check_coverage, check_exercise, check_forms, check_quizzes
from quizzes.bank import Bank, Quiz
from quizzes.checks.cues import cue_problems, cue_report
from quizzes.exercises import Exercise
from quizzes.checks.lexicon import check_lexicon

__all__ = ["load_bank", "load_shipped_banks", "DEFAULT_PACK"]

DEFAULT_PACK = "central-asia-2022"
_EXERCISE = TypeAdapter(Exercise)


def load_bank(folder: Path | str) -> Bank:
    """Load a pack and its exercises and quizzes; raises ``PackInvalid`` listing every problem."""
    root = Path(folder)
    pack = load_pack(root)
    log = ProblemLog(root)
    exercises: dict[str, Exercise] = {}
    folder_ex = root / "exercises"
    files = sorted(folder_ex.glob("*.json")) if folder_ex.is_dir() else []
    if not files:
        log.add(folder_ex, "", "no exercise files (exercises/*.json)")
    for path in files:
        parsed = read_json(path, log)
        if parsed is None:
            continue
        data, raw = parsed
        if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
            log.add(path, "", 'must be an object {"exercises": [...]}')
            continue
        for index, entry in enumerate(data["exercises"]):
            ident = entry.get("id") if isinstance(entry, dict) else None
            line = line_of_id(raw, ident) if isinstance(ident, str) else None
            where = f"line {line} ({ident})" if line else f"exercises[{index}]"
            try:
                exercise = _EXERCISE.validate_python(entry)
            except ValidationError as error:
                log.add_validation_error(path, where, error)
                continue
            if exercise.id in exercises:
                log.add(path, where, f"duplicate exercise id {exercise.id!r}")
            exercises[exercise.id] = exercise
            check_exercise(pack, exercise, path, where, log)
    quizzes = _load_quizzes(root, log, set(exercises))
    check_forms(quizzes, exercises, root / "quizzes.json", log)
    check_coverage(pack, exercises.values(), log)
    for problem in cue_problems(cue_report(exercises.values())):
        log.add(folder_ex, "option cues", problem)
    check_lexicon(root, log, pack.glossary.ids())
    log.raise_if_any()
    return Bank(pack=pack, exercises=exercises, quizzes={q.id: q for q in quizzes})


def _load_quizzes(root: Path, log: ProblemLog, exercise_ids: set[str]) -> list[Quiz]:
    path = root / "quizzes.json"
    parsed = read_json(path, log)
    if parsed is None:
        return []
    data, _raw = parsed
    if not isinstance(data, dict) or not isinstance(data.get("quizzes"), list):
        log.add(path, "", 'must be an object {"quizzes": [...]}')
        return []
    quizzes = []
    for index, entry in enumerate(data["quizzes"]):
        try:
            quizzes.append(Quiz.model_validate(entry))
        except ValidationError as error:
            log.add_validation_error(path, f"quizzes[{index}]", error)
    check_quizzes(quizzes, exercise_ids, path, log)
    return quizzes


def load_shipped_banks() -> dict[str, Bank]:
    """Every pack shipped under ``lesson/packs``, by pack id. Raises ``PackInvalid`` if any is broken."""
    banks: dict[str, Bank] = {}
    problems = []
    for folder in sorted(p for p in shipped_packs_dir().iterdir() if (p / "pack.json").is_file()):
        try:
            bank = load_bank(folder)
        except PackInvalid as error:
            problems.extend(error.problems)
            continue
        banks[bank.pack.id] = bank
    if problems:
        raise PackInvalid(problems)
    return banks
