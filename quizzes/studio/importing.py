"""Importing a text for a new lesson pack: pasted text or a .txt, .md, .html or .docx upload.

The result is the canonical text the pack format requires (NFC, one paragraph per line, paragraphs
separated by a blank line, no invisible characters, a final newline) split into blocks whose roles
are *proposed* by rules a teacher can read: every block says which rule gave it its role, and the
teacher corrects any of them in the editor. Provenance is taken from the file where it says
(HTML meta tags, Markdown front matter, Word document properties); what it does not say is listed
as unknown rather than guessed.

Pure: bytes or a string in, an :class:`ImportedText` out; nothing is read from or written to disk.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lesson.article import BlockRole, Provenance
from lesson.errors import MedialitError

__all__ = [
    "SourceFormat",
    "ImportedBlock",
    "ImportedText",
    "ImportFailed",
    "import_text",
    "import_upload",
    "normalise_paragraph",
    "format_for_filename",
    "MAX_UPLOAD_BYTES",
]

SourceFormat = Literal["text", "markdown", "html", "docx"]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""The largest upload accepted, in bytes (a news article in Word is well under this)."""


class ImportFailed(MedialitError):
    slug = "import-failed"
    title = "The text could not be imported."


class ImportedBlock(BaseModel):
    """One paragraph of the canonical text, ``[start, end)`` in code points, with its proposed role."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: BlockRole
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    reason: str = Field(description="the rule that proposed the role, in words a teacher can check")


class ImportedText(BaseModel):
    """A text ready for annotating: canonical text, proposed blocks, provenance and a proposed title."""

    model_config = ConfigDict(frozen=True)

    source_format: SourceFormat
    title: str
    language: str = "en"
    text: str
    blocks: tuple[ImportedBlock, ...]
    provenance: Provenance


# --- normalisation -------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")


def normalise_paragraph(text: str) -> str:
    """One paragraph as a block: NFC, no soft hyphens or zero-width characters, no control
    characters, every run of whitespace (line breaks of hard-wrapped text included) one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = "".join(c if c.isprintable() or c.isspace() else " " for c in text)
    return _SPACES.sub(" ", text).strip()


@dataclass
class _Para:
    """A paragraph found by a parser: its text and the role its markup implies (None: no opinion)."""

    text: str
    role: BlockRole | None = None
    reason: str = ""


# --- role rules (shared by every format) ---------------------------------------------------------

_CHROME = re.compile(
    r"^(share( this)?|tweet|follow us|subscribe|sign up|sign in|log ?in|register|newsletter|advertisement|"
    r"sponsored|cookies?|accept( all)? cookies|leave a (comment|reply)|\d* ?comments?|skip to|menu|"
    r"all rights reserved|copyright|posted in|filed under|tags?:|print( this)?|email( this)?|"
    r"your email address|required fields|this site uses|fight censorship)\b",
    re.IGNORECASE,
)
_RELATED = re.compile(r"^(read more|related( articles?| stories| content)?|see also|more on this|recommended|"
                      r"you (may|might) also like|also read|more from)\b", re.IGNORECASE)
_CREDIT_START = re.compile(r"^(photo|image|picture|pictured|file photo|illustration|credit|caption)s?\b\s*[:,–—-]?",
                           re.IGNORECASE)
_AGENCY = re.compile(r"(©|\b(getty images|reuters|ap photo|afp|associated press|shutterstock|alamy|epa|"
                     r"sputnik|ria novosti|tass|anadolu|xinhua)\b)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)»]*$")


def _words(text: str) -> int:
    return len(text.split())


def _text_rule(text: str, after_related: bool) -> tuple[BlockRole, str] | None:
    """Roles a paragraph's own words give it, whatever the format (site text, links, credits)."""
    words = _words(text)
    if words <= 30 and _CHROME.match(text):
        return BlockRole.SITE_CHROME, "starts like website text (share, subscribe, comments, cookies …)"
    if words <= 20 and _RELATED.match(text):
        return BlockRole.RELATED_LINK, "starts like a link to another article (read more, related, see also …)"
    if after_related and words <= 25 and not _SENTENCE_END.search(text):
        return BlockRole.RELATED_LINK, "a short title right after a 'read more' line"
    if words <= 30 and (_CREDIT_START.match(text) or (_AGENCY.search(text) and not _SENTENCE_END.search(text.rstrip(")")) or "©" in text)):
        return BlockRole.PHOTO_CREDIT, "looks like a photo credit or caption (photo, ©, a picture agency)"
    return None


def _assign_roles(paras: list[_Para], plain: bool) -> list[tuple[str, BlockRole, str]]:
    """Final role and reason per paragraph: the markup's role, else the text rules, else the layout
    rules for plain text (first short line is the headline, the next short one the standfirst,
    short lines without a full stop are subheadings), else body."""
    out: list[tuple[str, BlockRole, str]] = []
    has_headline = any(p.role is BlockRole.HEADLINE for p in paras)
    after_related = False
    for index, para in enumerate(paras):
        text, words = para.text, _words(para.text)
        role, reason = para.role, para.reason
        rule = _text_rule(text, after_related) if role in (None, BlockRole.BODY) else None
        if rule:
            role, reason = rule
        elif role is None and plain:
            article_so_far = [r for _t, r, _why in out if r not in (BlockRole.SITE_CHROME, BlockRole.RELATED_LINK, BlockRole.PHOTO_CREDIT)]
            ends = bool(_SENTENCE_END.search(text))
            if not has_headline and not article_so_far and words <= 25 and not ends:
                role, reason = BlockRole.HEADLINE, "the first short line, without a full stop"
                has_headline = True
            elif article_so_far == [BlockRole.HEADLINE] and words <= 60 and len(re.findall(r"[.!?](\s|$)", text)) <= 1:
                role, reason = BlockRole.STANDFIRST, "one short sentence right after the headline"
            elif article_so_far and words <= 12 and not re.search(r"[.:;,…][\"'”’)»]*$", text) and index + 1 < len(paras):
                role, reason = BlockRole.SUBHEAD, "a short line without a full stop between paragraphs"
        if role is None:
            role, reason = BlockRole.BODY, "an ordinary paragraph"
        after_related = role is BlockRole.RELATED_LINK and bool(_RELATED.match(text))
        out.append((text, role, reason))
    return out


def _assemble(source_format: SourceFormat, paras: list[_Para], provenance: dict[str, str], plain: bool = False) -> ImportedText:
    paras = [p for p in (_Para(normalise_paragraph(p.text), p.role, p.reason) for p in paras) if p.text]
    if not paras:
        raise ImportFailed("no text found: the file or the pasted text holds no paragraphs")
    pieces: list[str] = []
    blocks: list[ImportedBlock] = []
    offset = 0
    for index, (text, role, reason) in enumerate(_assign_roles(paras, plain)):
        if pieces:
            pieces.append("\n\n")
            offset += 2
        pieces.append(text)
        blocks.append(ImportedBlock(id=f"b{index:02d}", role=role, start=offset, end=offset + len(text), reason=reason))
        offset += len(text)
    text = "".join(pieces) + "\n"
    headline = next((text[b.start:b.end] for b in blocks if b.role is BlockRole.HEADLINE), "")
    title = normalise_paragraph(provenance.pop("title", "")) or headline or text[blocks[0].start:blocks[0].end][:80]
    language = provenance.pop("language", "") or "en"
    return ImportedText(source_format=source_format, title=title, language=language, text=text,
                        blocks=tuple(blocks), provenance=_provenance(provenance))


_PROVENANCE_FIELDS = {"publisher": "the publisher", "date": "the publication date", "url": "the original URL", "author": "the author"}


def _provenance(found: dict[str, str]) -> Provenance:
    """Provenance from what the source says; every field it does not state is listed as unknown."""
    values = {k: normalise_paragraph(found.get(k, "")) for k in _PROVENANCE_FIELDS}
    unknowns = [f"{name} (not stated in the imported text)" for key, name in _PROVENANCE_FIELDS.items() if not values[key]]
    return Provenance(
        publisher=values["publisher"],
        original_url_known=bool(values["url"]),
        url=values["url"],
        date=values["date"] or "unknown",
        date_basis=found.get("date_basis", "") or ("stated in the file's metadata" if values["date"] else "none"),
        author=values["author"] or None,
        notes=f"Imported from {found.get('format_name', 'pasted text')}; check every field against the original page.",
        unknowns=tuple(unknowns),
    )


# --- plain text ----------------------------------------------------------------------------------

_WRAP_WIDTH = 100


def _plain_paragraphs(text: str) -> list[_Para]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paras: list[_Para] = []
    # Hard-wrapped text (every line short, as from an e-mail or a terminal): a long line that stops
    # mid-sentence continues on the next one. Otherwise each line is a paragraph.
    wrapped = max(len(line) for line in text.split("\n")) <= _WRAP_WIDTH
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines: list[str] = []
        for line in chunk.split("\n"):
            if wrapped and lines and len(lines[-1].strip()) >= 40 and not _SENTENCE_END.search(lines[-1].strip()):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paras.extend(_Para(line) for line in lines)
    return paras


def import_text(text: str, *, title: str = "") -> ImportedText:
    """Pasted text: a line break ends a paragraph; blank lines are ignored. In hard-wrapped text
    (no line longer than 100 characters) a long line that stops mid-sentence runs on."""
    found = {"title": title, "format_name": "pasted text"}
    return _assemble("text", _plain_paragraphs(text), found, plain=True)


# --- Markdown ------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_KEYS = {"title": "title", "publisher": "publisher", "source": "publisher", "site": "publisher",
               "date": "date", "published": "date", "url": "url", "link": "url", "author": "author",
               "byline": "author", "lang": "language", "language": "language"}


def _inline_text(token: object) -> str:
    out: list[str] = []
    for child in getattr(token, "children", None) or []:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(child.content if kind != "html_inline" else "")
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def _import_markdown(source: str) -> ImportedText:
    from markdown_it import MarkdownIt

    found: dict[str, str] = {"format_name": "a Markdown file"}
    match = _FRONT_MATTER.match(source)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            target = _FRONT_KEYS.get(key.strip().lower())
            if target and value.strip():
                found[target] = value.strip().strip("\"'")
        source = source[match.end():]
    tokens = MarkdownIt("commonmark").parse(source)
    paras: list[_Para] = []
    heading: str | None = None
    seen_h1 = False
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "inline":
            text = _inline_text(token)
            if heading == "h1" and not seen_h1:
                paras.append(_Para(text, BlockRole.HEADLINE, "a level-1 heading (#)"))
                seen_h1 = True
            elif heading:
                paras.append(_Para(text, BlockRole.SUBHEAD, f"a level-{heading[1]} heading"))
            elif _is_emphasised(token) and paras and [p.role for p in paras] == [BlockRole.HEADLINE]:
                paras.append(_Para(text, BlockRole.STANDFIRST, "an emphasised paragraph right after the headline"))
            else:
                paras.append(_Para(text))
        elif token.type == "heading_close":
            heading = None
        elif token.type in ("fence", "code_block"):
            paras.extend(_Para(line) for line in token.content.split("\n"))
    return _assemble("markdown", paras, found, plain=not seen_h1)


def _is_emphasised(token: object) -> bool:
    children = [c for c in getattr(token, "children", None) or [] if not (c.type == "text" and not c.content.strip())]
    return len(children) >= 3 and children[0].type in ("em_open", "strong_open") and children[-1].type in ("em_close", "strong_close")


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
        self.paras: list[_Para] = []
        self.run: list[str] = []
        self.run_context = _Context()

    def flush(self) -> None:
        text = "".join(self.run)
        self.run = []
        for line in text.split(_LINE_BREAK):
            if line.strip():
                self.paras.append(_Para(line, self.run_context.role, self.run_context.reason))

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


def _import_html(data: bytes) -> ImportedText:
    import lxml.html
    from lxml import etree

    try:
        doc = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as error:
        raise ImportFailed(f"the HTML could not be read: {error}") from None
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
    return _assemble("html", walker.paras, found, plain=not headlines)


# --- Word ----------------------------------------------------------------------------------------

_DOCX_STYLES = (
    (re.compile(r"^title$", re.I), BlockRole.HEADLINE, "Word style 'Title'"),
    (re.compile(r"^subtitle$", re.I), BlockRole.STANDFIRST, "Word style 'Subtitle'"),
    (re.compile(r"^heading 1$", re.I), BlockRole.HEADLINE, "Word style 'Heading 1'"),
    (re.compile(r"^heading [2-9]$", re.I), BlockRole.SUBHEAD, "a Word heading style"),
    (re.compile(r"^caption$", re.I), BlockRole.PHOTO_CREDIT, "Word style 'Caption'"),
    (re.compile(r"^(intense )?quote$", re.I), BlockRole.BODY, "Word style 'Quote'"),
)


def _import_docx(data: bytes) -> ImportedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportFailed(f"the file is not a Word document (.docx): {error}") from None
    props = document.core_properties
    found: dict[str, str] = {"format_name": "a Word document", "title": props.title or "", "author": props.author or "",
                             "language": props.language or ""}
    if props.created:
        found["date"] = props.created.date().isoformat()
        found["date_basis"] = "the Word file's creation date, which may not be the publication date"
    if props.identifier and props.identifier.startswith("http"):
        found["url"] = props.identifier
    paras: list[_Para] = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        role, reason = None, ""
        for pattern, style_role, why in _DOCX_STYLES:
            if pattern.match(style or ""):
                role, reason = style_role, why
                break
        if role is BlockRole.HEADLINE and any(p.role is BlockRole.HEADLINE for p in paras):
            role, reason = BlockRole.SUBHEAD, f"{reason}, after the headline"
        for line in paragraph.text.split("\n"):
            paras.append(_Para(line, role, reason))
    return _assemble("docx", paras, found, plain=not any(p.role is BlockRole.HEADLINE for p in paras))


# --- entry point ---------------------------------------------------------------------------------

_EXTENSIONS: dict[str, SourceFormat] = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                                        ".html": "html", ".htm": "html", ".docx": "docx"}


def format_for_filename(filename: str) -> SourceFormat:
    """The format of an upload from its file name; raises ``ImportFailed`` for any other kind of file."""
    lower = filename.lower()
    for extension, kind in _EXTENSIONS.items():
        if lower.endswith(extension):
            return kind
    raise ImportFailed(f"{filename!r}: upload a .txt, .md, .html or .docx file")


def _decode(data: bytes, filename: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(f"{filename!r} is neither UTF-8 nor Windows-1252 text")


def import_upload(filename: str, data: bytes) -> ImportedText:
    """An uploaded file, by its extension: ``.txt``, ``.md``, ``.html``/``.htm`` or ``.docx``.

    Raises ``ImportFailed`` for another extension, a file over :data:`MAX_UPLOAD_BYTES`, a file
    that does not parse, or one with no text.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFailed(f"{filename!r} is {len(data)} bytes; the limit is {MAX_UPLOAD_BYTES}")
    kind = format_for_filename(filename)
    match kind:
        case "text":
            imported = import_text(_decode(data, filename))
            return imported.model_copy(update={"provenance": imported.provenance.model_copy(
                update={"notes": "Imported from a text file; check every field against the original page."})})
        case "markdown":
            return _import_markdown(_decode(data, filename))
        case "html":
            return _import_html(data)
        case "docx":
            return _import_docx(data)
