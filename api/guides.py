"""The lesson pack's guides (Markdown) as HTML for the browser client.

Rendered with markdown-it-py (CommonMark plus tables), with raw HTML switched off: a ``<script>``
in a guide comes out as text. The client still copies only a list of known tags into the page.
Before rendering, internal ids are put in words (:func:`readable`): the article on screen shows no
block ids, and teachers should not have to look up "att-10".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict

from api.catalog import Catalog
from api.errors import NotFound
from quizzes.bank import Bank

__all__ = ["GuideOut", "render_markdown", "readable", "paragraph_numbers", "guide"]

GuideName = Literal["teacher", "student"]

_TITLES = {"teacher": "Teacher's guide", "student": "Reading guide for students"}


class GuideOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "lesson_id": "central-asia-2022", "guide": "teacher", "title": "Teacher's guide",
        "html": "<h1>Teacher's guide</h1>\n<p>Model the three questions on paragraph 3 …</p>\n"}]})

    lesson_id: str
    guide: GuideName
    title: str
    html: str


@lru_cache(maxsize=32)
def render_markdown(text: str) -> str:
    """CommonMark with tables to HTML; raw HTML in ``text`` is escaped, not passed through."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").render(text)


NUMBERED_ROLES = frozenset({"body", "standfirst"})
"""Blocks that get a paragraph number, as the client's print view (``#/print``) numbers them."""

_ROLE_WORDS = {"headline": "the headline", "subhead": "the subheading", "site_chrome": "the website's line",
               "related_link": "the related link", "photo_credit": "the photo caption"}


def paragraph_numbers(bank: Bank) -> dict[str, int]:
    """Block id -> paragraph number (1-based) for the article's standfirst and body blocks."""
    numbered = [b.id for b in bank.pack.article.blocks if b.role.value in NUMBERED_ROLES]
    return {block_id: n for n, block_id in enumerate(numbered, start=1)}


def readable(text: str, bank: Bank) -> str:
    """The guide with internal ids put in a teacher's words.

    Block ids become the paragraph numbers of the printed article ("b05" -> "paragraph 3",
    "b29–b35" -> "paragraphs 24–28"), or the block's role and first words when it has no number;
    an item id in backticks becomes the place of its item; exercise ids become the exercise's
    title, and a quiz id in backticks the quiz's title.
    """
    article = bank.pack.article
    numbers = paragraph_numbers(bank)

    def place(block_id: str) -> str:
        if block_id in numbers:
            return f"paragraph {numbers[block_id]}"
        block = article.block(block_id)
        words = article.text[block.start:block.end].split()
        return f"{_ROLE_WORDS.get(block.role.value, 'the line')} “{' '.join(words[:5])}{'…' if len(words) > 5 else ''}”"

    ids = "|".join(re.escape(b) for b in sorted(numbers.keys() | set(article.block_ids()), key=len, reverse=True))
    span = re.compile(rf"(?<![\w-])({ids})\s*[–-]\s*({ids})(?![\w-])")

    def span_words(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        if a in numbers and b in numbers:
            return f"paragraphs {numbers[a]}–{numbers[b]}"
        return f"{place(a)} to {place(b)}"

    items = {i.id: i for i in bank.pack.annotation.items}
    if items:
        names = "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True))
        def item_place(m: re.Match[str]) -> str:
            block = article.block_at(items[m.group(1)].start)
            return place(block.id) if block is not None else m.group(0)

        text = re.sub(rf"`({names})`", item_place, text)
    text = span.sub(span_words, text)
    text = re.sub(rf"(?<![\w-])({ids})(?![\w-])", lambda m: place(m.group(1)), text)
    exercises = {e.id: e.title for e in bank.exercises.values()}
    if exercises:
        names = "|".join(re.escape(i) for i in sorted(exercises, key=len, reverse=True))
        text = re.sub(rf"(?<![\w-])({names})(?![\w-])", lambda m: f"“{exercises[m.group(1)]}”", text)
    quizzes = {q.id: q.title for q in bank.quizzes.values()}
    if quizzes:
        names = "|".join(re.escape(i) for i in sorted(quizzes, key=len, reverse=True))
        text = re.sub(rf"`({names})`", lambda m: f"“{quizzes[m.group(1)]}”", text)
    return text


def guide(catalog: Catalog, lesson_id: str, name: GuideName) -> GuideOut:
    bank = catalog.bank(lesson_id)
    text = bank.pack.teacher_guide if name == "teacher" else bank.pack.student_guide
    if not text.strip():
        raise NotFound(f"lesson {lesson_id!r} has no {_TITLES[name].lower()}")
    return GuideOut(lesson_id=bank.pack.id, guide=name, title=_TITLES[name], html=render_markdown(readable(text, bank)))
