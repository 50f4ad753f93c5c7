"""The fast span measure agrees exactly with the literal reference implementation of the definitions."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.scoring.intervals import merge
from quizzes.scoring.measure import measure
from quizzes.scoring.spans import span_key
from tests.quizzes.scoring import reference_measure
from tests.quizzes.scoring.support import PACK, TEXT, highlight, label_spans
from tests.quizzes.scoring.test_span_properties import _pack_and_exercise, random_keys

LABELS = ("loaded_language", "name_calling", "doubt")


@st.composite
def marks(draw: st.DrawFn, labels: tuple[str, ...], size: int) -> dict[str, tuple[tuple[int, int], ...]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, size - 1))
        end = draw(st.integers(start + 1, min(size, start + 40)))
        out.setdefault(draw(st.sampled_from(labels)), []).append((start, end))
    return {label: merge(spans) for label, spans in out.items()}


def _same(key, answer):
    fast, slow = measure(key, answer), reference_measure.measure(key, answer)
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(marks(("",), len(TEXT)))
def test_fast_measure_matches_reference_on_highlight(answer):
    _same(span_key(highlight(), PACK), answer)


@settings(max_examples=300, deadline=None)
@given(marks(LABELS, len(TEXT)))
def test_fast_measure_matches_reference_with_related_credit(answer):
    _same(span_key(label_spans(), PACK), answer)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_keys(), st.data())
def test_fast_measure_matches_reference_for_random_keys(keys, data):
    pack, exercise, _ = _pack_and_exercise(keys)
    _same(span_key(exercise, pack), data.draw(marks(("",), len(pack.article.text))))


@settings(max_examples=200, deadline=None)
@given(marks(LABELS, len(TEXT)))
def test_fast_measure_matches_reference_when_a_key_item_has_two_right_labels(answer):
    from tests.quizzes.scoring.builders import build_pack, default_items

    items = [dict(i, labels=("loaded_language", "name_calling")) if i["item_id"] == "frm-thugs" else i for i in default_items()]
    pack = build_pack(items)
    _same(span_key(label_spans(), pack), answer)
