"""Reading an HTML page for the studio (lxml): paragraphs with the roles their markup implies, and
the provenance its meta tags state. Scripts, styles and forms are dropped; menus, footers, share
buttons and related-link boxes become site text or related links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lesson.article import BlockRole
from quizzes.studio.paragraphs import Para

__all__ = ["read_html"]


# --- HTML ----------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "caption", "blockquote", "pre", "dt", "dd",
               "address", "div", "section", "article", "header", "footer", "aside", "nav", "main", "figure", "ul",
               "ol", "dl", "table", "tr", "td", "th", "tbody", "thead", "form", "hr", "body", "center"}
_DROP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "button", "select", "textarea", "input", "head", "object", "video", "audio"}
_CHROME_TAGS = {"nav", "footer", "aside", "form"}
_CHROME_CLASS = re.compile(r"(^|[\s_-])(share|sharing|social|comments?|newsletter|subscribe|cookie|banner|advert|ads?|promo|"
                           r"menu|breadcrumbs?|masthead|navbar|sidebar|footer|toolbar)($|[\s_-])", re.IGNORECASE)
_RELATED_CLASS = re.compile(r"(related|read-?more|recommended|more-stories)", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"(caption|credit)", re.IGNORECASE)
_STANDFIRST_CLASS = re.compile(r"(standfirst|lede|dek|summary|subtitle|strapline|intro|excerpt|deck|teaser)", re.IGNORECASE)


@dataclass(frozen=True)
class _Context:
    role: BlockRole | None = None
    reason: str = ""


def _classes(el: object) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"  # type: ignore[attr-defined]


def _context_for(el: object, outer: _Context) -> _Context:
    tag = el.tag  # type: ignore[attr-defined]
    names = _classes(el)
    if outer.role in (BlockRole.SITE_CHROME, BlockRole.RELATED_LINK):
        return outer
    if _RELATED_CLASS.search(names):
        return _Context(BlockRole.RELATED_LINK, "inside an element marked as related or 'read more' links")
    if tag in _CHROME_TAGS:
        return _Context(BlockRole.SITE_CHROME, f"inside a <{tag}> element (website navigation, footer or sidebar)")
    if _CHROME_CLASS.search(names):
        return _Context(BlockRole.SITE_CHROME, "inside an element marked as share buttons, comments, menus or ads")
    if tag in ("figcaption", "caption") or (_CREDIT_CLASS.search(names) and tag not in ("body", "article", "main")):
        return _Context(BlockRole.PHOTO_CREDIT, "a figure caption or photo credit")
    if tag == "h1":
        return _Context(BlockRole.HEADLINE, "an <h1> heading")
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        return _Context(BlockRole.SUBHEAD, f"an <{tag}> heading")
    if _STANDFIRST_CLASS.search(names) and tag not in ("body", "article", "main"):
        return _Context(BlockRole.STANDFIRST, "marked in the page as a standfirst, summary or subtitle")
    return outer


_LINE_BREAK = "\u2028"  # a <br>: ends a paragraph (source line breaks are only spaces)


class _HtmlWalker:
    def __init__(self) -> None:
        self.paras: list[Para] = []
        self.run: list[str] = []
        self.run_context = _Context()

    def flush(self) -> None:
        text = "".join(self.run)
        self.run = []
        for line in text.split(_LINE_BREAK):
            if line.strip():
                self.paras.append(Para(line, self.run_context.role, self.run_context.reason))

    def text(self, value: str | None, context: _Context) -> None:
        if value:
            if not "".join(self.run).strip():
                self.run_context = context
            self.run.append(value)

    def walk(self, el: object, context: _Context) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        if tag in _DROP_TAGS or not tag:
            return
        inner = _context_for(el, context)
        if tag == "br":
            self.run.append(_LINE_BREAK)
            return
        if tag == "img":
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        self.text(el.text, inner)  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            self.walk(child, inner)
            if isinstance(child.tag, str) and child.tag in _DROP_TAGS:
                self.text(child.tail, inner)
            elif isinstance(child.tag, str):
                self.text(child.tail, inner)
        if block:
            self.flush()


def _meta(doc: object) -> dict[str, str]:
    found: dict[str, str] = {"format_name": "a web page (HTML)"}

    def first(*xpaths: str) -> str:
        for xpath in xpaths:
            values = [v.strip() for v in doc.xpath(xpath) if isinstance(v, str) and v.strip()]  # type: ignore[attr-defined]
            if values:
                return values[0]
        return ""

    found["title"] = first("//meta[@property='og:title']/@content", "//title/text()")
    found["publisher"] = first("//meta[@property='og:site_name']/@content", "//meta[@name='publisher']/@content")
    found["date"] = first("//meta[@property='article:published_time']/@content", "//meta[@name='date']/@content",
                          "//meta[@name='dc.date']/@content", "//time/@datetime")
    found["url"] = first("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
    found["author"] = first("//meta[@name='author']/@content", "//meta[@property='article:author']/@content",
                            "//*[@rel='author']/text()")
    found["language"] = first("/html/@lang")
    return found


def read_html(data: bytes) -> tuple[list[Para], dict[str, str]]:
    """The page's paragraphs and what its meta tags say (title, publisher, date, url, author,
    language). Raises ``ValueError`` for bytes lxml cannot read as HTML."""
    import lxml.html
    from lxml import etree

    try:
        doc = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as error:
        raise ValueError(f"the HTML could not be read: {error}") from None
    found = _meta(doc)
    if found.get("title") and " | " in found["title"]:
        found["title"] = found["title"].split(" | ")[0]
    walker = _HtmlWalker()
    body = doc.find("body")
    walker.walk(body if body is not None else doc, _Context())
    walker.flush()
    headlines = [p for p in walker.paras if p.role is BlockRole.HEADLINE]
    for extra in headlines[1:]:
        extra.role, extra.reason = BlockRole.SUBHEAD, "a further <h1> heading after the first"
    return walker.paras, found
