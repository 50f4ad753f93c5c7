from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lesson.text import QuoteAmbiguous, QuoteNotFound, Span, find_quote, normalise_for_matching, trim_to_words

TEXT = "The mayor said, “The bridge is safe.” The mayor’s aide said nothing."


def test_span_rejects_empty_and_reversed_ranges():
    with pytest.raises(ValueError):
        Span(5, 5)
    with pytest.raises(ValueError):
        Span(6, 2)
    with pytest.raises(ValueError):
        Span(-1, 2)


def test_span_overlap_is_half_open():
    assert not Span(0, 3).overlaps(Span(3, 5))
    assert Span(0, 4).overlaps(Span(3, 5))


def test_find_quote_matches_straight_quotes_against_curly_ones():
    span = find_quote(TEXT, '"The bridge is safe."')
    assert TEXT[span.start:span.end] == "“The bridge is safe.”"


def test_find_quote_folds_whitespace_runs_and_apostrophes():
    span = find_quote(TEXT, "The  mayor's\naide")
    assert TEXT[span.start:span.end] == "The mayor’s aide"


def test_find_quote_rejects_ambiguous_quote_without_context():
    with pytest.raises(QuoteAmbiguous) as error:
        find_quote(TEXT, "said")
    assert error.value.count == 2


def test_find_quote_uses_prefix_and_suffix_to_disambiguate():
    span = find_quote(TEXT, "said", prefix="aide", suffix="nothing")
    assert span.start == TEXT.rindex("said")


def test_find_quote_reports_missing_quote():
    with pytest.raises(QuoteNotFound):
        find_quote(TEXT, "the bridge is unsafe")


def test_trim_to_words_drops_edge_punctuation_and_spaces():
    start = TEXT.index("“")
    assert trim_to_words(TEXT, start - 1, start + 8) == (start + 1, start + 8)
    assert trim_to_words(TEXT, 3, 4) is None  # a lone space


@given(st.text(alphabet=st.sampled_from("ab ’'“”\"\n\t-–"), max_size=40))
def test_normalise_maps_every_folded_character_back_into_the_text(text):
    folded, positions = normalise_for_matching(text)
    assert len(positions) == len(folded) + 1
    assert positions == sorted(positions)
    assert positions[-1] == len(text)
    assert all(0 <= p <= len(text) for p in positions)


@given(st.data())
def test_find_quote_recovers_any_unique_substring(data):
    text = "Alpha beta gamma delta epsilon zeta eta theta"
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if quote.strip() and text.count(quote.strip()) == 1:
        span = find_quote(text, quote)
        assert text[span.start:span.end] == quote.strip()
