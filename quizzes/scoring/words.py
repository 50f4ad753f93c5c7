"""Words of a free-text answer: tokens with lemmas, phrase search, function words, dates.

Used by the text scorers (:mod:`quizzes.scoring.short_answer`, :mod:`quizzes.scoring.rewrite`) and by the authoring checks. Pure: the
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
from functools import lru_cache
from typing import NamedTuple

import simplemma

from quizzes.scoring.selectors import fold_quote

__all__ = [
    "NEGATORS",
    "FUNCTION_WORDS",
    "Token",
    "tokens",
    "phrase_tokens",
    "find",
    "occurs",
    "WordIndex",
    "first_keys",
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


class Token(NamedTuple):
    """One word: ``form`` as written (possessive dropped), ``lower`` case-folded, ``lemma`` its base form;
    ``gap`` is the text between the previous word and this one (spaces, punctuation).

    A named tuple, not a frozen dataclass: every word of every answer makes one, and a frozen
    dataclass's ``__init__`` costs several times as much (one ``object.__setattr__`` a field).
    """

    form: str
    lower: str
    lemma: str
    sentence: int
    acronym: bool
    gap: str = ""


@lru_cache(maxsize=65536)
def _lemma(lower: str) -> str:
    return simplemma.lemmatize(lower, lang="en").casefold()


@lru_cache(maxsize=65536)
def _word(form: str) -> tuple[str, str, bool]:
    """``(lower, lemma, acronym)`` of a word form: the lemma lookup and the regular expressions run
    once per form, not once per occurrence (an answer's words are mostly the class's vocabulary)."""
    lower = form.casefold()
    return lower, _lemma(lower), _ACRONYM.match(form) is not None


def _fold(text: str) -> str:
    """``normalise_for_matching(text)[0]``, without building its position map (``fold_quote`` is
    that very folding, and a test keeps the two equal)."""
    return fold_quote(text)


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of ``text`` in order, each with its sentence number (0-based)."""
    folded = _fold(text)
    out: list[Token] = []
    boundaries = [m.end() for m in _SENTENCE_END.finditer(folded)]
    boundaries.append(len(folded) + 1)  # a sentinel no word reaches
    next_boundary = boundaries[0]
    sentence = 0
    last_end = 0
    word = _word
    append = out.append
    new = tuple.__new__  # what Token._make does: no Python-level __new__ per word
    for match in _TOKEN.finditer(folded):
        begin = match.start()
        while begin >= next_boundary:
            sentence += 1
            next_boundary = boundaries[sentence]
        form = match.group()
        if len(form) > 2 and form.endswith(("'s", "'S")):
            form = form[:-2]
        lower, lemma, acronym = word(form)
        append(new(Token, (form, lower, lemma, sentence, acronym, folded[last_end:begin])))
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

    __slots__ = ("words", "_forms", "_lowers", "_lemmas", "vocabulary")

    def __init__(self, words: tuple[Token, ...]) -> None:
        self.words = words
        forms: dict[str, list[int]] = {}
        lowers: dict[str, list[int]] = {}
        lemmas: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            forms.setdefault(w.form, []).append(i)
            lowers.setdefault(w.lower, []).append(i)
            lemmas.setdefault(w.lemma, []).append(i)
        self._forms, self._lowers, self._lemmas = forms, lowers, lemmas
        self.vocabulary = lowers.keys() | lemmas.keys() | forms.keys()
        """Every form, lower-cased form and lemma of the answer: a phrase whose :func:`first_keys` are
        all missing here cannot occur (a cheap test before :meth:`starts_of`)."""

    def may_start(self, keys: frozenset[str]) -> bool:
        """False when no word can begin a phrase whose first word has these :func:`first_keys`."""
        return not keys.isdisjoint(self.vocabulary)

    def _candidates(self, first: Token) -> list[int]:
        if first.acronym:
            lists = [self._forms.get(first.form), self._forms.get(first.form + "s")]
        else:
            lowers, lemmas = self._lowers, self._lemmas
            lists = [lowers.get(first.lower), lemmas.get(first.lemma), lemmas.get(first.lower), lowers.get(first.lemma)]
        found = [positions for positions in lists if positions]
        if not found:
            return []
        if len(found) == 1:
            return found[0]  # each list is in order already
        return sorted({i for positions in found for i in positions})

    def starts(self, phrase: str) -> list[int]:
        """Every index where ``phrase`` begins, negated or not, in order."""
        return self.starts_of(phrase_tokens(phrase))

    def starts_of(self, want: tuple[Token, ...]) -> list[int]:
        """:meth:`starts` of a phrase already tokenised (``phrase_tokens``)."""
        n = len(want)
        if not n:
            return []
        candidates = self._candidates(want[0])
        if not candidates or n == 1:
            return list(candidates)
        words = self.words
        return [
            i for i in candidates
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


def first_keys(want: tuple[Token, ...]) -> frozenset[str]:
    """What an answer word must be (form, lower-cased form or lemma) to begin the phrase ``want``:
    a superset, for :meth:`WordIndex.may_start`; empty for an empty phrase."""
    if not want:
        return frozenset()
    first = want[0]
    if first.acronym:
        return frozenset({first.form, first.form + "s"})
    return frozenset({first.lower, first.lemma})


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
