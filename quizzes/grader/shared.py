"""What every ``quiz-grade`` command shares: the exit codes, the one-line failure, finding the quiz
and writing an output file.

Exit codes: 0 every record graded; 1 some records rejected; 2 usage error (including an unreadable
input or output path, or an unreachable server); 3 invalid quiz or lesson pack.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Callable

from lesson.errors import PackInvalid
from quizzes.bank import Bank, Quiz
from quizzes.grader.atomic import atomic_writer

__all__ = ["find_quiz", "write_output", "CommandFailed", "EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "EXIT_INVALID_QUIZ"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INVALID_QUIZ = 0, 1, 2, 3


class CommandFailed(Exception):
    """A failure the command reports in one line (no traceback) and turns into ``code``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def find_quiz(quiz_id: str, pack: Path | None) -> tuple[Bank, Quiz]:
    """The bank holding ``quiz_id``: from ``pack`` or the shipped packs. Exit 3 when invalid or unknown."""
    from quizzes.loading import load_bank, load_shipped_banks

    try:
        banks = [load_bank(pack)] if pack is not None else list(load_shipped_banks().values())
    except PackInvalid as error:
        lines = [str(p) for p in error.problems[:20]]
        more = len(error.problems) - len(lines)
        raise CommandFailed(EXIT_INVALID_QUIZ, "the lesson pack is invalid:\n  " + "\n  ".join(lines) + (f"\n  … and {more} more" if more > 0 else ""))
    for bank in banks:
        if quiz_id in bank.quizzes:
            return bank, bank.quiz(quiz_id)
    known = sorted(q for b in banks for q in b.quizzes)
    raise CommandFailed(EXIT_INVALID_QUIZ, f"unknown quiz {quiz_id!r}; known quizzes: {', '.join(known) or 'none'}")


def write_output(path: Path, fill: Callable[[IO[str]], Any], newline: str | None = None) -> None:
    """Write ``path`` atomically with what ``fill(stream)`` writes; an OS error is a usage error (exit 2)."""
    try:
        with atomic_writer(path, newline=newline) as stream:
            fill(stream)
    except OSError as error:
        raise CommandFailed(EXIT_USAGE, f"cannot write {path}: {error.strerror or error}")
