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
import zipfile
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lesson.article import BlockRole, Provenance
from lesson.errors import MedialitError
from quizzes.studio.html_reading import read_html
from quizzes.studio.paragraphs import SENTENCE_END, Para, assign_roles, normalise_paragraph

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


def _assemble(source_format: SourceFormat, paras: list[Para], provenance: dict[str, str], plain: bool = False) -> ImportedText:
    paras = [p for p in (Para(normalise_paragraph(p.text), p.role, p.reason) for p in paras) if p.text]
    if not paras:
        raise ImportFailed("no text found: the file or the pasted text holds no paragraphs")
    pieces: list[str] = []
    blocks: list[ImportedBlock] = []
    offset = 0
    for index, (text, role, reason) in enumerate(assign_roles(paras, plain)):
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


def _plain_paragraphs(text: str) -> list[Para]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paras: list[Para] = []
    # Hard-wrapped text (every line short, as from an e-mail or a terminal): a long line that stops
    # mid-sentence continues on the next one. Otherwise each line is a paragraph.
    wrapped = max(len(line) for line in text.split("\n")) <= _WRAP_WIDTH
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines: list[str] = []
        for line in chunk.split("\n"):
            if wrapped and lines and len(lines[-1].strip()) >= 40 and not SENTENCE_END.search(lines[-1].strip()):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paras.extend(Para(line) for line in lines)
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
    paras: list[Para] = []
    heading: str | None = None
    seen_h1 = False
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "inline":
            text = _inline_text(token)
            if heading == "h1" and not seen_h1:
                paras.append(Para(text, BlockRole.HEADLINE, "a level-1 heading (#)"))
                seen_h1 = True
            elif heading:
                paras.append(Para(text, BlockRole.SUBHEAD, f"a level-{heading[1]} heading"))
            elif _is_emphasised(token) and paras and [p.role for p in paras] == [BlockRole.HEADLINE]:
                paras.append(Para(text, BlockRole.STANDFIRST, "an emphasised paragraph right after the headline"))
            else:
                paras.append(Para(text))
        elif token.type == "heading_close":
            heading = None
        elif token.type in ("fence", "code_block"):
            paras.extend(Para(line) for line in token.content.split("\n"))
    return _assemble("markdown", paras, found, plain=not seen_h1)


def _is_emphasised(token: object) -> bool:
    children = [c for c in getattr(token, "children", None) or [] if not (c.type == "text" and not c.content.strip())]
    return len(children) >= 3 and children[0].type in ("em_open", "strong_open") and children[-1].type in ("em_close", "strong_close")


# --- HTML ----------------------------------------------------------------------------------------

def _import_html(data: bytes) -> ImportedText:
    try:
        paras, found = read_html(data)
    except ValueError as error:
        raise ImportFailed(str(error)) from None
    return _assemble("html", paras, found, plain=not any(p.role is BlockRole.HEADLINE for p in paras))


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
    paras: list[Para] = []
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
            paras.append(Para(line, role, reason))
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
