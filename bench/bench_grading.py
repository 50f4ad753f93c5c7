"""Benchmark of ``quiz-grade grade`` on a generated file of 1,000,000 answers across the whole bank.

Reproduce (from the repository root; writes only under bench/out/, which git ignores)::

    .venv/bin/python bench/bench_grading.py                  # 1,000,000 answers
    .venv/bin/python bench/bench_grading.py --answers 200000 # a quicker run
    .venv/bin/python bench/bench_grading.py --answers 20000 --pool 0 --rounds 3 --skip-memory  # every answer distinct

To compare with another commit, copy this script into a worktree of it and run it there: it
grades with that worktree's code (``python -m quizzes.grader.cli`` from its root) and prints the same
checksums when the outcomes are byte-identical.

What it does, in one run:

1. copies the shipped pack to ``bench/out/pack`` and adds a quiz ``bench-all`` holding every
   exercise of the bank, so one file answers all of it;
2. generates ``bench/out/answers-<n>.jsonl``: one answer per line, students answering every
   exercise in turn. Answers are drawn per exercise from a pool of plausible answers (the key's
   perfect answer, empty answers, partial span selections with boundaries moved by a word, false
   alarms and foils, every option combination, wrong pairings, free text of several qualities),
   with a skew towards the common ones, as a real class's answers cluster; ``--pool`` sets the
   pool size per exercise, and ``--pool 0`` makes every span and text answer distinct (the worst
   case for the outcome cache);
3. times parsing the same file with the standard library's ``json`` module (``json.loads`` per
   line, nothing else) and then the real command ``quiz-grade grade`` (a subprocess writing the
   gradebook), reporting both, their ratio, answers per second and the command's peak memory;
4. prints checksums (SHA-256) of the answer file, of the gradebook the command wrote and of
   every answer's outcome (``score`` and ``score_unfiltered`` of each line, as JSON, in file
   order, computed in this process with the code of this checkout): equal checksums before and
   after a change mean byte-identical outcomes (``--no-checksum`` skips the outcome one);
5. checks memory stays flat: the same 2,000 students answering ``--flat-times`` as many times
   (later answers replace earlier ones; 27 makes a 1 GB file) must not need much more memory
   (printed, not asserted).

Targets (issue 5): grading under 60 s and at most 3× the parse time, on this 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from lesson.loading import shipped_packs_dir  # noqa: E402
from quizzes.bank import Bank  # noqa: E402
from quizzes.reference_responses import empty_response, perfect_response  # noqa: E402
from quizzes.exercises import (  # noqa: E402
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.loading import DEFAULT_PACK, load_bank  # noqa: E402


def bench_pack() -> tuple[Path, Bank]:
    """The shipped pack plus a quiz ``bench-all`` of every exercise, under bench/out/pack."""
    target = OUT / "pack"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(shipped_packs_dir() / DEFAULT_PACK, target)
    bank = load_bank(target)
    quizzes = json.loads((target / "quizzes.json").read_text(encoding="utf-8"))
    quizzes["quizzes"].append({"id": "bench-all", "title": "Every exercise", "kind": "practice", "exercises": list(bank.exercises)})
    (target / "quizzes.json").write_text(json.dumps(quizzes, ensure_ascii=False, indent=1), encoding="utf-8")
    return target, load_bank(target)


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Word boundaries [start, end) inside text[start:end]."""
    spans, at = [], start
    while at < end:
        while at < end and not text[at].isalnum():
            at += 1
        begin = at
        while at < end and (text[at].isalnum() or text[at] in "'’-"):
            at += 1
        if at > begin:
            spans.append((begin, at))
    return spans


def span_pool(exercise: Exercise, bank: Bank, rng: random.Random, size: int) -> list[dict[str, Any]]:
    """Plausible span answers: subsets of the key, moved boundaries, false alarms, foils, labels."""
    text = bank.pack.article.text
    annotation = bank.pack.annotation
    key = [annotation.get(i) for i in getattr(exercise, "key", ())]
    foils = [annotation.get(i) for i in getattr(exercise, "foils", ())]
    scope_words = [w for b in exercise.scope for w in _words(text, bank.pack.article.block(b).start, bank.pack.article.block(b).end)]
    labels = list(getattr(exercise, "label_options", ())) or [None]
    pool: list[dict[str, Any]] = []
    for _ in range(size):
        spans = []
        for item in key:
            if rng.random() < 0.65:
                start, end = item.start, item.end
                words = _words(text, start, end)
                if len(words) > 2 and rng.random() < 0.3:  # a word shorter on one side
                    start, end = (words[1][0], end) if rng.random() < 0.5 else (start, words[-2][1])
                span: dict[str, Any] = {"start": start, "end": end} if rng.random() < 0.7 else {"exact": text[start:end]}
                spans.append(span)
        for foil in foils:
            if rng.random() < 0.2:
                spans.append({"start": foil.start, "end": foil.end})
        for _ in range(rng.choice((0, 0, 1, 2))):  # false alarms of one to four words
            if scope_words:
                first = rng.randrange(len(scope_words))
                last = min(len(scope_words) - 1, first + rng.randrange(4))
                spans.append({"start": scope_words[first][0], "end": scope_words[last][1]})
        if isinstance(exercise, LabelSpansExercise):
            for span in spans:
                span["label"] = rng.choice(labels)
        pool.append({"spans": spans})
    return pool


def roles_pool(exercise: AttributionRolesExercise, bank: Bank, rng: random.Random, size: int) -> list[dict[str, Any]]:
    perfect = perfect_response(exercise, bank.pack).model_dump(mode="json", exclude_none=True)
    pool = []
    for _ in range(size):
        answer = {k: v for k, v in perfect.items() if k != "type" and rng.random() < 0.75}
        if "content" in answer and rng.random() < 0.3:
            answer["content"] = {"start": answer["content"]["start"], "end": max(answer["content"]["start"] + 1, answer["content"]["end"] - rng.randrange(1, 12))}
        pool.append(answer)
    return pool


def text_pool(exercise: ShortAnswerExercise | RewriteExercise, bank: Bank, rng: random.Random, size: int) -> list[dict[str, Any]]:
    if isinstance(exercise, ShortAnswerExercise):
        phrases = [g[0].rstrip("*") for c in exercise.rubric.criteria for g in c.concepts]
        base = [exercise.model_answer, "I don't know.", "It is biased.", "It is not funded by anyone."]
    else:
        phrases = list(exercise.keep)
        base = [exercise.model_answer, exercise.target.quote, "They said something about it."]
    pool = []
    for _ in range(size):
        words = rng.sample(phrases, k=min(len(phrases), rng.randrange(0, len(phrases) + 1))) if phrases else []
        pool.append({"text": (rng.choice(base) + " " + " because ".join(words)).strip()})
    return pool


def answer_pool(exercise: Exercise, bank: Bank, rng: random.Random, size: int) -> list[dict[str, Any]]:
    """The answers students give to ``exercise``, most common first."""
    perfect = perfect_response(exercise, bank.pack).model_dump(mode="json", exclude_none=True)
    empty = empty_response(exercise).model_dump(mode="json", exclude_none=True)
    match exercise:
        case SingleChoiceExercise():
            options = [{"choice": o.id} for o in exercise.options]
            return [perfect] + options + [empty]
        case MultiChoiceExercise():
            ids = [o.id for o in exercise.options]
            combos = [{"choices": list(c)} for n in range(1, len(ids) + 1) for c in combinations(ids, n)]
            return [perfect] + combos + [empty]
        case MatchExercise():
            rights = [i.id for i in exercise.right]
            pool = [perfect]
            for _ in range(min(size, 40)):
                pool.append({"pairs": {i.id: rng.choice(rights) for i in exercise.left}})
            return pool + [empty]
        case HighlightExercise() | LabelSpansExercise():
            return [perfect] + span_pool(exercise, bank, rng, size) + [empty]
        case AttributionRolesExercise():
            return [perfect] + roles_pool(exercise, bank, rng, size) + [empty]
        case ShortAnswerExercise() | RewriteExercise():
            return [perfect] + text_pool(exercise, bank, rng, size) + [empty]
    raise TypeError(exercise)


def generate(bank: Bank, path: Path, answers: int, pool_size: int, students: int | None, seed: int = 2022) -> int:
    """Write ``answers`` answer records to ``path``; returns the number of distinct (exercise, answer) pairs."""
    rng = random.Random(seed)
    exercises = list(bank.exercises.values())
    distinct_mode = pool_size == 0
    pools = {e.id: answer_pool(e, bank, rng, 50 if distinct_mode else pool_size) for e in exercises}
    weights = {e: [1 / (rank + 1) for rank in range(len(p))] for e, p in pools.items()}  # Zipf-like: common answers are common
    seen: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8") as stream:
        for number in range(answers):
            exercise = exercises[number % len(exercises)]
            student = number // len(exercises) if students is None else (number // len(exercises)) % students
            if distinct_mode and exercise.type in ("highlight", "label_spans", "attribution_roles", "short_answer", "rewrite"):
                response = _fresh(exercise, bank, rng)
            else:
                response = rng.choices(pools[exercise.id], weights[exercise.id])[0]
            line = json.dumps({"student": f"student-{student:06d}", "exercise": exercise.id, "response": response}, ensure_ascii=False)
            stream.write(line + "\n")
            if len(seen) < 5_000_000:
                seen.add((exercise.id, json.dumps(response, sort_keys=True)))
    return len(seen)


def _fresh(exercise: Exercise, bank: Bank, rng: random.Random) -> dict[str, Any]:
    """A new answer, almost surely never seen before (the worst case for the outcome cache)."""
    match exercise:
        case HighlightExercise() | LabelSpansExercise():
            answer = span_pool(exercise, bank, rng, 1)[0]
            start = rng.randrange(len(bank.pack.article.text) - 40)
            extra: dict[str, Any] = {"start": start, "end": start + rng.randrange(1, 40)}
            if isinstance(exercise, LabelSpansExercise):
                extra["label"] = exercise.label_options[0]
            return {"spans": answer["spans"] + [extra]}
        case AttributionRolesExercise():
            answer = roles_pool(exercise, bank, rng, 1)[0]
            start = rng.randrange(len(bank.pack.article.text) - 40)
            return answer | {"source": {"start": start, "end": start + rng.randrange(1, 40)}}
        case ShortAnswerExercise() | RewriteExercise():
            return {"text": text_pool(exercise, bank, rng, 1)[0]["text"] + f" ({rng.randrange(10**9)})"}
    raise TypeError(exercise)


def parse_only(path: Path) -> float:
    """Seconds to read the file and ``json.loads`` every line, nothing else."""
    loads = json.loads
    began = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            loads(line)
    return time.perf_counter() - began


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def outcome_sha256(bank: Bank, path: Path) -> tuple[str, int]:
    """SHA-256 of every line's outcomes (``score`` then ``score_unfiltered``, as JSON), and the lines hashed.

    Computed with the scoring code of the checkout this script lies in, answer by answer from a cold
    outcome memo, so a cache can hide nothing; an answer that does not validate hashes its reason.
    """
    from pydantic import ValidationError

    from quizzes.responses import parse_response
    from quizzes.scoring import memo, score, score_unfiltered

    digest = hashlib.sha256()
    pack = bank.pack
    lines = 0
    seen: dict[tuple[str, str], bytes] = {}  # a repeated answer hashes the JSON computed for its first line
    with path.open("rb") as stream:
        for line in stream:
            record = json.loads(line)
            slot = (record["exercise"], json.dumps(record["response"], sort_keys=True))
            text = seen.get(slot)
            if text is None:
                exercise = bank.exercises[record["exercise"]]
                try:
                    response = parse_response(exercise.type, record["response"])
                except (ValidationError, ValueError) as error:
                    text = f"rejected {type(error).__name__}\n".encode()
                else:
                    memo.clear_outcomes()
                    cut = score(exercise, response, pack).model_dump_json()
                    memo.clear_outcomes()
                    text = (cut + "\n" + score_unfiltered(exercise, response, pack).model_dump_json() + "\n").encode()
                if len(seen) < 100_000:
                    seen[slot] = text
            digest.update(text)
            lines += 1
    return digest.hexdigest(), lines


def run_command(pack: Path, path: Path, out: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system, both processes), peak RSS in MiB and last stderr line of ``quiz-grade grade``.

    Runs ``python -m quizzes.grader.cli`` from this checkout's root, so a copy of this script in another
    worktree (say, of ``main``) times that worktree's code with the same interpreter.
    """
    command = [sys.executable, "-m", "quizzes.grader.cli", "grade", str(path), "--quiz", "bench-all", "--pack", str(pack), "--out", str(out)]
    began = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    stderr = process.stderr.read() if process.stderr else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: some generated answers were rejected, which is fine here
        raise SystemExit(f"quiz-grade failed ({status}): {stderr[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=120, help="plausible answers per span/text exercise (0: all distinct)")
    parser.add_argument("--rounds", type=int, default=3, help="parse/grade rounds (the median is reported)")
    parser.add_argument("--skip-memory", action="store_true", help="skip the flat-memory comparison")
    parser.add_argument("--no-checksum", action="store_true", help="skip the per-answer outcome checksum")
    parser.add_argument("--flat-times", type=int, default=4, help="flat-memory check: how many times each student answers the bank (27: a 1 GB file)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    pack, bank = bench_pack()
    path = OUT / f"answers-{args.answers}-pool{args.pool}.jsonl"
    began = time.perf_counter()
    distinct = generate(bank, path, args.answers, args.pool, None)
    print(f"generated {path.relative_to(ROOT)}: {args.answers:,} answers, {len(bank.exercises)} exercises, "
          f"{-(-args.answers // len(bank.exercises)):,} students, {distinct:,} distinct answers, "
          f"{path.stat().st_size / 2**20:.0f} MiB in {time.perf_counter() - began:.1f} s")
    # parse and grade alternate, so both see the same machine load; the median of the rounds counts
    rounds = []
    for number in range(args.rounds):
        parse = parse_only(path)
        seconds, cpu, rss, summary = run_command(pack, path, OUT / "grades.csv")
        rounds.append((seconds / parse, parse, seconds, cpu, rss))
        print(f"round {number + 1}: parse only (json.loads per line) {parse:.2f} s; quiz-grade grade {seconds:.2f} s "
              f"(CPU {cpu:.2f} s, peak RSS {rss} MiB); ratio {seconds / parse:.2f}")
    ratio, parse, seconds, cpu, rss = sorted(rounds)[len(rounds) // 2]
    print(f"median round: parse {parse:.2f} s, grade {seconds:.2f} s ({args.answers / seconds:,.0f} answers/s), "
          f"ratio {ratio:.2f} (targets: grade < 60 s, ratio <= 3); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"command said: {summary}")
    print(f"sha256 answers  {file_sha256(path)}")
    print(f"sha256 gradebook {file_sha256(OUT / 'grades.csv')}")
    if not args.no_checksum:
        began = time.perf_counter()
        digest, lines = outcome_sha256(bank, path)
        print(f"sha256 outcomes {digest} ({lines:,} answers, score + score_unfiltered as JSON, {time.perf_counter() - began:.1f} s)")
    if not args.skip_memory:
        few = OUT / "answers-flat-1x.jsonl"
        many = OUT / f"answers-flat-{args.flat_times}x.jsonl"
        students = 2000
        generate(bank, few, students * len(bank.exercises), args.pool, students)
        generate(bank, many, args.flat_times * students * len(bank.exercises), args.pool, students)
        _s1, _c1, rss1, _ = run_command(pack, few, OUT / "grades-flat.csv")
        _s4, _c4, rss4, _ = run_command(pack, many, OUT / "grades-flat.csv")
        print(f"flat memory, {students} students: {few.stat().st_size / 2**20:.0f} MiB file -> {rss1} MiB peak; "
              f"{many.stat().st_size / 2**20:.0f} MiB file ({args.flat_times}x the answers) -> {rss4} MiB peak")


if __name__ == "__main__":
    main()
