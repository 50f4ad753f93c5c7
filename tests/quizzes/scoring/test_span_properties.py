"""Hypothesis properties of span scoring (the invariants the issue and docs/scoring.md promise)."""

from __future__ import annotations

import re
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizzes.outcome import Status
from quizzes.responses import AttributionRolesResponse, HighlightResponse, LabelSpansResponse, SpanAnswer
from quizzes.scoring import memo, score_unfiltered
from quizzes.scoring.intervals import intersect, merge, subtract, total
from quizzes.scoring.spans import span_key
from tests.quizzes.scoring.builders import build_pack
from tests.quizzes.scoring.support import PACK, TEXT, highlight, label_spans, roles

LABELS = ("loaded_language", "name_calling", "doubt")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def position_spans(draw: st.DrawFn, max_size: int = 6, label: bool = False) -> tuple[SpanAnswer, ...]:
    spans = []
    for _ in range(draw(st.integers(0, max_size))):
        start = draw(st.integers(0, len(TEXT) - 1))
        end = draw(st.integers(start + 1, len(TEXT)))
        spans.append(SpanAnswer(start=start, end=end, label=draw(st.sampled_from(LABELS)) if label else None))
    return tuple(spans)


def _set(intervals) -> set[int]:
    return {i for start, end in intervals for i in range(start, end)}


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1]))))
def test_merge_is_idempotent_and_keeps_every_code_point(intervals):
    merged = merge(intervals)
    assert merge(merged) == merged
    assert _set(merged) == _set(intervals)
    assert all(a[1] < b[0] for a, b in zip(merged, merged[1:]))


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)).map(lambda t: (t[0], t[0] + t[1]))),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)).map(lambda t: (t[0], t[0] + t[1]))))
def test_subtract_and_intersect_agree_with_sets(a, b):
    a, b = merge(a), merge(b)
    assert _set(subtract(a, b)) == _set(a) - _set(b)
    assert _set(intersect(a, b)) == _set(a) & _set(b)
    assert total(subtract(a, b)) + total(intersect(a, b)) == total(a)


@FAST
@given(position_spans())
def test_highlight_earned_lies_between_zero_and_possible(spans):
    outcome = score_unfiltered(highlight(), HighlightResponse(spans=spans), PACK)
    assert 0 <= outcome.earned <= outcome.possible


@FAST
@given(position_spans(label=True))
def test_label_spans_earned_lies_between_zero_and_possible(spans):
    outcome = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans), PACK)
    assert 0 <= outcome.earned <= outcome.possible


@FAST
@given(position_spans(max_size=1), position_spans(max_size=1), position_spans(max_size=1))
def test_roles_earned_lies_between_zero_and_possible(source, cue, content):
    response = AttributionRolesResponse(source=(source or (None,))[0], cue=(cue or (None,))[0], content=(content or (None,))[0])
    outcome = score_unfiltered(roles(), response, PACK)
    assert 0 <= outcome.earned <= outcome.possible
    assert sum(p.earned for p in outcome.parts) == outcome.earned


@FAST
@given(position_spans(label=True), st.randoms(use_true_random=False))
def test_span_order_does_not_matter(spans, rnd):
    shuffled = list(spans)
    rnd.shuffle(shuffled)
    a = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans), PACK)
    b = score_unfiltered(label_spans(), LabelSpansResponse(spans=tuple(shuffled)), PACK)
    assert (a.status, a.earned, a.counts, a.measures, a.parts) == (b.status, b.earned, b.counts, b.measures, b.parts)


@FAST
@given(position_spans(), st.sampled_from(["frm-regime", "frm-thugs"]))
def test_adding_a_key_span_never_lowers_recall_or_the_score(spans, key_id):
    item = PACK.annotation.get(key_id)
    before = score_unfiltered(highlight(), HighlightResponse(spans=spans), PACK)
    after = score_unfiltered(highlight(), HighlightResponse(spans=spans + (SpanAnswer(start=item.start, end=item.end),)), PACK)
    recall_before = before.measures.recall if before.measures else Fraction(0)
    assert after.measures.recall >= recall_before
    assert after.earned >= before.earned


@FAST
@given(position_spans(label=True), st.sampled_from([("frm-regime", "name_calling"), ("frm-thugs", "loaded_language")]))
def test_adding_a_key_span_with_its_label_never_lowers_a_label_spans_score(spans, key):
    item = PACK.annotation.get(key[0])
    before = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans), PACK)
    added = spans + (SpanAnswer(start=item.start, end=item.end, label=key[1]),)
    assert score_unfiltered(label_spans(), LabelSpansResponse(spans=added), PACK).earned >= before.earned


@FAST
@given(position_spans(label=True))
def test_marking_outside_every_key_never_raises_a_label_spans_score(spans):
    key = span_key(label_spans(), PACK)
    before = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans), PACK)
    town = TEXT.index("Rain fell")
    extra = SpanAnswer(start=town, end=town + len("Rain fell on roofs"), label="doubt")
    assert not intersect(((extra.start, extra.end),), key.all_region)
    after = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans + (extra,)), PACK)
    assert after.earned <= before.earned


@FAST
@given(position_spans(), position_spans(max_size=1))
def test_adding_a_span_outside_every_key_never_raises_precision(spans, extra):
    assume(extra)
    key = span_key(highlight(), PACK)
    before = score_unfiltered(highlight(), HighlightResponse(spans=spans), PACK)
    after = score_unfiltered(highlight(), HighlightResponse(spans=spans + extra), PACK)
    assume(after.measures is not None)
    # the extra span, as scored (trimmed to words), must lie outside every key region
    added = merge([(extra[0].start, extra[0].end)])
    assume(not intersect(added, key.all_region))
    precision_before = before.measures.precision if before.measures else Fraction(0)
    assert after.measures.precision <= precision_before or precision_before == 0 and after.measures.precision == 0


@FAST
@given(position_spans(label=True))
def test_scoring_is_deterministic(spans):
    first = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans), PACK)
    memo.clear()
    second = score_unfiltered(label_spans(), LabelSpansResponse(spans=spans), PACK)
    assert first == second


# --- random keys over a longer paragraph: the fairness promises hold for any key -----------------

PARAGRAPH = (
    "Officials said the so-called reforms were a total disaster. Critics praised the brave new plan. "
    "Its careful costing covers the region's growth over ten years. Few people read it at first. "
    "Newspapers printed long tables of figures on Sunday. Nobody asked for more. Schools stayed open. "
    "Buses ran on time all week. The weather was mild for March. Farmers planted early potatoes."
)
WORDS = [(m.start(), m.end()) for m in re.finditer(r"[\w'-]+", PARAGRAPH)]
SENTENCES = [(m.start(), m.end()) for m in re.finditer(r"[^.\s][^.]*", PARAGRAPH)]  # full stops left out


@st.composite
def random_keys(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Non-overlapping key spans of 1-3 words, as (first word, last word) indexes."""
    chosen, index = [], draw(st.integers(0, 3))
    while index < len(WORDS) and len(chosen) < 5:
        length = draw(st.integers(1, 3))
        last = min(index + length - 1, len(WORDS) - 1)
        chosen.append((index, last))
        index = last + 1 + draw(st.integers(2, 8))
    assume(chosen)
    return chosen


def _pack_and_exercise(keys: list[tuple[int, int]]):
    offset = len("Heading\n")
    items = [
        dict(item_id=f"k{n}", quote=PARAGRAPH[WORDS[a][0]:WORDS[b][1]], labels=("loaded_language",),
             start=offset + WORDS[a][0])
        for n, (a, b) in enumerate(keys)
    ]
    pack = build_pack(items, ("Heading", PARAGRAPH))
    exercise = highlight(key=tuple(i["item_id"] for i in items), foils=())
    return pack, exercise, offset


def _exact(keys, offset):
    return tuple(SpanAnswer(start=offset + WORDS[a][0], end=offset + WORDS[b][1]) for a, b in keys)


@FAST
@given(random_keys())
def test_exact_key_scores_full_and_whole_scope_at_most_a_fifth(keys):
    pack, exercise, offset = _pack_and_exercise(keys)
    assert score_unfiltered(exercise, HighlightResponse(spans=_exact(keys, offset)), pack).status is Status.CORRECT
    key = span_key(exercise, pack)
    # the condition `medialit lint` enforces on every span exercise (docs/scoring.md)
    assume(key.clean_size >= Fraction(4, 5) * key.budget)
    whole = HighlightResponse(spans=(SpanAnswer(start=offset, end=offset + len(PARAGRAPH)),))
    assert score_unfiltered(exercise, whole, pack).earned <= Fraction(1, 5) * exercise.points
    every_sentence = HighlightResponse(spans=tuple(SpanAnswer(start=offset + a, end=offset + b) for a, b in SENTENCES))
    assert score_unfiltered(exercise, every_sentence, pack).earned <= Fraction(1, 5) * exercise.points


@FAST
@given(random_keys(), st.sampled_from(range(len(SENTENCES))))
def test_exact_key_plus_one_sentence_outside_every_key_keeps_at_least_70_percent(keys, sentence):
    pack, exercise, offset = _pack_and_exercise(keys)
    a, b = SENTENCES[sentence]
    assume(not any(WORDS[x][0] < b and a < WORDS[y][1] for x, y in keys))
    extra = SpanAnswer(start=offset + a, end=offset + b)
    outcome = score_unfiltered(exercise, HighlightResponse(spans=_exact(keys, offset) + (extra,)), pack)
    assert outcome.earned >= Fraction(7, 10) * outcome.possible


@FAST
@given(random_keys(), st.data())
def test_adding_a_key_span_never_lowers_the_score_for_random_keys(keys, data):
    pack, exercise, offset = _pack_and_exercise(keys)
    size = len(pack.article.text)
    spans = []
    for _ in range(data.draw(st.integers(0, 5))):
        start = data.draw(st.integers(0, size - 1))
        spans.append(SpanAnswer(start=start, end=data.draw(st.integers(start + 1, min(size, start + 60)))))
    a, b = data.draw(st.sampled_from(keys))
    before = score_unfiltered(exercise, HighlightResponse(spans=tuple(spans)), pack)
    added = tuple(spans) + (SpanAnswer(start=offset + WORDS[a][0], end=offset + WORDS[b][1]),)
    assert score_unfiltered(exercise, HighlightResponse(spans=added), pack).earned >= before.earned


@FAST
@given(random_keys())
def test_one_word_off_on_each_side_keeps_at_least_80_percent(keys):
    pack, exercise, offset = _pack_and_exercise(keys)
    wider = tuple(
        SpanAnswer(start=offset + WORDS[max(a - 1, 0)][0], end=offset + WORDS[min(b + 1, len(WORDS) - 1)][1])
        for a, b in keys
    )
    outcome = score_unfiltered(exercise, HighlightResponse(spans=wider), pack)
    assert outcome.earned >= Fraction(4, 5) * outcome.possible


@FAST
@given(random_keys())
def test_one_word_short_on_each_side_of_long_keys_keeps_most_credit(keys):
    pack, exercise, offset = _pack_and_exercise(keys)
    narrower = tuple(SpanAnswer(start=offset + WORDS[a][0], end=offset + WORDS[b][1]) for a, b in keys if b - a < 2)
    narrower += tuple(SpanAnswer(start=offset + WORDS[a + 1][0], end=offset + WORDS[b - 1][1]) for a, b in keys if b - a >= 2)
    outcome = score_unfiltered(exercise, HighlightResponse(spans=narrower), pack)
    assert 0 < outcome.earned <= outcome.possible
