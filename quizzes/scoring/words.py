"""Words of a free-text answer: tokens with lemmas, phrase search, function words, dates.

Used by the text scorers (:mod:`quizzes.scoring.text`) and by the authoring checks. Pure: the
English lemma dictionary of ``simplemma`` (MIT, pure Python) is loaded once when this module is
imported, never below ``score()``.

Matching rules, one place for both exercise types:

- quotes, dashes and whitespace are folded; a token is a run of letters and digits, with inner
  apostrophes and hyphens (``anti-war``, ``Russia's``); a trailing possessive ``'s`` is dropped;
- a phrase word matches an answer word with the same lemma or the same lower-cased form
  (``fund`` matches *funded* and *funds*, ``look up`` matches *looked up*), whole words only;
- an **acronym** (two or more capitals, such as ``US``, ``NATO``, ``RT``) matches only the same
  capitals, with an optional plural ``s``: the pronoun *us* is not ``US``;
- a phrase occurrence is **negated** when ``not``, ``no``, ``never``, ``nothing`` or a word
  ending in ``n't`` is among the three words before it in the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from lesson.text import normalise_for_matching

__all__ = [
    "NEGATORS",
    "FUNCTION_WORDS",
    "Token",
    "tokens",
    "phrase_tokens",
    "find",
    "occurs",
    "WordIndex",
    "is_negated",
    "repetition",
    "count_words",
    "function_share",
    "date_forms",
]

NEGATORS = frozenset({"not", "no", "never", "nothing"})

FUNCTION_WORDS = frozenset(
    """a an the and or but nor so yet if then than that this these those there here of to in on at by
    for with from as into onto about over under after before since until while during through between
    against among without within across along around behind beyond toward towards upon via per
    is are was were be been being am do does did done have has had having can could may might must
    shall should will would i me my mine we us our ours you your yours he him his she her hers it its
    they them their theirs who whom whose which what when where why how not no nor also too very just
    only even still all any some each every both either neither such own same other another more most
    much many few less least one ones itself himself herself themselves ourselves yourself however
    because although though whether whereas unless again ever never s""".split()
)
"""Closed-class English words: they carry no content, and prose cannot do without them."""

_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?;:]+(?=\s|$)")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]+$")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")

simplemma.lemmatize("warm", lang="en")  # load the dictionary now, not below score()


@dataclass(frozen=True, slots=True)
class Token:
    """One word: ``form`` as written (possessive dropped), ``lower`` case-folded, ``lemma`` its base form;
    ``gap`` is the text between the previous word and this one (spaces, punctuation)."""

    form: str
    lower: str
    lemma: str
    sentence: int
    acronym: bool
    gap: str = ""


@lru_cache(maxsize=65536)
def _lemma(lower: str) -> str:
    return simplemma.lemmatize(lower, lang="en").casefold()


def _fold(text: str) -> str:
    return normalise_for_matching(text)[0]


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of ``text`` in order, each with its sentence number (0-based)."""
    folded = _fold(text)
    out: list[Token] = []
    sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(folded)]
    sentence = 0
    last_end = 0
    for match in _TOKEN.finditer(folded):
        while sentence + 1 < len(sentence_starts) and match.start() >= sentence_starts[sentence + 1]:
            sentence += 1
        form = match.group()
        if form.endswith(("'s", "'S")) and len(form) > 2:
            form = form[:-2]
        lower = form.casefold()
        out.append(Token(form, lower, _lemma(lower), sentence, bool(_ACRONYM.match(form)), folded[last_end:match.start()]))
        last_end = match.end()
    return tuple(out)


def phrase_tokens(phrase: str) -> tuple[Token, ...]:
    """The words of a rubric phrase, a kept fact or a loaded word, tokenised like an answer."""
    return tokens(phrase)


def _same(word: Token, want: Token) -> bool:
    if want.acronym:
        return word.form == want.form or word.form == want.form + "s"
    return word.lower == want.lower or word.lemma == want.lemma or word.lemma == want.lower or word.lower == want.lemma


def is_negated(words: tuple[Token, ...], at: int) -> bool:
    """Whether the word at ``at`` follows a negator within three words of the same sentence."""
    return _negated(words, at)


def _negated(words: tuple[Token, ...], at: int) -> bool:
    sentence = words[at].sentence
    before = [w for w in words[max(0, at - 3):at] if w.sentence == sentence]
    return any(w.lower in NEGATORS or w.lower.endswith("n't") for w in before)


class WordIndex:
    """The words of one answer indexed by form, lower case and lemma, so a phrase is looked up, not scanned for."""

    __slots__ = ("words", "_at")

    def __init__(self, words: tuple[Token, ...]) -> None:
        self.words = words
        at: dict[tuple[str, str], list[int]] = {}
        for i, w in enumerate(words):
            for key in (("f", w.form), ("l", w.lower), ("m", w.lemma)):
                at.setdefault(key, []).append(i)
        self._at = at

    def _candidates(self, first: Token) -> list[int]:
        if first.acronym:
            keys = [("f", first.form), ("f", first.form + "s")]
        else:
            keys = [("l", first.lower), ("m", first.lemma), ("m", first.lower), ("l", first.lemma)]
        found: set[int] = set()
        for key in keys:
            found.update(self._at.get(key, ()))
        return sorted(found)

    def starts(self, phrase: str) -> list[int]:
        """Every index where ``phrase`` begins, negated or not, in order."""
        want = phrase_tokens(phrase)
        n = len(want)
        if not n:
            return []
        words = self.words
        return [
            i for i in self._candidates(want[0])
            if i + n <= len(words) and all(_same(words[i + k], want[k]) for k in range(1, n))
        ]

    def find(self, phrase: str, *, negation_guard: bool = True) -> int | None:
        """The first index of ``phrase`` (not negated when guarded), or ``None``."""
        for i in self.starts(phrase):
            if not negation_guard or not _negated(self.words, i):
                return i
        return None

    def occurs(self, phrase: str, *, negation_guard: bool = True) -> bool:
        return self.find(phrase, negation_guard=negation_guard) is not None


def find(words: tuple[Token, ...], phrase: str, *, negation_guard: bool = True) -> int | None:
    """The index of the first occurrence of ``phrase`` in ``words`` (not negated when guarded), or ``None``."""
    return WordIndex(words).find(phrase, negation_guard=negation_guard)


def occurs(words: tuple[Token, ...], phrase: str, *, negation_guard: bool = True) -> bool:
    """Whether ``phrase`` occurs in ``words`` (see :func:`find`)."""
    return find(words, phrase, negation_guard=negation_guard) is not None


def repetition(words: tuple[Token, ...]) -> float:
    """Share (0..1) of the word trigrams (by lemma) that already occurred earlier: padding repeats, prose does not."""
    lemmas = [w.lemma for w in words]
    seen: set[tuple[str, ...]] = set()
    repeated = total = 0
    for i in range(len(lemmas) - 2):
        gram = tuple(lemmas[i:i + 3])
        total += 1
        repeated += gram in seen
        seen.add(gram)
    return repeated / total if total else 0.0


def count_words(text: str) -> int:
    return len(tokens(text))


def function_share(words: tuple[Token, ...]) -> float:
    """Share (0..1) of ``words`` that are function words; prose has a quarter or more, a keyword list almost none."""
    if not words:
        return 0.0
    return sum(1 for w in words if w.lower in FUNCTION_WORDS) / len(words)


_DATE_MDY = re.compile(r"^\s*([A-Za-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\s*$")
_DATE_DMY = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+),?\s+(\d{4})\s*$")


def date_forms(fact: str) -> tuple[str, ...]:
    """Other ways of writing a date fact: "May 2, 2014" -> "2 May 2014", "2nd May 2014", "2014-05-02" ...

    Empty when ``fact`` is not a day-month-year date. Both orders, ordinals and "of" are accepted,
    so the phrase search (which ignores punctuation) finds any of them.
    """
    for pattern, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy")):
        m = pattern.match(fact)
        if not m:
            continue
        month, day, year = (m.group(1), m.group(2), m.group(3)) if order == "mdy" else (m.group(2), m.group(1), m.group(3))
        if month.casefold() not in _MONTHS:
            return ()
        number = _MONTHS.index(month.casefold()) + 1
        d = int(day)
        suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        forms = [f"{month} {d} {year}", f"{month} {d}{suffix} {year}", f"{d} {month} {year}", f"{d}{suffix} {month} {year}",
                 f"{d} of {month} {year}", f"{d}{suffix} of {month} {year}", f"{year}-{number:02d}-{d:02d}"]
        return tuple(dict.fromkeys(forms))
    return ()
