"""Benchmark of the scoring engine: answers scored per second for each exercise type, on one core.

Reproduce (from the repository root)::

    .venv/bin/python bench/bench_scoring.py              # about 2 s per type
    .venv/bin/python bench/bench_scoring.py --seconds 5  # steadier figures
    .venv/bin/python bench/bench_scoring.py --pack tests/fixtures/packs/tiny
    .venv/bin/python bench/bench_scoring.py --type highlight --type label_spans  # some types only

For every exercise of the bank (default: the shipped pack) a pool of plausible answers is built:
the perfect answer, the empty one, and per type a few near misses (span answers with a key span
dropped, boundaries moved by a word, a false alarm or a foil added, quote selectors instead of
positions; wrong options and option sets; wrong pairings; free text of several qualities), each
with and without a certainty. The pool is then scored round-robin with ``quizzes.scoring.score``
(feedback policy applied, as the API calls it) in one thread for ``--seconds`` of CPU time per type
(``time.process_time``, so other processes on the machine do not distort the figure).

Two figures per type:

- ``new answers/s``: the engine's outcome memo is cleared before every answer, so every answer is
  scored from scratch (compiled per-exercise keys are kept: they are built once per exercise);
- ``pooled answers/s``: answers repeat, as a class's answers do, and repeated ones come from the
  engine's bounded outcome memo.

``--cold`` also clears the compiled keys before every answer (the worst case).

``--distinct`` (span types only) makes every answer of the pool new: each of the pool's span answers
is repeated with one more random span of 1 to 40 code points anywhere in the text (a fixed seed), as
real students' answers differ in their boundaries, so no per-coverage or per-answer cache helps.

Targets (issue 3): at least 50,000 highlight answers and 300,000 choice answers per second.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lesson.bundle import LessonPack  # noqa: E402
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
from quizzes.loading import load_bank, load_shipped_banks  # noqa: E402
from quizzes.responses import (  # noqa: E402
    AttributionRolesResponse,
    MatchResponse,
    MultiChoiceResponse,
    Response,
    RewriteResponse,
    ShortAnswerResponse,
    SingleChoiceResponse,
    SpanAnswer,
)
from quizzes.scoring import memo, score  # noqa: E402

TARGETS = {"highlight": 50_000, "single_choice": 300_000, "multi_choice": 300_000}


def _word_before(text: str, start: int) -> int:
    i = start
    while i > 0 and not text[i - 1].isalnum() and text[i - 1] != "\n":
        i -= 1
    while i > 0 and text[i - 1].isalnum():
        i -= 1
    return i


def _word_after(text: str, end: int) -> int:
    j = end
    while j < len(text) and not text[j].isalnum() and text[j] != "\n":
        j += 1
    while j < len(text) and text[j].isalnum():
        j += 1
    return j


def _span_pool(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> list[Response]:
    text = pack.article.text
    perfect = perfect_response(exercise, pack)
    spans = list(perfect.spans)  # type: ignore[union-attr]
    make = type(perfect)
    pool: list[Response] = [perfect, make()]
    if len(spans) > 1:
        pool.append(make(spans=tuple(spans[1:])))
    wider = tuple(s.model_copy(update={"start": _word_before(text, s.start), "end": _word_after(text, s.end)}) for s in spans)
    pool.append(make(spans=wider))
    block = pack.article.block(exercise.scope[0])
    false_alarm = SpanAnswer(start=block.start, end=min(block.start + 25, block.end), label=spans[0].label)
    pool.append(make(spans=tuple(spans) + (false_alarm,)))
    for foil_id in exercise.foils[:1]:
        foil = pack.annotation.get(foil_id)
        pool.append(make(spans=tuple(spans[:-1]) + (SpanAnswer(start=foil.start, end=foil.end, label=spans[0].label),)))
    quoted = tuple(
        SpanAnswer(exact=text[s.start:s.end], prefix=text[max(0, s.start - 12):s.start], label=s.label) for s in spans
    )
    pool.append(make(spans=quoted))
    return pool


def _distinct_pool(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack, size: int, rng: random.Random) -> list[Response]:
    """``size`` span answers, each the pool's answer in turn plus one random span (see ``--distinct``)."""
    base = _span_pool(exercise, pack)
    length = len(pack.article.text)
    label = exercise.label_options[0] if isinstance(exercise, LabelSpansExercise) else None
    out: list[Response] = []
    for number in range(size):
        answer = base[number % len(base)]
        start = rng.randrange(length - 40)
        extra = SpanAnswer(start=start, end=start + rng.randrange(1, 40), label=label)
        out.append(type(answer)(spans=tuple(answer.spans) + (extra,)))  # type: ignore[union-attr, call-arg]
    return out


def _pool(exercise: Exercise, pack: LessonPack) -> list[Response]:
    match exercise:
        case HighlightExercise() | LabelSpansExercise():
            pool = _span_pool(exercise, pack)
        case SingleChoiceExercise():
            pool = [SingleChoiceResponse(choice=o.id) for o in exercise.options] + [SingleChoiceResponse()]
        case MultiChoiceExercise():
            ids = [o.id for o in exercise.options]
            pool = [MultiChoiceResponse(choices=c) for n in range(len(ids) + 1) for c in combinations(ids, n)][:32]
        case MatchExercise():
            rights = [r.id for r in exercise.right]
            pool = [perfect_response(exercise, pack), MatchResponse()]
            pool.append(MatchResponse(pairs={l.id: rights[(i + 1) % len(rights)] for i, l in enumerate(exercise.left)}))
        case AttributionRolesExercise():
            perfect = perfect_response(exercise, pack)
            pool = [perfect, AttributionRolesResponse(), AttributionRolesResponse(content=perfect.content)]  # type: ignore[union-attr]
            pool.append(AttributionRolesResponse(source=perfect.content, cue=perfect.cue, content=perfect.source))  # type: ignore[union-attr]
        case ShortAnswerExercise():
            pool = [perfect_response(exercise, pack), ShortAnswerResponse(text="I think it is biased."),
                    ShortAnswerResponse(text="It is not funded by anyone, no source is missing. " * 3)]
        case RewriteExercise():
            pool = [perfect_response(exercise, pack), RewriteResponse(text=exercise.target.quote),
                    RewriteResponse(text="Something happened somewhere.")]
        case _:
            pool = [empty_response(exercise)]
    return pool + [r.model_copy(update={"certainty": 3}) for r in pool]


def _rate(cases: list[tuple[Exercise, Response]], pack: LessonPack, seconds: float, reset) -> float:
    count, start = 0, time.process_time()
    deadline = start + seconds
    while time.process_time() < deadline:
        for exercise, response in cases:
            reset()
            score(exercise, response, pack)
        count += len(cases)
    return count / (time.process_time() - start)


def run(
    bank: Bank, seconds: float, cold: bool, types: frozenset[str] | None = None, distinct: int = 0
) -> list[tuple[str, int, int, float, float]]:
    """Rows ``(type, exercises, answers, new answers/s, pooled answers/s)``, for ``types`` (default: all).

    With ``distinct``, each span exercise gets that many distinct answers (``--distinct``) and other
    types are left out.
    """
    by_type: dict[str, list[tuple[Exercise, Response]]] = {}
    rng = random.Random(2022)
    for exercise in bank.exercises.values():
        if types is not None and exercise.type not in types:
            continue
        if distinct and not isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
            continue
        pool = _distinct_pool(exercise, bank.pack, distinct, rng) if distinct else _pool(exercise, bank.pack)  # type: ignore[arg-type]
        for response in pool:
            by_type.setdefault(exercise.type, []).append((exercise, response))
    rows = []
    pack = bank.pack
    for kind, cases in sorted(by_type.items()):
        for exercise, response in cases:  # warm up: compile keys, check every answer scores
            score(exercise, response, pack)
        new = _rate(cases, pack, seconds, memo.clear if cold else memo.clear_outcomes)
        pooled = _rate(cases, pack, seconds, lambda: None)
        rows.append((kind, len({e.id for e, _ in cases}), len(cases), new, pooled))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per figure and exercise type")
    parser.add_argument("--pack", type=Path, default=None, help="a pack folder (default: the shipped pack)")
    parser.add_argument("--cold", action="store_true", help="clear the compiled keys before every answer")
    parser.add_argument("--type", action="append", dest="types", metavar="TYPE", help="only this exercise type (repeatable)")
    parser.add_argument("--distinct", type=int, default=0, metavar="N",
                        help="span types only: N distinct answers per exercise, each with one random extra span")
    args = parser.parse_args()
    bank = load_bank(args.pack) if args.pack else next(iter(load_shipped_banks().values()))
    types = frozenset(args.types) if args.types else None
    unknown = sorted((types or frozenset()) - {e.type for e in bank.exercises.values()})
    if unknown:
        parser.error(f"no exercise of type {', '.join(unknown)} in pack {bank.pack.id}")
    print(f"pack {bank.pack.id}: {len(bank.exercises)} exercises; python {sys.version.split()[0]}; one thread"
          + ("; cold keys" if args.cold else "") + (f"; {args.distinct} distinct answers per exercise" if args.distinct else ""))
    print(f"{'type':<18} {'exercises':>9} {'answers':>8} {'new answers/s':>14} {'pooled answers/s':>17} {'target':>9}")
    for kind, exercises, answers, new, pooled in run(bank, args.seconds, args.cold, types, args.distinct):
        target = TARGETS.get(kind)
        verdict = "" if target is None else f"{target:>9,}"
        print(f"{kind:<18} {exercises:>9} {answers:>8} {new:>14,.0f} {pooled:>17,.0f} {verdict}")


if __name__ == "__main__":
    main()
