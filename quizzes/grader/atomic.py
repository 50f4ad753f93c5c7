"""Atomic file writes: a reader sees the old file or the whole new one, never half of either.

The content goes to a temporary file in the destination's own folder (so the final rename never
crosses a file system), is flushed and fsynced, and then ``os.replace`` swaps it in, which POSIX
and Windows both perform atomically. If anything fails or the process is interrupted before the
swap, the temporary file is removed and the destination is untouched.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

__all__ = ["atomic_writer", "write_text_atomic"]


@contextmanager
def atomic_writer(path: Path | str, *, newline: str | None = None, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a text stream whose content replaces ``path`` only when the ``with`` block succeeds.

    ``newline`` is passed to ``open`` (use ``""`` for the csv module). On an exception, including
    ``KeyboardInterrupt``, the temporary file is deleted and the exception propagates.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _keep_permissions(target, temp_name)
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)


def write_text_atomic(path: Path | str, text: str, *, newline: str | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    with atomic_writer(path, newline=newline) as stream:
        stream.write(text)


def _keep_permissions(target: Path, temp_name: str) -> None:
    # mkstemp creates files readable by the owner only; a gradebook replaces an ordinary file, so
    # give it the permissions the old file had, or the usual ones for a new file.
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp_name, mode)


def _fsync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder entry is on disk (POSIX); not possible on Windows.
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
