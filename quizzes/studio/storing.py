"""Reading and writing a studio pack's files (staged, validated, moved into place).

A pack is written to a staging folder first and validated there by the same loader and lint as a
shipped pack (``quizzes.loading.load_bank``); only a valid pack is moved into place, by renaming, so
a reader never sees half a pack. The staging folder is named after the pack, so the validator's
messages read ``<pack-id>/annotations/items.json: line 12 (frm-01): ...``.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

from quizzes.bank import Bank
from quizzes.loading import load_bank
from quizzes.studio.packing import is_pack_file

__all__ = ["read_pack_files", "stage_pack", "commit_pack", "discard_staged", "studio_pack_dirs", "STAGING"]

STAGING = ".staging"


def read_pack_files(folder: Path) -> dict[str, str]:
    """Every file of the pack in ``folder`` a pack may hold, by relative ``/`` path, as text."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and is_pack_file(relative):
            files[relative] = path.read_text(encoding="utf-8")
    return files


def _pack_id(files: dict[str, str]) -> str:
    try:
        value = json.loads(files.get("pack.json", "{}")).get("id", "")
    except (json.JSONDecodeError, AttributeError):
        value = ""
    return value if isinstance(value, str) and re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", value) else "pack"


def stage_pack(studio_dir: Path, files: dict[str, str]) -> tuple[Path, Bank]:
    """Write ``files`` to a fresh staging folder and load them; raises ``PackInvalid`` (the staged
    folder is removed again) listing every problem. Returns the staged folder and its bank."""
    staged = studio_dir / STAGING / uuid.uuid4().hex / _pack_id(files)
    for relative, text in files.items():
        if not is_pack_file(relative):
            raise ValueError(f"not a pack file: {relative!r}")
        target = staged / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    try:
        return staged, load_bank(staged)
    except Exception:
        discard_staged(staged)
        raise


def commit_pack(staged: Path, studio_dir: Path) -> Path:
    """Move a staged pack into ``studio_dir/<pack-id>``, replacing an older version of it."""
    final = studio_dir / staged.name
    old = None
    if final.exists():
        old = staged.parent / f"{staged.name}.old"
        final.rename(old)
    staged.rename(final)
    shutil.rmtree(staged.parent, ignore_errors=True)
    return final


def discard_staged(staged: Path) -> None:
    shutil.rmtree(staged.parent, ignore_errors=True)


def studio_pack_dirs(studio_dir: Path | None) -> tuple[Path, ...]:
    """The saved packs in ``studio_dir`` (folders holding a ``pack.json``), in name order."""
    if studio_dir is None or not studio_dir.is_dir():
        return ()
    return tuple(p for p in sorted(studio_dir.iterdir()) if p.is_dir() and not p.name.startswith(".") and (p / "pack.json").is_file())
