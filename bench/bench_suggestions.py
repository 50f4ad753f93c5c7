"""Benchmark of the studio's suggestion rules: recall and precision per skill against a master key.

Reproduce (from the repository root)::

    .venv/bin/python bench/bench_suggestions.py                       # the shipped pack and the tiny fixture
    .venv/bin/python bench/bench_suggestions.py --pack PACK_DIR       # any pack (repeatable)
    .venv/bin/python bench/bench_suggestions.py --rules               # also per rule and per label

The rules (``quizzes.studio.suggesting``) run on each pack's canonical text and blocks with the
default lexicon merged with the pack's own ``lexicon.json`` if it has one. The key is every
attribution, framing and funding item of the pack's master annotation; foils are not key items
(a suggestion on a foil is a false alarm).

A suggestion *matches* a key item of its skill when they overlap by at least half of the shorter
of the two spans (attribution suggestions are sentences and attribution items mostly sentences;
framing items are a few words). Recall: key items matched by some suggestion of their skill.
Precision: suggestions that match some key item of their skill. The label is not required to
agree (the teacher sets it), but ``--rules`` prints how often it does.

Targets (issue 17): attribution recall >= 0.7, framing >= 0.5, funding >= 0.7, each at
precision >= 0.5.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lesson.bundle import LessonPack  # noqa: E402
from lesson.loading import ProblemLog, load_pack  # noqa: E402
from quizzes.checks.lexicon import check_lexicon  # noqa: E402
from quizzes.studio.lexicon import default_lexicon, merge_lexicons  # noqa: E402
from quizzes.studio.suggesting import Suggestion, suggest  # noqa: E402

SKILLS = ("attribution", "framing", "funding")
TARGETS = {"attribution": 0.7, "framing": 0.5, "funding": 0.7}
PRECISION_TARGET = 0.5
DEFAULT_PACKS = (ROOT / "lesson" / "packs" / "central-asia-2022", ROOT / "tests" / "fixtures" / "packs" / "tiny")


def overlaps_enough(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    shared = min(a_end, b_end) - max(a_start, b_start)
    return shared > 0 and 2 * shared >= min(a_end - a_start, b_end - b_start)


def measure(pack: LessonPack) -> tuple[dict[str, dict[str, float]], list[Suggestion], dict[str, list[tuple[str, bool, bool]]]]:
    log = ProblemLog(pack.path)
    lexicon = merge_lexicons(default_lexicon(), check_lexicon(pack.path, log))
    blocks = [(b.id, b.role, b.start, b.end) for b in pack.article.blocks]
    suggestions = suggest(pack.article.text, blocks, lexicon)
    key = [i for i in pack.annotation.items if i.skill.value in SKILLS]
    figures: dict[str, dict[str, float]] = {}
    per_rule: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
    for skill in SKILLS:
        items = [i for i in key if i.skill.value == skill]
        mine = [s for s in suggestions if s.skill == skill]
        found = [i for i in items if any(overlaps_enough(s.start, s.end, i.start, i.end) for s in mine)]
        for s in mine:
            hits = [i for i in items if overlaps_enough(s.start, s.end, i.start, i.end)]
            for rule in s.rules:
                per_rule[rule].append((skill, bool(hits), any(s.label in i.labels for i in hits)))
        true = sum(1 for s in mine if any(overlaps_enough(s.start, s.end, i.start, i.end) for i in items))
        figures[skill] = {
            "items": len(items), "suggestions": len(mine),
            "recall": len(found) / len(items) if items else float("nan"),
            "precision": true / len(mine) if mine else float("nan"),
        }
        figures[skill]["labels"] = {}  # type: ignore[assignment]
        for label in sorted({i.labels[0] for i in items}):
            of_label = [i for i in items if i.labels[0] == label]
            figures[skill]["labels"][label] = (sum(1 for i in of_label if i in found), len(of_label))  # type: ignore[index]
    return figures, suggestions, per_rule


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", action="append", type=Path, help="pack folder (default: the shipped pack and the tiny fixture)")
    parser.add_argument("--rules", action="store_true", help="also print each rule's suggestions and precision, and recall per label")
    args = parser.parse_args(argv)
    for folder in args.pack or DEFAULT_PACKS:
        pack = load_pack(folder)
        figures, suggestions, per_rule = measure(pack)
        print(f"\n{pack.id}: {len(pack.article.text):,} code points, {len(suggestions)} suggestions")
        print(f"  {'skill':12} {'key items':>9} {'suggested':>9} {'recall':>7} {'precision':>9}  target")
        for skill in SKILLS:
            f = figures[skill]
            met = f["recall"] >= TARGETS[skill] and f["precision"] >= PRECISION_TARGET
            print(f"  {skill:12} {f['items']:>9} {f['suggestions']:>9} {f['recall']:>7.2f} {f['precision']:>9.2f}  "
                  f"recall >= {TARGETS[skill]} at precision >= {PRECISION_TARGET}: {'met' if met else 'MISSED'}")
        if args.rules:
            print(f"  {'rule':34} {'fired':>5} {'on key':>6} {'label agrees':>12}")
            for rule, hits in sorted(per_rule.items()):
                print(f"  {rule:34} {len(hits):>5} {sum(h for _s, h, _l in hits):>6} {sum(l for _s, _h, l in hits):>12}")
            for skill in SKILLS:
                labels = figures[skill]["labels"]  # type: ignore[index]
                print(f"  {skill} recall per label: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in labels.items()))  # type: ignore[union-attr]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
