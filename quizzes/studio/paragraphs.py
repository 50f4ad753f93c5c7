"""Paragraphs of an imported text: the normalisation every block gets, and the rules that propose
each paragraph's role (shared by every import format; see ``quizzes.studio.importing``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lesson.article import BlockRole

__all__ = ["Para", "normalise_paragraph", "assign_roles", "SENTENCE_END"]


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
class Para:
    """A paragraph found by a parser: its text and the role its markup implies (``None``: no opinion), and why."""

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
SENTENCE_END = re.compile(r"[.!?…][\"'”’)»]*$")


def _words(text: str) -> int:
    return len(text.split())


def _text_rule(text: str, after_related: bool) -> tuple[BlockRole, str] | None:
    """Roles a paragraph's own words give it, whatever the format (site text, links, credits)."""
    words = _words(text)
    if words <= 30 and _CHROME.match(text):
        return BlockRole.SITE_CHROME, "starts like website text (share, subscribe, comments, cookies …)"
    if words <= 20 and _RELATED.match(text):
        return BlockRole.RELATED_LINK, "starts like a link to another article (read more, related, see also …)"
    if after_related and words <= 25 and not SENTENCE_END.search(text):
        return BlockRole.RELATED_LINK, "a short title right after a 'read more' line"
    if words <= 30 and (_CREDIT_START.match(text) or (_AGENCY.search(text) and not SENTENCE_END.search(text.rstrip(")")) or "©" in text)):
        return BlockRole.PHOTO_CREDIT, "looks like a photo credit or caption (photo, ©, a picture agency)"
    return None


def assign_roles(paras: list[Para], plain: bool) -> list[tuple[str, BlockRole, str]]:
    """``(text, role, reason)`` per paragraph. The final role and reason per paragraph: the markup's role, else the text rules, else the layout
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
            ends = bool(SENTENCE_END.search(text))
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


