"""The lesson pack's guides (Markdown) as HTML for the browser client.

Rendered with markdown-it-py (CommonMark plus tables), with raw HTML switched off: a ``<script>``
in a guide comes out as text. The client still copies only a list of known tags into the page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from pydantic import BaseModel

from api.catalog import Catalog
from api.errors import NotFound

__all__ = ["GuideOut", "render_markdown", "guide"]

GuideName = Literal["teacher", "student"]

_TITLES = {"teacher": "Teacher's guide", "student": "Reading guide for students"}


class GuideOut(BaseModel):
    lesson_id: str
    guide: GuideName
    title: str
    html: str


@lru_cache(maxsize=32)
def render_markdown(text: str) -> str:
    """CommonMark with tables to HTML; raw HTML in ``text`` is escaped, not passed through."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").render(text)


def guide(catalog: Catalog, lesson_id: str, name: GuideName) -> GuideOut:
    pack = catalog.pack(lesson_id)
    text = pack.teacher_guide if name == "teacher" else pack.student_guide
    if not text.strip():
        raise NotFound(f"lesson {lesson_id!r} has no {_TITLES[name].lower()}")
    return GuideOut(lesson_id=pack.id, guide=name, title=_TITLES[name], html=render_markdown(text))
