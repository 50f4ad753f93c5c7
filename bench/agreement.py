"""Inter-annotator agreement: an independent reading scored against the key on every span exercise.

Reproduce (from the repository root)::

    .venv/bin/python bench/agreement.py tests/fixtures/agreement/blind-expert-1.jsonl
    .venv/bin/python bench/agreement.py ANSWERS.jsonl --student blind-expert-2 --markdown

``ANSWERS.jsonl`` is in the grading script's JSON Lines format (``docs/grading-script.md``): one
line per answer, ``{"student": ..., "exercise": ..., "response": {...}}``. Every span exercise of
the bank (``highlight``, ``label_spans`` and ``attribution_roles``) is scored with
``quizzes.scoring.score``; an exercise the file does not answer scores as an empty answer and is
listed as not answered and left out of the means. Printed: the score (0..1) per exercise, the mean per skill and overall, and the
exercises below 0.5. Scored as SemEval-2020 Task 11 reports inter-annotator agreement: one
annotator's spans taken as the answer, the master annotation as the reference.

Exit code 0, or 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quizzes.grader.reading import read_answers  # noqa: E402
from quizzes.records import AnswerRecord, RecordError  # noqa: E402
from quizzes.exercises import SPAN_TYPES  # noqa: E402
from quizzes.loading import load_bank, load_shipped_banks  # noqa: E402
from quizzes.responses import parse_response  # noqa: E402
from quizzes.scoring import score  # noqa: E402


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("answers", type=Path, help="JSON Lines answers file")
    parser.add_argument("--student", help="score only this student's lines (default: every line)")
    parser.add_argument("--pack", type=Path, help="pack folder (default: the shipped pack)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    return parser.parse_args(argv)


def _adapted(exercise, data):
    """An answer written for an earlier version of an exercise that was a ``label_spans`` and is now a
    ``highlight`` keeps the spans labelled with one of the exercise's labels: the annotator's other
    labels said "not this kind" (att-19 asked for quotes and paraphrases, now for paraphrases)."""
    if isinstance(data, dict) and data.get("type") == "label_spans" and exercise.type == "highlight":
        spans = [s for s in data.get("spans", []) if s.get("label") in exercise.labels]
        return {"type": "highlight", "spans": spans}
    return data


def agreement(bank, records) -> tuple[dict[str, Fraction], list[str]]:
    """Score (0..1) per span exercise of ``bank`` for the answer records, and the ids not answered."""
    exercises = {e.id: e for e in bank.exercises.values() if e.type in SPAN_TYPES}
    given: dict[str, object] = {}
    for record in records:
        if record.exercise in exercises:
            given[record.exercise] = parse_response(exercises[record.exercise].type, _adapted(exercises[record.exercise], record.response))
    scores: dict[str, Fraction] = {}
    missing = []
    for exercise_id, exercise in exercises.items():
        response = given.get(exercise_id)
        if response is None:
            missing.append(exercise_id)
            continue
        outcome = score(exercise, response, bank.pack)
        scores[exercise_id] = outcome.earned / outcome.possible
    return scores, missing


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    bank = load_bank(args.pack) if args.pack else next(iter(load_shipped_banks().values()))
    records: list[AnswerRecord] = []
    try:
        for record in read_answers(args.answers):
            if isinstance(record, RecordError):
                print(f"skipped: {record}", file=sys.stderr)
            elif args.student is None or record.student == args.student:
                records.append(record)
    except OSError as error:
        print(f"cannot read {args.answers}: {error}", file=sys.stderr)
        return 2
    scores, missing = agreement(bank, records)
    by_skill: dict[str, list[Fraction]] = defaultdict(list)
    for exercise_id, value in scores.items():
        by_skill[bank.exercises[exercise_id].skill.value].append(value)
    if args.markdown:
        print("| exercise | type | score |\n|---|---|---|")
        for exercise_id, value in scores.items():
            print(f"| {exercise_id} | {bank.exercises[exercise_id].type} | {float(value):.2f} |")
        print("\n| skill | exercises | mean | lowest |\n|---|---|---|---|")
        for skill, values in by_skill.items():
            print(f"| {skill} | {len(values)} | {float(sum(values) / len(values)):.2f} | {float(min(values)):.2f} |")
    else:
        for exercise_id, value in scores.items():
            print(f"{exercise_id:8} {bank.exercises[exercise_id].type:18} {float(value):.2f}")
        print()
        for skill, values in by_skill.items():
            print(f"{skill:12} n={len(values):2}  mean {float(sum(values) / len(values)):.2f}  lowest {float(min(values)):.2f}")
    every = list(scores.values())
    print(f"\noverall mean {float(sum(every) / len(every)):.2f} over {len(every)} span exercises")
    low = [e for e, v in scores.items() if v < Fraction(1, 2)]
    print(f"below 0.5: {', '.join(low) if low else 'none'}")
    if missing:
        print(f"not answered (left out of the means): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
