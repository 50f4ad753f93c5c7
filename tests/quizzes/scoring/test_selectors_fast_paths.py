"""Fast paths of quote resolution give what the general paths give (they exist only for speed)."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from lesson.text import _EQUIVALENTS, QuoteAmbiguous, QuoteNotFound, find_quote, normalise_for_matching
from quizzes.scoring.selectors import find_folded, fold_quote, pack_text
from tests.quizzes.scoring.builders import build_pack

# Repeated and overlapping 8-character slices, so that quotes of 8 characters or more (looked up in
# the slice index) occur several times, overlap, and need their prefix or suffix to be told apart.
PACK = build_pack(
    [],
    ("Heading", "aaaaaaaaaaaa the West’s “partners” lied; the West’s partners lied again, and the West's  partners lied."),
)
TEXT = PACK.article.text


def _reference(exact, prefix, suffix):
    try:
        span = find_quote(TEXT, exact, prefix, suffix)
    except QuoteAmbiguous as error:
        return error.count
    except QuoteNotFound:
        return 0
    return span.start, span.end


def test_folding_table_maps_only_non_ascii_characters():
    assert all(code > 127 for code in _EQUIVALENTS)
    assert fold_quote("the  West's\t\"partners\"") == "the West's \"partners\""


@given(st.text(alphabet=string.printable, max_size=40))
def test_fold_quote_of_ascii_text_is_normalise_for_matching(text):
    assert fold_quote(text) == normalise_for_matching(text)[0]


@st.composite
def long_quotes(draw):
    start = draw(st.integers(0, len(TEXT) - 8))
    end = draw(st.integers(start + 8, min(len(TEXT), start + 40)))
    prefix = draw(st.one_of(st.none(), st.just(TEXT[max(0, start - draw(st.integers(0, 10))):start])))
    suffix = draw(st.one_of(st.none(), st.just(TEXT[end:end + draw(st.integers(0, 10))])))
    return TEXT[start:end], prefix, suffix


@settings(max_examples=400, deadline=None)
@given(long_quotes())
def test_indexed_quote_lookup_agrees_with_find_quote(parts):
    exact, prefix, suffix = parts
    assert find_folded(pack_text(PACK), exact, prefix, suffix) == _reference(exact, prefix, suffix)


def test_indexed_lookup_counts_overlapping_occurrences():
    assert find_folded(pack_text(PACK), "aaaaaaaaa", None, None) == 4
    assert find_folded(pack_text(PACK), "aaaaaaaaa", None, None) == _reference("aaaaaaaaa", None, None)
