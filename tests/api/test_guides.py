"""The guides as HTML: rendered Markdown, raw HTML escaped, internal ids put in a teacher's words."""

from __future__ import annotations

import re
from pathlib import Path

from api.guides import paragraph_numbers, readable, render_markdown
from quizzes.loading import load_bank
from tests.api.conftest import API, TEACHER

SHIPPED = Path(__file__).resolve().parents[2] / "lesson" / "packs" / "central-asia-2022"
INTERNAL = re.compile(r"(?<![\w-])b\d{2}(?![\w-])|(?<![\w-])(?:att|frm|fun|prv|foil)-[\w-]+|`(?:check-[ab]|final|practice-\w+)`")


def test_markdown_renders_tables_and_escapes_raw_html() -> None:
    html = render_markdown("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n")
    assert "<h1>Title</h1>" in html and "<table>" in html and "<td>2</td>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_shipped_guides_show_no_internal_id() -> None:
    bank = load_bank(SHIPPED)
    teacher = readable(bank.pack.teacher_guide, bank)
    assert INTERNAL.findall(bank.pack.teacher_guide), "the guide's source does use ids (else this test proves nothing)"
    assert INTERNAL.findall(teacher) == []
    assert INTERNAL.findall(readable(bank.pack.student_guide, bank)) == []


def test_block_ids_become_the_printed_articles_paragraph_numbers() -> None:
    bank = load_bank(SHIPPED)
    numbers = paragraph_numbers(bank)
    assert numbers["b03"] == 1 and numbers["b04"] == 2   # the standfirst is paragraph 1
    assert "b02" not in numbers                          # website text is not numbered
    text = readable("Compare b05 with b29–b31, and the share line b02; see `frm-b04-milop` in `check-a` (att-01).", bank)
    assert text.startswith(f"Compare paragraph {numbers['b05']} with paragraphs {numbers['b29']}–{numbers['b31']}, ")
    assert "the website's line “Fight Censorship, Share This Post!”" in text
    assert f"see paragraph {numbers['b04']} in “{bank.quizzes['check-a'].title}” (“{bank.exercises['att-01'].title}”)." in text


def test_teacher_guide_route_needs_the_token_and_the_student_guide_is_public(client) -> None:
    lesson = client.get(f"{API}/lessons").json()[0]["id"]
    assert client.get(f"{API}/lessons/{lesson}/guides/teacher").status_code == 401
    guide = client.get(f"{API}/lessons/{lesson}/guides/teacher", headers=TEACHER)
    assert guide.status_code == 200 and guide.json()["html"].startswith("<h1>")
    assert client.get(f"{API}/lessons/{lesson}/guides/student").status_code == 200
    missing = client.get(f"{API}/lessons/no-such-lesson/guides/student")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
