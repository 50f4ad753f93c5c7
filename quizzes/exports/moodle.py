"""Moodle XML of one quiz, for Moodle's question bank import ("Moodle XML format").

Mapping (Moodle question type in brackets):

- ``single_choice`` (``multichoice``, one answer): the right option 100 %, the others 0 %.
- ``multi_choice`` (``multichoice``, several answers): each right option ``100/|correct|`` %, each
  wrong one ``-penalty * 100/|correct|`` %; Moodle adds the selected fractions and clamps to
  [0, 100 %], which is exactly our rule. A fraction outside Moodle's list of grades is reported.
- ``match`` (``matching``): Moodle scores pairs proportionally; ``all_or_nothing`` cannot be
  expressed and is reported. Right items no left item pairs with become distractor answers.
- ``short_answer`` and ``rewrite`` (``essay``): the rubric and model answer go in ``graderinfo``,
  which only graders see; the rewrite's sentence is quoted in the question text.
- ``highlight`` (``wordselect``, the Word-select plugin ``qtype_wordselect``, in multiword mode):
  key items in double brackets ``[[...]]`` (correct), foils and every other phrase of the scope in
  single brackets ``[...]`` (selectable, not correct), and a ``wordpenalty`` from
  :func:`wordselect_penalty`. The plugin must be installed on the site. For a site without it,
  ``highlight="cloze"`` writes the same pieces as one Cloze multi-response list
  (``{1:MULTIRESPONSE:...}``) under the passage, graded by Moodle's own rule with the same penalty.
- ``label_spans`` (``multianswer``, Moodle's Cloze): after each key item and foil a drop-down of the
  offered labels plus "no technique here"; the right label 100 %, a related label
  ``related_credit`` %. Finding the passages is not tested in this form (the passages are marked).
- ``attribution_roles`` (``multianswer``): the claim, then one drop-down per role listing the
  claim's pieces, weighted as the exercise's role weights.

Every question carries the exercise id as ``<idnumber>``. Moodle's Cloze importer does not read it
(``qformat_xml::import_multianswer``), so Cloze questions also carry the id in their name,
``Title [id]``, where the question bank shows and searches it.

All functions are pure and return text; notes say what could not be carried over.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Literal

from lxml import etree

from lesson.bundle import LessonPack
from quizzes.bank import Bank, Quiz
from quizzes.exercises import (
    AttributionRolesExercise,
    ChoiceOption,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MatchItem,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.exports.scorer_notes import scorer_notes
from quizzes.exports.units import ScopedText, Unit, fill, pieces, scoped_units

__all__ = [
    "MOODLE_GRADES",
    "SELECT_ALL_CEILING",
    "HighlightForm",
    "MoodleExport",
    "moodle_percent",
    "moodle_xml",
    "cloze_escape",
    "wordselect_penalty",
]

HighlightForm = Literal["wordselect", "cloze"]

MOODLE_GRADES = frozenset(
    Fraction(n, d) for n, d in [(1, 1), (9, 10), (5, 6), (4, 5), (3, 4), (7, 10), (2, 3), (3, 5), (1, 2), (2, 5),
                                 (1, 3), (3, 10), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (1, 9), (1, 10), (1, 20), (0, 1)]
)
"""The grades Moodle's question editor offers (``question_bank::fraction_options_full``), as fractions of 1."""

NO_TECHNIQUE = "No technique here"

SELECT_ALL_CEILING = Fraction(1, 5)
"""The most a student may earn in Moodle by selecting every piece of a highlight question."""


@dataclass(frozen=True, slots=True)
class MoodleExport:
    text: str
    notes: tuple[str, ...]


def moodle_percent(value: Fraction) -> str:
    """A fraction of 1 as Moodle's percent attribute: ``"33.33333"``, ``"-50"``, ``"100"``."""
    text = f"{float(value * 100):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _html(parent: etree._Element, tag: str, markup: str) -> etree._Element:
    holder = _sub(parent, tag, format="html")
    _sub(holder, "text").text = etree.CDATA(markup)
    return holder


def wordselect_penalty(keys: int, others: int) -> Fraction:
    """The fraction of one right piece that each wrongly selected piece costs, for ``keys`` right and
    ``others`` wrong pieces.

    Moodle (word-select's grader, and a Cloze multi-response list) scores
    ``max(0, right/keys - penalty * wrong/keys)``, so selecting every piece earns
    ``1 - penalty * others/keys``. The penalty is 1 (one wrong piece cancels one right one, the
    plugin's default) unless the scope has too few other pieces for that to keep "select
    everything" at or below :data:`SELECT_ALL_CEILING`; then it is just large enough to. With no
    other piece at all, selecting everything is the key itself and the penalty is 1.
    """
    if keys < 1:
        raise ValueError("a highlight question needs at least one right piece")
    if others == 0:
        return Fraction(1)
    return max(Fraction(1), (1 - SELECT_ALL_CEILING) * keys / others)


def _decimal_up(value: Fraction, places: int = 7) -> str:
    """``value`` with ``places`` decimals, rounded up (Moodle stores the word penalty as NUMBER(12,7))."""
    scaled = math.ceil(value * 10**places)
    whole, rest = divmod(scaled, 10**places)
    return f"{whole}.{rest:0{places}d}".rstrip("0") if rest else str(whole)


def _question(quiz: etree._Element, kind: str, exercise: Exercise, text: str, grade: Fraction | int | None = None) -> etree._Element:
    question = _sub(quiz, "question", type=kind)
    # Moodle's Cloze importer ignores <idnumber>; the name is where the question bank shows the id.
    name = f"{exercise.title} [{exercise.id}]" if kind == "cloze" else exercise.title
    _sub(_sub(question, "name"), "text", name)
    _html(question, "questiontext", text)
    _html(question, "generalfeedback", "")
    if grade is not None:
        _sub(question, "defaultgrade", f"{float(grade):g}")
    _sub(question, "penalty", "0")
    _sub(question, "hidden", "0")
    _sub(question, "idnumber", exercise.id)
    return question


def _p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def _choice(quiz: etree._Element, exercise: SingleChoiceExercise | MultiChoiceExercise, notes: list[str]) -> None:
    question = _question(quiz, "multichoice", exercise, _p(exercise.prompt), exercise.points)
    single = isinstance(exercise, SingleChoiceExercise)
    _sub(question, "single", "true" if single else "false")
    _sub(question, "shuffleanswers", _shuffle_answers(exercise, exercise.options, notes))
    _sub(question, "answernumbering", "abc")
    right = sum(o.correct for o in exercise.options)
    for option in exercise.options:
        if single:
            fraction = Fraction(1 if option.correct else 0)
        else:
            fraction = Fraction(1, right) if option.correct else max(Fraction(-1), -exercise.penalty * Fraction(1, right))
        if abs(fraction) not in MOODLE_GRADES:
            notes.append(f"{exercise.id}: option {option.id} is worth {moodle_percent(fraction)} %, not a Moodle grade; Moodle may round it")
        answer = _sub(question, "answer", fraction=moodle_percent(fraction), format="html")
        _sub(answer, "text").text = etree.CDATA(html.escape(option.text, quote=False))
        _html(answer, "feedback", html.escape(option.feedback, quote=False))


def _shuffle_answers(exercise: SingleChoiceExercise | MultiChoiceExercise | MatchExercise,
                     items: tuple[ChoiceOption, ...] | tuple[MatchItem, ...], notes: list[str]) -> str:
    """``1``: Moodle shuffles the answers, as medialit does. Moodle cannot pin one answer in place, so an
    exercise with a pinned option keeps the file order (``0``), which lint keeps free of cues."""
    pinned = [i.id for i in items if i.pinned]
    if pinned:
        notes.append(f"{exercise.id}: Moodle cannot keep {', '.join(pinned)} in place while shuffling the rest; "
                     "its answers keep the file order")
        return "0"
    return "1" if len(items) >= 2 else "0"


def _match(quiz: etree._Element, exercise: MatchExercise, notes: list[str]) -> None:
    question = _question(quiz, "matching", exercise, _p(exercise.prompt), exercise.points)
    _sub(question, "shuffleanswers", _shuffle_answers(exercise, exercise.right, notes))
    if exercise.policy == "all_or_nothing":
        notes.append(f"{exercise.id}: Moodle scores matching pairs proportionally; all_or_nothing is not kept")
    right = {r.id: r.text for r in exercise.right}
    for left in exercise.left:
        sub = _sub(question, "subquestion", format="html")
        _sub(sub, "text").text = etree.CDATA(html.escape(left.text, quote=False))
        _sub(_sub(sub, "answer"), "text", right[exercise.pairs[left.id]])
    for unused in [r for r in exercise.right if r.id not in exercise.pairs.values()]:
        sub = _sub(question, "subquestion", format="html")
        _sub(sub, "text", "")
        _sub(_sub(sub, "answer"), "text", unused.text)


def _essay(quiz: etree._Element, exercise: ShortAnswerExercise | RewriteExercise, pack: LessonPack) -> None:
    text = _p(exercise.prompt)
    if isinstance(exercise, RewriteExercise):
        text += f"<blockquote>{_p(exercise.target.quote)}</blockquote>"
    question = _question(quiz, "essay", exercise, text, exercise.points)
    _sub(question, "responseformat", "editor")
    _sub(question, "responserequired", "1")
    _sub(question, "responsefieldlines", "8")
    _sub(question, "attachments", "0")
    _sub(question, "attachmentsrequired", "0")
    notes = scorer_notes(exercise, pack)
    scaled = "" if notes.total == exercise.points else f" (rubric points out of {notes.total}, scaled to {exercise.points})"
    items = "".join(f"<li>{html.escape(line, quote=False)}</li>" for line in notes.criteria + notes.checks)
    info = f"<p>Out of {exercise.points}{scaled}.</p><ul>{items}</ul>{_p('Model answer: ' + notes.model_answer)}"
    _html(question, "graderinfo", info)
    _html(question, "responsetemplate", "")


def _wordselect(quiz: etree._Element, exercise: HighlightExercise, pack: LessonPack, notes: list[str]) -> None:
    scoped = scoped_units(exercise, pack)
    notes.extend(scoped.dropped)
    text = pack.article.text
    scope_text = "".join(text[b.block.start : b.block.end] for b in scoped.blocks)
    opening, closing = ("{", "}") if "[" in scope_text or "]" in scope_text else ("[", "]")
    if opening in scope_text or closing in scope_text:
        notes.append(f"{exercise.id}: the text contains both [] and {{}}; word-select delimiters may misread it")
    paragraphs = []
    for block in scoped.blocks:
        out = []
        for piece in pieces(text, block.block.start, block.block.end, block.units):
            if isinstance(piece, str):
                out.append(html.escape(piece, quote=False))
                continue
            words = html.escape(text[piece.start : piece.end], quote=False)
            if piece.kind == "contested":  # word-select has no neutral choice: leave it unselectable
                out.append(words)
                continue
            double = piece.kind == "key"
            out.append(f"{opening * (2 if double else 1)}{words}{closing * (2 if double else 1)}")
        paragraphs.append(f"<p>{''.join(out)}</p>")
    question = _question(quiz, "wordselect", exercise, "".join(paragraphs), exercise.points)
    _sub(question, "introduction").text = etree.CDATA(_p(exercise.prompt))
    _sub(question, "delimitchars", opening + closing)
    penalty = _highlight_penalty(exercise, scoped, notes)
    # Without <wordpenalty> Moodle stores 0 and "select everything" earns full marks.
    _sub(question, "wordpenalty", _decimal_up(penalty))


def _highlight_penalty(exercise: HighlightExercise, scoped: ScopedText, notes: list[str]) -> Fraction:
    keys, others = len(scoped.units("key")), len(scoped.units()) - len(scoped.units("key"))
    penalty = wordselect_penalty(keys, others)
    if others == 0:
        notes.append(f"{exercise.id}: every selectable piece is in the key, so selecting everything earns full marks")
    elif penalty > 1:
        notes.append(
            f"{exercise.id}: only {others} pieces outside the key against {keys} in it; "
            f"each wrong piece costs {moodle_percent(penalty)} % of a right one so that selecting everything earns at most "
            f"{moodle_percent(SELECT_ALL_CEILING)} %"
        )
    return penalty


def _highlight_cloze(quiz: etree._Element, exercise: HighlightExercise, pack: LessonPack, notes: list[str]) -> None:
    scoped = scoped_units(exercise, pack)
    notes.extend(scoped.dropped)
    notes.append(f"{exercise.id}: plugin-free form lists the passage's pieces to tick; students do not select in the running text")
    text = pack.article.text
    units = scoped.units()
    penalty = _highlight_penalty(exercise, scoped, notes)
    keys = len(scoped.units("key"))
    # Moodle shares 100 % among the right options; a wrong option without its own percentage then
    # costs one right option's share (penalty 1). A larger penalty needs a whole percentage.
    wrong = "" if penalty == 1 else f"%-{min(100, math.ceil(penalty * 100 / keys))}%"
    options = [("=" if u.kind == "key" else wrong) + cloze_escape(text[u.start : u.end]) for u in units]
    passage = "".join(f"<p>{html.escape(text[b.block.start : b.block.end], quote=False)}</p>" for b in scoped.blocks)
    body = f"{_p(exercise.prompt)}<blockquote>{passage}</blockquote>{_p('Tick every piece of the passage that you would mark:')}"
    _question(quiz, "cloze", exercise, f"{body}<p>{{1:MULTIRESPONSE:{'~'.join(options)}}}</p>")


_CLOZE_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "&<>\\{}#~%="}


def cloze_escape(text: str) -> str:
    """Plain ``text`` as a Cloze answer: HTML-escaped, with the characters Cloze reserves
    (``{ } # ~ \\``, and ``% =`` that mark a grade at the start) as numeric character references.

    Moodle's Cloze parser splits answers at ``~ # }`` and only unescapes ``\\}`` and ``\\#``, so
    backslash escapes would leave visible backslashes (``\\/``, ``\\~``); it decodes character
    references after splitting, so they come back as the characters themselves.
    """
    return text.translate(_CLOZE_ENTITIES)


def _dropdown(weight: int, options: list[tuple[str, Fraction]]) -> str:
    parts = []
    for label, credit in options:
        mark = "=" if credit == 1 else f"%{moodle_percent(credit)}%" if credit else ""
        parts.append(f"{mark}{cloze_escape(label)}")
    return f"{{{weight}:MULTICHOICE:{'~'.join(parts)}}}"


def _label_cloze(quiz: etree._Element, exercise: LabelSpansExercise, pack: LessonPack, notes: list[str]) -> None:
    scoped = scoped_units(exercise, pack)
    notes.extend(scoped.dropped)
    notes.append(f"{exercise.id}: Moodle form marks the passages and asks for their labels; finding them is not tested")
    text, glossary = pack.article.text, pack.glossary
    names = [(label, glossary.get(label).name) for label in exercise.label_options]
    paragraphs = [_p(exercise.prompt)]
    for block in scoped.blocks:
        out = []
        for piece in pieces(text, block.block.start, block.block.end, block.units):
            if isinstance(piece, str):
                out.append(html.escape(piece, quote=False))
            elif piece.kind in ("distractor", "contested"):
                out.append(html.escape(text[piece.start : piece.end], quote=False))
            else:
                options = [(name, _label_credit(exercise, pack, piece, label)) for label, name in names]
                options.append((NO_TECHNIQUE, Fraction(1 if piece.kind == "foil" else 0)))
                out.append(f"<strong>{html.escape(text[piece.start:piece.end], quote=False)}</strong> {_dropdown(1, options)}")
        paragraphs.append(f"<p>{''.join(out)}</p>")
    _question(quiz, "cloze", exercise, "".join(paragraphs))


def _label_credit(exercise: LabelSpansExercise, pack: LessonPack, unit: Unit, label: str) -> Fraction:
    if unit.kind != "key":
        return Fraction(0)
    if unit.label == label:
        return Fraction(1)
    return exercise.related_credit if pack.glossary.are_related(unit.label or "", label) else Fraction(0)


def _roles_cloze(quiz: etree._Element, exercise: AttributionRolesExercise, pack: LessonPack, notes: list[str]) -> None:
    claim = pack.annotation.get(exercise.claim)
    assert claim.roles is not None  # the loader requires roles on a claim
    present = {n: getattr(claim.roles, n) for n in ("source", "cue", "content") if getattr(claim.roles, n) is not None}
    notes.extend(f"{exercise.id}: the claim has no {n}; that role is not asked" for n in ("source", "cue", "content") if n not in present)
    placed = [Unit(s.start, s.end, "key", exercise.claim, n) for n, s in present.items()]
    units = fill(pack.article.text, claim.start, claim.end, [u for u in placed if claim.start <= u.start and u.end <= claim.end])
    choices = [pack.article.text[u.start : u.end] for u in units]
    weights = {n: getattr(exercise.weights, n) for n in present}
    scale = lcm(*(w.denominator for w in weights.values()))
    lines = [_p(exercise.prompt), f"<blockquote>{_p(claim.quote)}</blockquote>"]
    for name, span in present.items():
        options = [(choice, Fraction(1 if choice == span.quote else 0)) for choice in choices]
        if span.quote not in choices:
            options.append((span.quote, Fraction(1)))
        lines.append(f"<p>{name.capitalize()}: {_dropdown(int(weights[name] * scale), options)}</p>")
    _question(quiz, "cloze", exercise, "".join(lines))


def moodle_xml(bank: Bank, quiz: Quiz, highlight: HighlightForm = "wordselect") -> MoodleExport:
    """The questions of ``quiz`` as a Moodle XML document (in a category named after the quiz).

    ``highlight`` chooses how highlight exercises are carried: ``"wordselect"`` needs the Word-select
    plugin on the Moodle site; ``"cloze"`` uses only Moodle's own question types (see the module
    docstring for what that form loses).
    """
    root = etree.Element("quiz")
    category = _sub(root, "question", type="category")
    _sub(_sub(category, "category"), "text", f"$course$/medialit/{bank.pack.id}/{quiz.id}")
    notes: list[str] = []
    for exercise in bank.quiz_exercises(quiz.id):
        match exercise:
            case SingleChoiceExercise() | MultiChoiceExercise():
                _choice(root, exercise, notes)
            case MatchExercise():
                _match(root, exercise, notes)
            case ShortAnswerExercise() | RewriteExercise():
                _essay(root, exercise, bank.pack)
            case HighlightExercise() if highlight == "cloze":
                _highlight_cloze(root, exercise, bank.pack, notes)
            case HighlightExercise():
                _wordselect(root, exercise, bank.pack, notes)
            case LabelSpansExercise():
                _label_cloze(root, exercise, bank.pack, notes)
            case AttributionRolesExercise():
                _roles_cloze(root, exercise, bank.pack, notes)
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
    return MoodleExport(text, tuple(notes))
