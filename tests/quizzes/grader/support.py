"""Running the real ``quiz-grade`` command on real files, and reading what it wrote."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ROOT", "GRADING", "TINY", "Run", "quiz_grade", "csv_rows", "error_lines"]

ROOT = Path(__file__).resolve().parents[3]
GRADING = ROOT / "tests" / "fixtures" / "grading"
TINY = ROOT / "tests" / "fixtures" / "packs" / "tiny"
_SCRIPT = Path(sys.executable).parent / "quiz-grade"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def quiz_grade(*args: str | Path, cwd: Path | None = None, stdin: str | None = None, timeout: float = 120) -> Run:
    """Run the installed console script (``python -m quizzes.grader.cli`` when it is not installed)."""
    command = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "quizzes.grader.cli"]
    result = subprocess.run(
        command + [str(a) for a in args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return Run(result.returncode, result.stdout, result.stderr)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def error_lines(stderr: str, path: Path) -> dict[int, str]:
    """The ``FILE:LINE: REASON`` lines about ``path`` in ``stderr``, as {line: reason}."""
    pattern = re.compile(re.escape(str(path)) + r":(\d+): (.*)")
    found = {}
    for line in stderr.splitlines():
        match = pattern.fullmatch(line)
        if match:
            found[int(match.group(1))] = match.group(2)
    return found
