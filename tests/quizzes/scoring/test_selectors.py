"""Resolving selectors: the pre-folded quote search agrees with lesson.text.find_quote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lesson.text import QuoteAmbiguous, QuoteNotFound, find_quote, normalise_for_matching
from quizzes.scoring.selectors import PackText, find_folded, fold_quote, pack_text
from tests.quizzes.scoring.builders import build_pack

PACK = build_pack([], ("Heading", "Russia’s  “partners” said — again — that the ‘West’ lied.\tThe West’s “partners”  lied again."))
TEXT = PACK.article.text
SWAPS = {"’": "'", "“": '"', "”": '"', "—": "-", " ": "  "}


def _reference(exact, prefix, suffix):
    try:
        span = find_quote(TEXT, exact, prefix, suffix)
    except QuoteAmbiguous as error:
        return error.count
    except QuoteNotFound:
        return 0
    return span.start, span.end


@st.composite
def quote_parts(draw):
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start + 1, min(len(TEXT), start + 30)))
    exact = TEXT[start:end]
    if draw(st.booleans()):
        exact = "".join(SWAPS.get(c, c) if draw(st.booleans()) else c for c in exact)
    prefix = draw(st.one_of(st.none(), st.just(TEXT[max(0, start - draw(st.integers(0, 12))):start]), st.text(max_size=4)))
    suffix = draw(st.one_of(st.none(), st.just(TEXT[end:end + draw(st.integers(0, 12))]), st.text(max_size=4)))
    return exact, prefix, suffix


@settings(max_examples=500, deadline=None)
@given(quote_parts())
def test_find_folded_agrees_with_lesson_find_quote(parts):
    exact, prefix, suffix = parts
    assert find_folded(pack_text(PACK), exact, prefix, suffix) == _reference(exact, prefix, suffix)


@given(st.text(alphabet=" \t\n’‘“”—–-'\"ab\u00a0", max_size=20))
def test_fold_quote_is_normalise_for_matching_without_positions(text):
    assert fold_quote(text) == normalise_for_matching(text)[0]


def test_pack_text_is_folded_once_per_pack():
    assert pack_text(PACK) is pack_text(PACK)
    assert isinstance(pack_text(PACK), PackText)
