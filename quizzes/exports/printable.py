"""A printable student copy of a pack: the text with its block numbers, then the reading guide.

``student_copy_html`` is pure (pack in, HTML out). Paper students refer to paragraphs by the same
block ids (``b04``) as the app, the exercises and the teacher's guide, so every block is printed with
its id in the margin; the repost site's lines and the publisher's page furniture are printed too,
marked as such, because telling them apart is part of the lesson. ``student_copy_pdf`` renders the
same HTML with WeasyPrint (the optional ``print`` extra).
"""

from __future__ import annotations

import html
import re

from lesson.article import BlockRole
from lesson.bundle import LessonPack

__all__ = ["student_copy_html", "student_copy_pdf", "markdown_to_html"]

_ROLE_NOTE = {
    BlockRole.SITE_CHROME: "page furniture",
    BlockRole.RELATED_LINK: "related link",
    BlockRole.PHOTO_CREDIT: "photo credit",
}

_STYLE = """
@page { size: A4; margin: 18mm 18mm 20mm 26mm;
        @bottom-center { content: "page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 12pt; line-height: 1.5; max-width: 42em;
       margin: 2em auto; padding-left: 3.5em; }
h1 { font-size: 17pt; margin-bottom: 0.2em; }
.provenance { font-size: 10pt; border: 1px solid #888; padding: 0.5em 0.8em; margin-bottom: 1.5em; }
.block { position: relative; margin: 0 0 0.8em 0; break-inside: avoid; }
.num { position: absolute; left: -3.5em; width: 3em; text-align: right; font: bold 9pt sans-serif; color: #444; }
.headline { font-size: 15pt; font-weight: bold; }
.subhead, .standfirst { font-weight: bold; }
.furniture { font-size: 10pt; font-style: italic; color: #333; }
.note { font: 8pt sans-serif; text-transform: uppercase; letter-spacing: 0.05em; color: #555; }
.guide { break-before: page; }
@media screen { body { background: #fff; } }
"""


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    escaped = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


def markdown_to_html(markdown: str) -> str:
    """The Markdown subset the reading guides use: headings, paragraphs, lists, checkboxes, emphasis."""
    out: list[str] = []
    open_list: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal open_list
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal open_list
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None

    for raw in markdown.splitlines():
        line = raw.strip()
        heading = re.match(r"(#{1,4})\s+(.*)", line)
        item = re.match(r"(?:[-*]|(\d+)\.)\s+(?:\[ \]\s+)?(.*)", line)
        if not line:
            flush()
            close_list()
        elif heading:
            flush()
            close_list()
            level = min(len(heading.group(1)) + 1, 4)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif item and raw[: len(raw) - len(raw.lstrip())] == "":
            flush()
            kind = "ol" if item.group(1) else "ul"
            if open_list != kind:
                close_list()
                out.append(f"<{kind}>")
                open_list = kind
            out.append(f"<li>{_inline(item.group(2))}</li>")
        elif open_list and raw.startswith(" "):
            nested = re.match(r"[-*]\s+(.*)", line)
            text = nested.group(1) if nested else line
            out[-1] = out[-1][: -len("</li>")] + ("<br>" if nested else " ") + _inline(text) + "</li>"
        else:
            close_list()
            paragraph.append(line)
    flush()
    close_list()
    return "\n".join(out)


def student_copy_html(pack: LessonPack) -> str:
    """The article with every block numbered, its provenance note, then the student reading guide."""
    article = pack.article
    provenance = article.provenance
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(article.language)}"><head><meta charset="utf-8">',
        f"<title>{html.escape(article.title)}: student copy</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(article.title)}</h1>",
        '<div class="provenance">',
        f"<p><strong>Where this text comes from:</strong> {html.escape(provenance.publisher)}</p>",
        f"<p><strong>Date:</strong> {html.escape(provenance.date)}. The numbers in the margin (b00, b01, …)"
        " are the block numbers the exercises and your teacher use.</p>",
        "</div>",
    ]
    for block in article.blocks:
        text = html.escape(article.text[block.start : block.end])
        note = _ROLE_NOTE.get(block.role)
        css = "furniture" if note else block.role.value
        label = f'<span class="note">{note}</span><br>' if note else ""
        parts.append(f'<p class="block {css}" id="{block.id}"><span class="num">{block.id}</span>{label}{text}</p>')
    if pack.student_guide.strip():
        parts.append(f'<section class="guide">{markdown_to_html(pack.student_guide)}</section>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def student_copy_pdf(pack: LessonPack) -> bytes:
    """The same copy as a PDF. Needs WeasyPrint (``pip install 'medialit[print]'``)."""
    from weasyprint import HTML  # optional: only this function needs it

    return HTML(string=student_copy_html(pack)).write_pdf()
