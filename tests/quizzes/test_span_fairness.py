"""Span credit is fair to careful readers and still punishes flagging everything, on every span
exercise of the shipped bank (and of the tiny fixture pack), not only on a toy scope.

For every ``highlight`` and ``label_spans`` exercise (``label_spans``: with each label alone and
with every label at once):

- marking the whole scope, every sentence of it, or every quotation in it earns at most 20%;
- the exact key plus one extra mark of one sentence outside every key span keeps at least 70%;
- an empty answer earns 0; adding a key span never lowers the score.

For ``attribution_roles``: marking the whole scope as every role earns at most 20%, and an empty
answer 0. Sentences and quotations are found here by their own rules, independently of the engine.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.bank import Bank
from quizzes.reference_responses import empty_response, perfect_response
from quizzes.exercises import AttributionRolesExercise, HighlightExercise, LabelSpansExercise
from quizzes.loading import load_bank, load_shipped_banks
from quizzes.responses import AttributionRolesResponse, SpanAnswer
from quizzes.scoring import score_unfiltered

TINY = Path(__file__).parents[1] / "fixtures" / "packs" / "tiny"
FIFTH, SEVEN_TENTHS = Fraction(1, 5), Fraction(7, 10)

# A sentence ends at . ! ? or … (with any closing quotes or brackets) before whitespace.
_SENTENCE = re.compile(r"\S.*?(?:[.!?…][\"'”’)\]]*(?=\s)|$)", re.S)
# “…”, "…", and ‘…’ where the marks are not apostrophes inside a word (Russia’s, won’t).
_QUOTATION = re.compile(r"“[^“”]*”|\"[^\"\n]*\"|(?<!\w)‘.*?’(?!\w)")


def _banks() -> list[Bank]:
    return [load_bank(TINY), *load_shipped_banks().values()]


def _span_exercises():
    for bank in _banks():
        for exercise in bank.exercises.values():
            if isinstance(exercise, (HighlightExercise, LabelSpansExercise)):
                yield pytest.param(bank, exercise, id=exercise.id)


SPAN_EXERCISES = list(_span_exercises())


def _pieces(bank: Bank, exercise, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    text, out = bank.pack.article.text, []
    for block_id in exercise.scope:
        block = bank.pack.article.block(block_id)
        for line in re.finditer(r"[^\n]+", text[block.start:block.end]):
            base = block.start + line.start()
            out += [(base + m.start(), base + m.end()) for m in pattern.finditer(line.group(0))]
    return out


def _label_sets(exercise) -> list[tuple[str | None, ...]]:
    if isinstance(exercise, HighlightExercise):
        return [(None,)]
    return [(label,) for label in exercise.label_options] + [exercise.label_options]


def _ratio(bank: Bank, exercise, spans) -> Fraction:
    response = perfect_response(exercise, bank.pack).model_copy(update={"spans": tuple(spans)})
    outcome = score_unfiltered(exercise, response, bank.pack)
    return outcome.earned / outcome.possible


def _key_spans(bank: Bank, exercise) -> list[tuple[int, int]]:
    annotation = bank.pack.annotation
    return [(annotation.get(i).start, annotation.get(i).end) for i in exercise.key]


@pytest.mark.parametrize("bank, exercise", SPAN_EXERCISES)
def test_flagging_everything_earns_at_most_a_fifth(bank: Bank, exercise) -> None:
    blocks = [bank.pack.article.block(b) for b in exercise.scope]
    strategies = {
        "the whole scope": [(b.start, b.end) for b in blocks],
        "every sentence": _pieces(bank, exercise, _SENTENCE),
        "every quotation": _pieces(bank, exercise, _QUOTATION),
    }
    too_much = []
    for name, pieces in strategies.items():
        if not pieces:
            continue
        for labels in _label_sets(exercise):
            spans = [SpanAnswer(start=a, end=b, label=label) for a, b in pieces for label in labels]
            ratio = _ratio(bank, exercise, spans)
            if ratio > FIFTH:
                too_much.append(f"{name} labelled {labels}: {float(ratio):.2f}")
    assert not too_much, too_much


@pytest.mark.parametrize("bank, exercise", SPAN_EXERCISES)
def test_exact_key_plus_one_extra_sentence_keeps_seventy_percent(bank: Bank, exercise) -> None:
    keys = _key_spans(bank, exercise)
    perfect = list(perfect_response(exercise, bank.pack).spans)
    label = perfect[0].label
    low = []
    for a, b in _pieces(bank, exercise, _SENTENCE):
        if any(x < b and a < y for x, y in keys):
            continue
        ratio = _ratio(bank, exercise, [*perfect, SpanAnswer(start=a, end=b, label=label)])
        if ratio < SEVEN_TENTHS:
            low.append(f"{bank.pack.article.text[a:b][:60]!r}: {float(ratio):.2f}")
    assert not low, low


@pytest.mark.parametrize("bank, exercise", SPAN_EXERCISES)
def test_empty_answer_earns_nothing(bank: Bank, exercise) -> None:
    assert score_unfiltered(exercise, empty_response(exercise), bank.pack).earned == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_adding_a_key_span_never_lowers_the_score(data) -> None:
    bank, exercise = data.draw(st.sampled_from([p.values for p in SPAN_EXERCISES]))
    text = bank.pack.article.text
    perfect = list(perfect_response(exercise, bank.pack).spans)
    labels = list(getattr(exercise, "label_options", None) or (None,))
    spans = [s for s in perfect if data.draw(st.booleans())]
    for _ in range(data.draw(st.integers(0, 4))):
        block = bank.pack.article.block(data.draw(st.sampled_from(exercise.scope)))
        start = data.draw(st.integers(block.start, block.end - 1))
        end = data.draw(st.integers(start + 1, min(len(text), start + 300)))
        spans.append(SpanAnswer(start=start, end=end, label=data.draw(st.sampled_from(labels))))
    added = data.draw(st.sampled_from(perfect))
    assert _ratio(bank, exercise, [*spans, added]) >= _ratio(bank, exercise, spans)


@pytest.mark.parametrize(
    "bank, exercise",
    [pytest.param(b, e, id=e.id) for b in _banks() for e in b.exercises.values() if isinstance(e, AttributionRolesExercise)],
)
def test_roles_marking_the_whole_scope_as_every_role_earns_at_most_a_fifth(bank: Bank, exercise) -> None:
    blocks = [bank.pack.article.block(b) for b in exercise.scope]
    whole = SpanAnswer(start=blocks[0].start, end=blocks[-1].end)
    response = AttributionRolesResponse(source=whole, cue=whole, content=whole)
    outcome = score_unfiltered(exercise, response, bank.pack)
    assert outcome.earned <= FIFTH * outcome.possible
    assert score_unfiltered(exercise, empty_response(exercise), bank.pack).earned == 0
