"""Suggested spans for a new text: transparent rules a teacher can read, each naming itself.

No model, no statistics: every suggestion comes from one of the :data:`RULES` below (patterns over
sentences and quotation marks) or from a list of the lexicon (``quizzes.studio.lexicon``), and says
which rule fired and why. Suggestions are proposals: the teacher accepts, edits or rejects each.

Attribution suggestions are whole sentences (with PARC source, cue and content roles where the
sentence shows them); framing suggestions are the words themselves; funding suggestions the clause
around the funding or affiliation words. Offsets are ``[start, end)`` code points into the text.

Pure: a text, its blocks and a lexicon in; a list of :class:`Suggestion` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from lesson.article import BlockRole
from lesson.text import is_word_char
from quizzes.studio.lexicon import Lexicon, default_lexicon, phrase_pattern

__all__ = ["Rule", "RULES", "RoleSpan", "SuggestedRoles", "Suggestion", "suggest", "sentences", "quotations",
           "SKIPPED_ROLES", "rules_for"]


@dataclass(frozen=True)
class Rule:
    """A suggestion rule: its id, the skill and label it proposes, and what it looks for, in words."""

    id: str
    skill: str
    label: str
    description: str


RULES: tuple[Rule, ...] = (
    Rule("quotation", "attribution", "direct_quote",
         "Four or more words inside quotation marks: someone's own words. The speaker and the reporting verb are looked for in the same sentence."),
    Rule("reported_speech", "attribution", "paraphrase",
         "A reporting verb from the lexicon (said, wrote, according to …) with no quotation marks: someone's words retold."),
    Rule("vague_source", "attribution", "vague_source",
         "A phrase from the lexicon's vague sources (media reports, experts say, it is believed …): a source no reader can look up."),
    Rule("unattributed_figure", "attribution", "unattributed",
         "A sentence in the writer's own voice with a figure (a number, percentage or amount) and no source or reporting verb."),
    Rule("unattributed_claim", "attribution", "unattributed",
         "A sentence in the writer's own voice that says what a named person, group or country did or wants, with no source or reporting verb."),
    Rule("scare_quotes", "framing", "scare_quotes",
         "One to three words in quotation marks in a sentence with no speaker: quotation marks that cast doubt on a word."),
    Rule("rhetorical_question", "framing", "emotional_appeal",
         "A question in the writer's own voice that the text does not answer: it leads the reader to the writer's answer."),
    Rule("monger_label", "framing", "name_calling",
         "A '-monger' word (warmonger, fearmongering): a label for people instead of what they do."),
    Rule("anti_label", "framing", "name_calling",
         "A label of the form anti-X or pro-X built on a name (anti-American, pro-Western): a side assigned to people."),
    Rule("funder_name", "funding", "funding_discredit",
         "An organisation whose name ends in Foundation, Fund, Endowment, Trust or Institute: a possible funder or affiliation."),
    Rule("money_amount", "funding", "funding_discredit",
         "An amount of money ($2 million, €500,000, 3 million euros) in a sentence about an organisation or person."),
)

SKIPPED_ROLES = frozenset({BlockRole.SITE_CHROME, BlockRole.PHOTO_CREDIT})
"""Blocks no rule looks at: the hosting site's text and photo credits are not the article's argument."""


class RoleSpan(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    quote: str


class SuggestedRoles(BaseModel):
    """PARC roles of a suggested attribution, where the sentence shows them."""

    model_config = ConfigDict(frozen=True)

    source: RoleSpan | None = None
    cue: RoleSpan | None = None
    content: RoleSpan


class Suggestion(BaseModel):
    """One candidate span: skill, proposed label, anchor, and every rule that proposed it (first = label's rule)."""

    model_config = ConfigDict(frozen=True)

    id: str
    skill: str
    label: str
    start: int
    end: int
    quote: str
    block: str
    rules: tuple[str, ...]
    why: str
    voice: str = "author"
    source: str | None = None
    roles: SuggestedRoles | None = None


def rules_for(lexicon: Lexicon) -> list[dict[str, str]]:
    """Every rule the teacher can read: the fixed rules and one per lexicon list (reporting verbs are a cue list)."""
    rules = [{"id": r.id, "skill": r.skill, "label": r.label, "description": r.description} for r in RULES]
    for name, entry in lexicon.lists.items():
        if name == "reporting_verbs":
            continue
        rules.append({"id": f"lexicon:{name}", "skill": entry.skill, "label": entry.label,
                      "description": f"{entry.note} Phrases from the lexicon list '{name}' ({len(entry.phrases)} phrases)."})
    return rules


# --- sentences and quotations ----------------------------------------------------------------

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "gen", "col", "lt", "sgt", "jr", "sr", "vs", "etc", "inc",
                  "ltd", "co", "corp", "gov", "sen", "rep", "u.s", "u.k", "e.g", "i.e", "jan", "feb", "aug", "sept", "oct", "nov", "dec"}
_SENTENCE_END = re.compile(r"[.!?…]+[”\"’»)\]]*(?=\s+[“\"‘«(\[]?[A-Z0-9])")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as ``[start, end)`` ranges, trimmed of whitespace."""
    out: list[tuple[int, int]] = []
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = re.search(r"([\w.]+)\.$", text[begin:match.start() + 1])
        if match.group(0) == "." and before and (before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1):
            continue
        out.append((begin, match.end()))
        begin = match.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        out.append((begin, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


@dataclass(frozen=True)
class _Quote:
    start: int  # the opening mark
    end: int  # after the closing mark
    words: int

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1


_PAIRS = {"“": "”", "«": "»", "„": "“", "‘": "’"}


def quotations(text: str, start: int, end: int) -> list[_Quote]:
    """Quotation-mark pairs inside ``text[start:end]``: curly, guillemets, straight double and single
    curly quotes (a ’ inside a word is an apostrophe, not a closing mark)."""
    found: list[_Quote] = []
    i = start
    while i < end:
        char = text[i]
        close = _PAIRS.get(char) if char != "‘" or i == start or not text[i - 1].isalnum() else None
        if char == '"':
            close = '"'
        if close is None:
            i += 1
            continue
        j = i + 1
        while j < end:
            if text[j] == close and (close != "’" or j + 1 >= end or not text[j + 1].isalnum()):
                break
            j += 1
        if j >= end or j == i + 1:
            i += 1
            continue
        inner = text[i + 1:j]
        found.append(_Quote(i, j + 1, len(inner.split())))
        i = j + 1
    return found


# --- helpers ---------------------------------------------------------------------------------------

_EDGE = " \t\n,;:–—-"
_LEADING_WORDS = re.compile(r"^(?:(?:but|and|so|yet|however|meanwhile|also|then|now|instead|moreover|still|thus)\b,?\s+)+", re.I)


def _trim(text: str, start: int, end: int, edge: str = _EDGE) -> tuple[int, int] | None:
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return (start, end) if start < end and any(c.isalnum() for c in text[start:end]) else None


def _snap(text: str, bounds: tuple[int, int] | None) -> tuple[int, int] | None:
    """Widen a span that starts or ends inside a word (``influence’`` where ’ may be an apostrophe)
    to the word's edge, so every suggestion is an anchor the pack validator accepts."""
    if bounds is None:
        return None
    start, end = bounds
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    return start, end


def _span(text: str, bounds: tuple[int, int] | None) -> RoleSpan | None:
    bounds = _snap(text, bounds)
    return RoleSpan(start=bounds[0], end=bounds[1], quote=text[bounds[0]:bounds[1]]) if bounds else None


def _matches(patterns: Sequence[re.Pattern[str]], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    for pattern in patterns:
        yield from pattern.finditer(text, start, end)


def _inside(position: int, quotes: Iterable[_Quote]) -> bool:
    return any(q.start <= position < q.end for q in quotes)


@dataclass
class _Found:
    skill: str
    label: str
    start: int
    end: int
    block: str
    rule: str
    why: str
    voice: str = "author"
    source: str | None = None
    roles: SuggestedRoles | None = None


_FIGURE = re.compile(r"(?<![\w.])(\d[\d,.]*\s?(%|percent|per cent)|\d[\d,.]*\s+(million|billion|thousand|hundred)|"
                     r"[$€£¥₽]\s?\d[\d,.]*(\s?(million|billion|thousand|m|bn|k))?|\d[\d,.]*\s?(dollars|euros|pounds|rubles|roubles)|"
                     r"\b\d{2,}[\d,.]*\b)", re.IGNORECASE)
_MONEY = re.compile(r"([$€£¥₽]\s?\d[\d,.]*(\s?(million|billion|thousand|m|bn|k)\b)?|\d[\d,.]*\s?(million|billion|thousand)?\s?"
                    r"(dollars|euros|pounds|rubles|roubles|USD|EUR)\b)", re.IGNORECASE)
_FUNDER = re.compile(r"\b(?:[A-Z][\w’'.&-]*\s+(?:(?:of|for|and|the)\s+)?){1,5}(?:Foundations?|Fund|Endowment|Trust|Institute)\b")
_MONGER = re.compile(r"\b[\w-]*mongers?\b|\b[\w-]*-?mongering\b", re.IGNORECASE)
_ANTI_LABEL = re.compile(r"(?<![\w-])(?:anti|pro)-[A-Z][\w’']+")
_NAMED_ACTOR = re.compile(r"\b[A-Z][a-z’']+(?:\s+[A-Z][a-z’']+)*\b")
_ACTION = re.compile(r"\b\w+(?:ed|ing)\b|\b(?:is|are|was|were|has|have|had|wants|seeks|tries|plans|supports|opposes)\b")


class _Suggester:
    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        lists = lexicon.lists
        self.cues = [phrase_pattern(p) for name in ("reporting_verbs", "diminishing_verbs") if name in lists for p in lists[name].phrases]
        self.vague = [phrase_pattern(p) for p in lists["vague_sources"].phrases] if "vague_sources" in lists else []
        self.phrase_lists = [(name, entry, [phrase_pattern(p) for p in entry.phrases])
                             for name, entry in lists.items() if name != "reporting_verbs"]
        self.found: list[_Found] = []

    def add(self, skill: str, label: str, bounds: tuple[int, int] | None, block: str, rule: str, why: str, **extra: object) -> None:
        bounds = _snap(self.text, bounds)
        if bounds:
            self.found.append(_Found(skill, label, bounds[0], bounds[1], block, rule, why, **extra))  # type: ignore[arg-type]

    def cue_in(self, start: int, end: int, quotes: Sequence[_Quote]) -> list[re.Match[str]]:
        return sorted((m for m in _matches(self.cues, self.text, start, end) if not _inside(m.start(), quotes)), key=lambda m: m.start())

    def block(self, block_id: str, start: int, end: int) -> None:
        text = self.text
        quotes = quotations(text, start, end)
        for s_start, s_end in sentences(text, start, end):
            sentence = (s_start, s_end)
            in_sentence = [q for q in quotes if s_start <= q.start < s_end]
            cues = self.cue_in(s_start, s_end, quotes)
            long_quotes = [q for q in in_sentence if q.words >= 4]
            vague = [m for m in _matches(self.vague, text, s_start, s_end) if not _inside(m.start(), quotes)]
            if vague:
                phrase = text[vague[0].start():vague[0].end()]
                self.add("attribution", "vague_source", _trim(text, *sentence), block_id, "vague_source",
                         f"“{phrase}” names no source a reader could look up.", source=phrase)
            if long_quotes:
                self.quotation(block_id, sentence, long_quotes, cues)
            elif cues:
                self.reported(block_id, sentence, cues, quotes)
            elif not vague:
                self.unattributed(block_id, sentence, quotes)
            if text[s_start:s_end].rstrip("”\"’» ").endswith("?") and not any(q.start <= s_start and s_end <= q.end for q in quotes):
                self.add("framing", "emotional_appeal", _trim(text, *sentence), block_id, "rhetorical_question",
                         "A question the writer asks the reader; what answer does the text lead you to?")
            for quote in in_sentence:
                if quote.words <= 3 and not cues:
                    self.add("framing", "scare_quotes", (quote.start, quote.end), block_id, "scare_quotes",
                             f"{text[quote.start:quote.end]} is in quotation marks, but no one in the sentence is quoted as saying it.")
            self.funding(block_id, sentence)
        for name, entry, patterns in self.phrase_lists:
            if entry.skill == "attribution":
                continue
            for match in _matches(patterns, text, start, end):
                if entry.skill == "framing":
                    self.add("framing", entry.label, (match.start(), match.end()), block_id, f"lexicon:{name}",
                             f"“{match.group(0)}” is in the lexicon list '{name}': {entry.note}")
                else:
                    self.add("funding", entry.label, self.clause(match.start(), match.end(), start, end), block_id,
                             f"lexicon:{name}", f"“{match.group(0)}” is in the lexicon list '{name}': {entry.note}")
        for match in _MONGER.finditer(text, start, end):
            self.add("framing", "name_calling", (match.start(), match.end()), block_id, "monger_label",
                     f"“{match.group(0)}” labels people instead of describing what they do.")
        for match in _ANTI_LABEL.finditer(text, start, end):
            self.add("framing", "name_calling", (match.start(), match.end()), block_id, "anti_label",
                     f"“{match.group(0)}” sorts people onto a side instead of describing what they do.")

    def quotation(self, block_id: str, sentence: tuple[int, int], quotes: Sequence[_Quote], cues: Sequence[re.Match[str]]) -> None:
        text = self.text
        first, last = quotes[0], quotes[-1]
        cue = min(cues, key=lambda m: min(abs(m.start() - first.start), abs(m.start() - last.end))) if cues else None
        source_bounds = None
        if cue is not None:
            if cue.end() <= first.start:
                source_bounds = self.source_before(sentence[0], cue.start())
                if source_bounds is None:
                    source_bounds = self.source_after(cue.end(), first.start)
            else:
                source_bounds = self.source_after(cue.end(), sentence[1]) or self.source_before(last.end, cue.start())
        content = _trim(text, *first.inner, edge=" ")
        source_text = text[source_bounds[0]:source_bounds[1]] if source_bounds else None
        roles = SuggestedRoles(source=_span(text, source_bounds), cue=_span(text, (cue.start(), cue.end()) if cue else None),
                               content=_span(text, content)) if content else None
        why = (f"Quoted words, linked to {source_text!r} by “{cue.group(0)}”." if cue and source_text
               else "Quoted words; the sentence does not say clearly who said them.")
        self.add("attribution", "direct_quote", _trim(text, *sentence), block_id, "quotation", why,
                 voice=source_text or "author", source=source_text, roles=roles)

    def reported(self, block_id: str, sentence: tuple[int, int], cues: Sequence[re.Match[str]], quotes: Sequence[_Quote]) -> None:
        text = self.text
        cue = cues[0]
        cue_text = cue.group(0)
        if cue_text.lower() == "according to":
            source_bounds = self.source_after(cue.end(), sentence[1])
            if cue.start() - sentence[0] > 3:
                content = _trim(text, sentence[0], cue.start())
            else:
                comma = text.find(",", cue.end(), sentence[1])
                content = _trim(text, comma + 1, sentence[1], edge=_EDGE + ".") if comma >= 0 else None
        else:
            source_bounds = self.source_before(sentence[0], cue.start())
            after = cue.end()
            that = re.match(r"\s+(?:that\s+)?", text[after:sentence[1]])
            content = _trim(text, after + (that.end() if that else 0), sentence[1], edge=_EDGE + ".")
        source_text = text[source_bounds[0]:source_bounds[1]] if source_bounds else None
        roles = SuggestedRoles(source=_span(text, source_bounds), cue=_span(text, (cue.start(), cue.end())),
                               content=_span(text, content)) if content else None
        why = f"“{cue_text}” reports someone's words" + (f" ({source_text!r})." if source_text else ".")
        self.add("attribution", "paraphrase", _trim(text, *sentence), block_id, "reported_speech", why,
                 voice=source_text or "author", source=source_text, roles=roles)

    def unattributed(self, block_id: str, sentence: tuple[int, int], quotes: Sequence[_Quote]) -> None:
        text = self.text
        body = text[sentence[0]:sentence[1]]
        if body.rstrip().endswith("?"):
            return
        figures = [m for m in _FIGURE.finditer(text, *sentence) if not re.fullmatch(r"(19|20)\d\d", m.group(0))]
        if figures:
            self.add("attribution", "unattributed", _trim(text, *sentence), block_id, "unattributed_figure",
                     f"The figure “{figures[0].group(0)}” is given with no source.")
            return
        actors = [m for m in _NAMED_ACTOR.finditer(body) if m.start() > 0 or len(m.group(0).split()) > 1]
        if actors and _ACTION.search(body) and len(body.split()) >= 6:
            self.add("attribution", "unattributed", _trim(text, *sentence), block_id, "unattributed_claim",
                     f"Says what {actors[0].group(0)} did or wants, with no source.")

    def funding(self, block_id: str, sentence: tuple[int, int]) -> None:
        text = self.text
        for match in _FUNDER.finditer(text, *sentence):
            self.add("funding", "funding_discredit", self.clause(match.start(), match.end(), *sentence), block_id, "funder_name",
                     f"“{match.group(0).strip()}” may be a funder or an affiliation: is it an answer to what anyone says?")
        for match in _MONEY.finditer(text, *sentence):
            self.add("funding", "funding_discredit", self.clause(match.start(), match.end(), *sentence), block_id, "money_amount",
                     f"An amount of money, “{match.group(0).strip()}”: who is said to pay whom, and does it bear on the argument?")

    def clause(self, start: int, end: int, lo: int, hi: int) -> tuple[int, int] | None:
        """The clause around ``[start, end)``: out to the nearest comma, semicolon, dash or sentence end."""
        text = self.text
        left = max((text.rfind(c, lo, start) for c in ",;:–—.!?"), default=-1)
        left = left + 1 if left >= lo else lo
        rights = [i for i in (text.find(c, end, hi) for c in ",;:–—!?") if i >= 0]
        period = re.search(r"\.(\s|$|[”\"’])", text[end:hi])
        if period:
            rights.append(end + period.start())
        right = min(rights) if rights else hi
        return _trim(text, left, right, edge=_EDGE + ".")

    def source_before(self, lo: int, cue_start: int) -> tuple[int, int] | None:
        text = self.text
        lo = max([lo] + [text.rfind(c, lo, cue_start) + 1 for c in "–—;" if text.rfind(c, lo, cue_start) >= 0])
        while lo < cue_start and text[lo].isspace():
            lo += 1
        chunk = text[lo:cue_start]
        lead = _LEADING_WORDS.match(chunk)
        start = lo + (lead.end() if lead else 0)
        bounds = _trim(text, start, cue_start, edge=_EDGE + "”\"’")
        if bounds and len(text[bounds[0]:bounds[1]].split()) <= 10:
            return bounds
        return None

    def source_after(self, cue_end: int, hi: int) -> tuple[int, int] | None:
        """The words right after a cue up to the next punctuation (``said Tom Berg.``), at most eight."""
        text = self.text
        match = re.match(r"\s*([^,.;:!?“”\"()–—]+)", text[cue_end:hi])
        if not match or len(match.group(1).split()) > 8:
            return None
        start = cue_end + match.start(1)
        return _trim(text, start, start + len(match.group(1)))


_SKILL_ORDER = {"attribution": 0, "framing": 1, "funding": 2}
_ATTRIBUTION_PRIORITY = {"vague_source": 0, "quotation": 1, "reported_speech": 2, "unattributed_figure": 3, "unattributed_claim": 4}


def _merge(found: list[_Found], text: str) -> list[Suggestion]:
    """One suggestion per skill and span (the rules that agree are listed together); a span inside a
    longer one of the same skill and label adds its rule to the longer one."""
    by_key: dict[tuple[str, int, int], list[_Found]] = {}
    for f in found:
        by_key.setdefault((f.skill, f.start, f.end), []).append(f)
    groups = sorted(by_key.values(), key=lambda g: (-(g[0].end - g[0].start)))
    kept: list[list[_Found]] = []
    for group in groups:
        head = group[0]
        outer = next((k for k in kept if k[0].skill == head.skill and k[0].start <= head.start and head.end <= k[0].end
                      and {f.label for f in k} & {f.label for f in group}), None)
        if outer is not None:
            outer.extend(f for f in group if f.rule not in {o.rule for o in outer})
        else:
            kept.append(list(group))
    out: list[Suggestion] = []
    for group in sorted(kept, key=lambda g: (g[0].start, _SKILL_ORDER[g[0].skill], g[0].end)):
        group.sort(key=lambda f: _ATTRIBUTION_PRIORITY.get(f.rule, 9))
        best = group[0]
        roles_from = next((f for f in group if f.roles is not None), None)
        out.append(Suggestion(
            id=f"s{len(out) + 1}", skill=best.skill, label=best.label, start=best.start, end=best.end,
            quote=text[best.start:best.end], block=best.block, rules=tuple(dict.fromkeys(f.rule for f in group)),
            why=" ".join(dict.fromkeys(f.why for f in group)), voice=(roles_from or best).voice,
            source=next((f.source for f in group if f.source), None), roles=roles_from.roles if roles_from else None,
        ))
    return out


def suggest(text: str, blocks: Iterable[tuple[str, BlockRole | str, int, int]], lexicon: Lexicon | None = None) -> list[Suggestion]:
    """Every suggestion for ``text``: ``blocks`` are ``(id, role, start, end)``; blocks of the
    :data:`SKIPPED_ROLES` are not looked at. Suggestions come in text order, ids ``s1``, ``s2`` …"""
    worker = _Suggester(text, lexicon or default_lexicon())
    for block_id, role, start, end in blocks:
        if BlockRole(role) in SKIPPED_ROLES:
            continue
        worker.block(block_id, start, end)
    return _merge(worker.found, text)
