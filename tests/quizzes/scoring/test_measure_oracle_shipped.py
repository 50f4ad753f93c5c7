"""The fast span measure agrees exactly with the literal oracle on the shipped pack's span exercises.

``test_measure_oracle.py`` does the same on small built packs; here the keys are the real ones
(many units, alternatives, contested items, related labels), and the marks are drawn around their
boundaries and tolerance margins, where the fast path's shortcuts (prefix sums, the sorted
boundary index and its reach array, shared region arrays) could differ from the definitions.

Known disagreement (in ``main`` before any speed work, pinned by the ``xfail`` test below): a key
item whose labels include a second offered label (``accepted``) is marked with that second label.
The fast measure then tolerates the unit's margins in the precision denominator, the oracle does
not (its ``candidates_for`` goes by the unit's first label), so precision and F1 differ; recall,
the ratio and the score agree. Which one the definition means is the lead's decision (changing the
fast one changes stored measures). The property tests draw labels outside those second labels.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.exercises import HighlightExercise, LabelSpansExercise
from quizzes.loading import load_shipped_banks
from quizzes.scoring.intervals import merge
from quizzes.scoring.keys import ANY_LABEL, SpanKey
from quizzes.scoring.measure import measure
from quizzes.scoring.spans import span_key
from tests.quizzes.scoring import reference_measure

BANK = next(iter(load_shipped_banks().values()))
SPAN_EXERCISES = [e for e in BANK.exercises.values() if isinstance(e, (HighlightExercise, LabelSpansExercise))]
TEXT_LENGTH = len(BANK.pack.article.text)


def _second_labels(key: SpanKey) -> set[str]:
    """Labels that some key unit accepts besides its own (see the module docstring)."""
    return {label for unit in key.units for label in unit.accepted - {unit.label}}


def _labels(exercise: HighlightExercise | LabelSpansExercise, key: SpanKey) -> list[str]:
    if isinstance(exercise, HighlightExercise):
        return [ANY_LABEL]
    return sorted(key.labels - _second_labels(key)) or sorted(key.labels)


def _offsets(key: SpanKey) -> list[int]:
    """Offsets worth cutting at: every boundary and margin end of the key, a few code points either side."""
    points = set()
    for unit in key.units:
        for candidate in unit.candidates:
            points.update(candidate.span)
            points.update(x for margin in candidate.margins for x in margin)
    for item in key.contested:
        points.update(item.span)
        points.update(x for margin in item.margins for x in margin)
    for foil in key.foils:
        points.update(foil.span)
    return sorted({min(TEXT_LENGTH, max(0, p + d)) for p in points for d in (-3, -1, 0, 1, 3)})


@st.composite
def exercise_and_marks(draw: st.DrawFn) -> tuple[SpanKey, dict[str, tuple[tuple[int, int], ...]]]:
    exercise = draw(st.sampled_from(SPAN_EXERCISES))
    key = span_key(exercise, BANK.pack)
    labels = _labels(exercise, key)
    offsets = _offsets(key)
    near = st.sampled_from(offsets)
    anywhere = st.integers(0, TEXT_LENGTH - 1)
    out: dict[str, list[tuple[int, int]]] = {}
    for _ in range(draw(st.integers(0, 10))):
        start = draw(st.one_of(near, anywhere))
        # a near offset may be the text's end: then no later end exists (min() keeps the range valid)
        end = draw(st.one_of(near, st.integers(min(TEXT_LENGTH, start + 1), min(TEXT_LENGTH, start + 300))))
        if end <= start:
            start, end = end, start
        if end <= start:
            end = min(TEXT_LENGTH, start + 1)
            if end <= start:
                continue
        out.setdefault(draw(st.sampled_from(labels)), []).append((start, end))
    return key, {label: merge(spans) for label, spans in out.items()}


def test_the_shipped_pack_has_span_exercises_of_both_types():
    assert {type(e) for e in SPAN_EXERCISES} == {HighlightExercise, LabelSpansExercise}


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exercise_and_marks())
def test_fast_measure_matches_the_oracle_on_shipped_span_exercises(case):
    key, marks = case
    assert measure(key, marks) == reference_measure.measure(key, marks)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SPAN_EXERCISES), st.data())
def test_fast_measure_matches_the_oracle_on_a_whole_key_and_its_neighbours(exercise, data):
    """Every key unit's main boundary marked, each end moved by a word's worth or not, one label per mark."""
    key = span_key(exercise, BANK.pack)
    labels = _labels(exercise, key)
    out: dict[str, list[tuple[int, int]]] = {}
    for unit in key.units:
        if not data.draw(st.booleans()):
            continue
        start, end = unit.candidates[data.draw(st.integers(0, len(unit.candidates) - 1))].span
        start = max(0, start + data.draw(st.integers(-8, 8)))
        end = min(TEXT_LENGTH, max(start + 1, end + data.draw(st.integers(-8, 8))))
        label = unit.label if unit.label in labels and data.draw(st.booleans()) else data.draw(st.sampled_from(labels))
        out.setdefault(label, []).append((start, end))
    marks = {label: merge(spans) for label, spans in out.items()}
    assert measure(key, marks) == reference_measure.measure(key, marks)


@pytest.mark.xfail(strict=True, reason="known: precision tolerance for a unit's second right label (module docstring)")
def test_fast_measure_matches_the_oracle_when_a_unit_is_marked_with_its_second_right_label():
    key = span_key(BANK.exercises["frm-07"], BANK.pack)
    marks = {"emotional_appeal": ((8789, 8845),)}  # over "crocodile tears" (dysphemism, also emotional_appeal)
    assert measure(key, marks) == reference_measure.measure(key, marks)
