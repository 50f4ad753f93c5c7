"""The client's offset arithmetic, run in the browser: code points, not UTF-16 units."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def run(page, script: str):
    return page.evaluate(f"async () => {{ const t = await import('/text.js'); {script} }}")


def test_text_tokenize_counts_code_points_not_utf16_units(visit) -> None:
    v = visit()
    v.goto("#/")
    # "𝒳" is one code point but two UTF-16 units; offsets after it must not drift.
    tokens = run(v.page, "const c = t.codePoints('a 𝒳 don’t U.S. “x”'); return t.tokenize(c, 0, c.length);")
    words = [(tok["start"], tok["end"]) for tok in tokens if tok["word"]]
    assert words == [(0, 1), (2, 3), (4, 9), (10, 13), (16, 17)]


def test_text_unit_index_maps_code_points_to_utf16(visit) -> None:
    v = visit()
    v.goto("#/")
    assert run(v.page, "return t.unitIndex(t.codePoints('a𝒳b'));") == [0, 1, 3, 4]
    assert run(v.page, "const c = t.codePoints('x𝒳yz'); return t.slice(c, 2, 4);") == "yz"


def test_text_tokenize_covers_the_range_without_gaps(visit) -> None:
    v = visit()
    v.goto("#/")
    tokens = run(v.page, "const c = t.codePoints('Hello,  world! 1,000 people—said'); return t.tokenize(c, 0, c.length);")
    assert tokens[0]["start"] == 0
    assert all(a["end"] == b["start"] for a, b in zip(tokens, tokens[1:]))
    assert [t["word"] for t in tokens].count(True) == 5


def test_a_marked_quote_has_its_quotation_marks_paired(visit) -> None:
    v = visit()
    v.goto("#/")
    pair = "async (q) => (await import('/article.js')).balanced(q)"
    assert v.page.evaluate(pair, "The official record stated, “Sadyr Japarov") == "The official record stated, “Sadyr Japarov”"
    assert v.page.evaluate(pair, "punitive operations,” he said") == "“punitive operations,” he said"
    assert v.page.evaluate(pair, "a “plain” quote") == "a “plain” quote"
