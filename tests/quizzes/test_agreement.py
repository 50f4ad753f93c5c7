"""bench/agreement.py: the independent blind reading scored on every span exercise of the shipped bank.

The figures are reported in docs/scoring.md; this keeps the script working and guards the target
(a mean of at least 0.8 per skill) against a key edit that would quietly lower it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
BLIND = ROOT / "tests" / "fixtures" / "agreement" / "blind-expert-1.jsonl"


def test_agreement_script_reports_every_span_exercise_and_each_skill() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "agreement.py"), str(BLIND)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    scored = [line for line in lines if re.match(r"^(att|frm|fun|prv)-\d\d ", line)]
    assert len(scored) == 31
    means = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+)\s+n=\s*\d+\s+mean (\d\.\d\d)", result.stdout, re.M)}
    assert set(means) == {"attribution", "framing", "funding", "provenance"}
    assert min(means.values()) >= 0.8, means
    assert "not answered (left out of the means): att-09, att-10, att-11, att-12" in result.stdout


def test_agreement_script_fails_cleanly_on_a_missing_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "agreement.py"), str(tmp_path / "none.jsonl")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "cannot read" in result.stderr and "Traceback" not in result.stderr
