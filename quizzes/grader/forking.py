"""Running one function in a forked child process and getting its result back (POSIX only).

The grading script uses the machine's second core for half of a large file and half of a large
gradebook. ``fork`` shares everything already in memory (the bank, the graded answers) without
copying it through a pipe; only the child's result travels back, pickled into a temporary file
(not a pipe, which would block the child while the parent is still busy).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from typing import IO, Any, Callable, Generic, TypeVar

__all__ = ["can_fork", "Forked"]

T = TypeVar("T")


def can_fork() -> bool:
    """True where ``os.fork`` exists and there is more than one CPU to gain from it."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class Forked(Generic[T]):
    """``Forked(work)`` starts ``work()`` in a child; ``result()`` waits and returns its value, or ``None`` if it failed."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._spool: IO[bytes] = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        self._pid = os.fork()
        if self._pid == 0:  # pragma: no cover - the child leaves through os._exit, never returns
            code = 1
            try:
                pickle.dump(work(), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
                self._spool.flush()
                code = 0
            except BaseException:  # noqa: BLE001 - the parent falls back to doing the work itself
                code = 1
            finally:
                os._exit(code)
        self._done = False

    def result(self) -> T | None:
        """Wait for the child; its value, or ``None`` when it failed (the caller then does the work itself)."""
        try:
            _, status = os.waitpid(self._pid, 0)
            self._done = True
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            self._spool.seek(0)
            value: Any = pickle.load(self._spool)
            return value  # type: ignore[no-any-return]
        finally:
            self._spool.close()

    def cancel(self) -> None:
        """Stop the child (after an interruption in the parent) and reap it."""
        if self._done:
            return
        try:
            os.kill(self._pid, 9)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self._done = True
        self._spool.close()
