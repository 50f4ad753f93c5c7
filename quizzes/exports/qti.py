"""QTI 3.0 content package of one quiz: ``imsmanifest.xml``, one assessment test, one item per exercise.

How each exercise type is carried (namespace ``http://www.imsglobal.org/xsd/imsqtiasi_v3p0``):

- ``highlight``: one ``qti-hottext-interaction`` over the scope's blocks. Hottext units are the key
  items, the foils and every other phrase of the scope (text between punctuation marks), so the
  units do not give the key away (:mod:`quizzes.exports.units`). ``qti-map-response`` scoring: each
  key unit ``+points/k`` (``k`` key units), each foil ``-points/k``, each other phrase
  ``-points/(2k)``; ``lower-bound`` 0, ``upper-bound`` ``points``. When those penalties add up to
  less than the key's credit (a scope that is nearly all key), they are scaled up alike so that
  selecting every unit still earns 0.
- ``label_spans``: one hottext interaction per offered label ("select the spans that are X") over
  the same text; in the list of label X a key unit expecting X earns ``+points/k``, one expecting a
  related label ``related_credit * points/k``, a foil ``-points/k``, anything else ``-points/(2k)``.
  Each list is bounded below by 0; the item score is the sum, capped at ``points``.
- ``single_choice`` / ``multi_choice``: ``qti-choice-interaction``; the mapping reproduces our rule
  exactly (``max(0, (right - penalty * wrong) / |correct|) * points``).
- ``match``: ``qti-match-interaction`` with ``directedPair`` responses; ``proportional`` maps each
  right pair to ``points/n``; ``all_or_nothing`` gives ``points`` only when every pair matches.
- ``attribution_roles``: three single-choice hottext interactions (source, cue, content) over the
  claim's own words, each worth its weight; a role the claim does not have is not asked (reported).
- ``short_answer`` / ``rewrite``: ``qti-extended-text-interaction``, scored by a person; the rubric
  and model answer are in a ``qti-rubric-block`` with ``view="scorer"`` (never shown to candidates).

Hottext scoring is by unit, not by character overlap, so it approximates our span F1 (docs/exports.md).
Everything here is pure: the package is returned as bytes; the CLI writes it.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from lxml import etree

from lesson.bundle import LessonPack
from quizzes.bank import Bank, Quiz
from quizzes.exercises import (
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.exports.scorer_notes import scorer_notes
from quizzes.exports.units import Unit, fill, pieces, scoped_units
from quizzes.ordering import movable_ids

__all__ = ["QTI_NS", "MANIFEST_NS", "MAP_RESPONSE", "QtiPackage", "qti_item", "qti_package"]

QTI_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
MANIFEST_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ITEM_XSD = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
MANIFEST_XSD = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd"
MAP_RESPONSE = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry no clock: the same quiz gives the same bytes


@dataclass(frozen=True, slots=True)
class QtiPackage:
    """The zipped package and what could not be carried over (one line each)."""

    data: bytes
    notes: tuple[str, ...]


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    attributes = {k.replace("_", "-"): v for k, v in attrs.items()}
    if parent is None:
        node = etree.Element(_q(tag), attributes, nsmap={None: QTI_NS, "xsi": XSI_NS})
    else:
        node = etree.SubElement(parent, _q(tag), attributes)
    if text is not None:
        node.text = text
    return node


def _num(value: Fraction | int) -> str:
    """A decimal for a QTI float: exact when it has at most 6 places, else rounded *up* to 6 places.

    Rounding up keeps a complete answer at full points (three thirds give 1.000002, capped to 1 by
    the upper bound) instead of 0.999999; a part answer gains less than 0.000001 of a point.
    """
    micro = math.ceil(Fraction(value) * 10**6)
    whole, rest = divmod(abs(micro), 10**6)
    sign = "-" if micro < 0 else ""
    return f"{sign}{whole}" if not rest else f"{sign}{whole}.{rest:06d}".rstrip("0")


def _ident(raw: str, prefix: str = "") -> str:
    """A QTI identifier (an XML NCName): our ids may start with a digit, so prefix when needed."""
    ident = f"{prefix}{raw}"
    return ident if ident[:1].isalpha() or ident[:1] == "_" else f"I{ident}"


def _item_root(exercise: Exercise, pack: LessonPack) -> etree._Element:
    root = _el(None, "qti-assessment-item")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{QTI_NS} {ITEM_XSD}")
    root.set("identifier", _ident(exercise.id))
    root.set("title", exercise.title)
    root.set("adaptive", "false")
    root.set("time-dependent", "false")
    root.set(XML_LANG, pack.article.language)
    return root


def _outcomes(root: etree._Element, maximum: Fraction | int) -> None:
    for name, value in (("SCORE", 0), ("MAXSCORE", maximum)):
        declaration = _el(root, "qti-outcome-declaration", identifier=name, cardinality="single", base_type="float")
        _el(_el(declaration, "qti-default-value"), "qti-value", _num(value))


def _response(
    root: etree._Element, ident: str, cardinality: str, base_type: str, correct: Iterable[str],
    mapping: dict[str, Fraction] | None, upper: Fraction | int | None = None,
) -> None:
    declaration = _el(root, "qti-response-declaration", identifier=ident, cardinality=cardinality, base_type=base_type)
    values = list(correct)
    if values:
        holder = _el(declaration, "qti-correct-response")
        for value in values:
            _el(holder, "qti-value", value)
    if mapping is not None:
        attrs = {"lower_bound": "0", "default_value": "0"}
        if upper is not None:
            attrs["upper_bound"] = _num(upper)
        table = _el(declaration, "qti-mapping", **attrs)
        for key, mapped in mapping.items():
            if mapped:
                _el(table, "qti-map-entry", map_key=key, mapped_value=_num(mapped))


def _prompt(parent: etree._Element, text: str) -> None:
    _el(parent, "qti-prompt", text)


def _hottext_paragraph(parent: etree._Element, text: str, start: int, end: int, units: tuple[Unit, ...], ids: dict[Unit, str]) -> None:
    paragraph = _el(parent, "p")
    last: etree._Element | None = None
    for piece in pieces(text, start, end, units):
        if isinstance(piece, str):
            if last is None:
                paragraph.text = (paragraph.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        last = _el(paragraph, "qti-hottext", text[piece.start:piece.end], identifier=ids[piece])


def _unit_ids(units: list[Unit], prefix: str) -> dict[Unit, str]:
    return {unit: f"{prefix}{n:03d}" for n, unit in enumerate(units, start=1)}


def _select_all_earns_nothing(mapping: dict[str, Fraction]) -> dict[str, Fraction]:
    """``mapping`` with its penalties scaled up, if needed, so that selecting every unit earns 0.

    A scope that is nearly all key (e.g. a few short phrases between key sentences) has too few
    penalties to cancel the key's credit; each penalty then grows by the same factor, written with
    at most six decimals and rounded away from zero so the sum stays at or below 0.
    """
    written = [Fraction(math.ceil(v * 10**6), 10**6) for v in mapping.values()]  # as _num writes them
    credit = sum((v for v in written if v > 0), Fraction(0))
    penalty = -sum((v for v in written if v < 0), Fraction(0))
    if penalty == 0 or penalty >= credit:
        return mapping
    factor = credit / penalty
    return {k: -Fraction(math.ceil(-v * factor * 10**6), 10**6) if v < 0 else v for k, v in mapping.items()}


def _span_item(exercise: HighlightExercise | LabelSpansExercise, pack: LessonPack) -> tuple[etree._Element, list[str]]:
    root = _item_root(exercise, pack)
    scoped = scoped_units(exercise, pack)
    text = pack.article.text
    keys = scoped.units("key")
    share = Fraction(exercise.points, max(len(keys), 1))
    if isinstance(exercise, HighlightExercise):
        lists = [(None, "RESPONSE", "H")]
    else:
        lists = [(label, f"RESPONSE_{n}", f"L{n}H") for n, label in enumerate(exercise.label_options, start=1)]
    bodies = []
    for label, response_id, prefix in lists:
        ids = _unit_ids(scoped.units(), prefix)
        mapping: dict[str, Fraction] = {}
        correct = []
        for unit, ident in ids.items():
            if unit.kind == "key" and (label is None or unit.label == label):
                mapping[ident] = share
                correct.append(ident)
            elif unit.kind == "key" and isinstance(exercise, LabelSpansExercise) and pack.glossary.are_related(label, unit.label):
                mapping[ident] = exercise.related_credit * share
            elif unit.kind == "foil":
                mapping[ident] = -share
            elif unit.kind == "contested":  # defensible but not required: neither rewarded nor punished
                mapping[ident] = Fraction(0)
            else:
                mapping[ident] = -share / 2
        _response(root, response_id, "multiple", "identifier", correct, _select_all_earns_nothing(mapping), exercise.points)
        bodies.append((label, response_id, ids))
    _outcomes(root, exercise.points)
    body = _el(root, "qti-item-body")
    _el(body, "p", exercise.prompt)
    for label, response_id, ids in bodies:
        interaction = _el(body, "qti-hottext-interaction", response_identifier=response_id, max_choices="0")
        if label is not None:
            _prompt(interaction, f"Select every passage that is: {pack.glossary.get(label).name}")
        for block in scoped.blocks:
            _hottext_paragraph(interaction, text, block.block.start, block.block.end, block.units, ids)
    if isinstance(exercise, HighlightExercise):
        _el(root, "qti-response-processing", template=MAP_RESPONSE)
    else:
        _sum_processing(root, [r for _, r, _ in bodies], exercise.points)
    return root, list(scoped.dropped)


def _sum_processing(root: etree._Element, responses: list[str], cap: Fraction | int) -> None:
    """SCORE = min(cap, sum of map-response of each response); each mapping is bounded below by 0."""
    processing = _el(root, "qti-response-processing")
    setter = _el(processing, "qti-set-outcome-value", identifier="SCORE")
    bounded = _el(setter, "qti-min")
    total = _el(bounded, "qti-sum")
    for response_id in responses:
        _el(total, "qti-map-response", identifier=response_id)
    _el(bounded, "qti-base-value", _num(cap), base_type="float")


def _choice_item(exercise: SingleChoiceExercise | MultiChoiceExercise, pack: LessonPack) -> etree._Element:
    root = _item_root(exercise, pack)
    correct = [o for o in exercise.options if o.correct]
    ids = {o.id: _ident(o.id, "C_") for o in exercise.options}
    if isinstance(exercise, SingleChoiceExercise):
        mapping = {ids[o.id]: Fraction(exercise.points) if o.correct else Fraction(0) for o in exercise.options}
        _response(root, "RESPONSE", "single", "identifier", [ids[correct[0].id]], mapping, exercise.points)
        max_choices = "1"
    else:
        share = Fraction(exercise.points, len(correct))
        mapping = {ids[o.id]: share if o.correct else -exercise.penalty * share for o in exercise.options}
        _response(root, "RESPONSE", "multiple", "identifier", [ids[o.id] for o in correct], mapping, exercise.points)
        max_choices = "0"
    _outcomes(root, exercise.points)
    body = _el(root, "qti-item-body")
    interaction = _el(body, "qti-choice-interaction", response_identifier="RESPONSE", max_choices=max_choices, shuffle=_shuffles(exercise))
    _prompt(interaction, exercise.prompt)
    for option in exercise.options:
        _el(interaction, "qti-simple-choice", option.text, identifier=ids[option.id], **_fixed(option.pinned))
    _el(root, "qti-response-processing", template=MAP_RESPONSE)
    return root


def _shuffles(exercise: SingleChoiceExercise | MultiChoiceExercise | MatchExercise) -> str:
    """``shuffle`` of an interaction: on when at least two choices may move (pinned ones are ``fixed``)."""
    return "true" if len(movable_ids(exercise)) >= 2 else "false"


def _fixed(pinned: bool) -> dict[str, str]:
    return {"fixed": "true"} if pinned else {}


def _match_item(exercise: MatchExercise, pack: LessonPack) -> etree._Element:
    root = _item_root(exercise, pack)
    left = {i.id: _ident(i.id, "L_") for i in exercise.left}
    right = {i.id: _ident(i.id, "R_") for i in exercise.right}
    correct = [f"{left[l]} {right[r]}" for l, r in exercise.pairs.items()]
    if exercise.policy == "proportional":
        share = Fraction(exercise.points, len(exercise.pairs))
        _response(root, "RESPONSE", "multiple", "directedPair", correct, {pair: share for pair in correct}, exercise.points)
    else:
        _response(root, "RESPONSE", "multiple", "directedPair", correct, None)
    _outcomes(root, exercise.points)
    body = _el(root, "qti-item-body")
    interaction = _el(
        body, "qti-match-interaction", response_identifier="RESPONSE", max_associations=str(len(exercise.left)),
        shuffle=_shuffles(exercise),
    )
    _prompt(interaction, exercise.prompt)
    sources = _el(interaction, "qti-simple-match-set")
    for item in exercise.left:  # the rows keep their order, as in medialit: only the right column shuffles
        _el(sources, "qti-simple-associable-choice", item.text, identifier=left[item.id], match_max="1", **_fixed(True))
    targets = _el(interaction, "qti-simple-match-set")
    for item in exercise.right:
        _el(targets, "qti-simple-associable-choice", item.text, identifier=right[item.id], match_max="0", **_fixed(item.pinned))
    if exercise.policy == "proportional":
        _el(root, "qti-response-processing", template=MAP_RESPONSE)
    else:
        processing = _el(root, "qti-response-processing")
        condition = _el(processing, "qti-response-condition")
        branch = _el(condition, "qti-response-if")
        matched = _el(branch, "qti-match")
        _el(matched, "qti-variable", identifier="RESPONSE")
        _el(matched, "qti-correct", identifier="RESPONSE")
        _el(_el(branch, "qti-set-outcome-value", identifier="SCORE"), "qti-base-value", _num(exercise.points), base_type="float")
        otherwise = _el(condition, "qti-response-else")
        _el(_el(otherwise, "qti-set-outcome-value", identifier="SCORE"), "qti-base-value", "0", base_type="float")
    return root


_ROLE_PROMPTS = {
    "source": "Select the source: who the claim is attributed to.",
    "cue": "Select the cue: the words that report the claim.",
    "content": "Select the content: what is claimed.",
}


def _roles_item(exercise: AttributionRolesExercise, pack: LessonPack) -> tuple[etree._Element, list[str]]:
    root = _item_root(exercise, pack)
    claim = pack.annotation.get(exercise.claim)
    assert claim.roles is not None  # the loader requires roles on a claim
    spans = {name: getattr(claim.roles, name) for name in ("source", "cue", "content")}
    notes = [f"{exercise.id}: the claim has no {name}; that role is not asked" for name, s in spans.items() if s is None]
    present = {name: s for name, s in spans.items() if s is not None}
    placed: list[Unit] = []
    for name, span in present.items():
        if any(u.start < span.end and span.start < u.end for u in placed):
            notes.append(f"{exercise.id}: the {name} overlaps another role; not selectable")
            continue
        placed.append(Unit(span.start, span.end, "key", exercise.claim, name))
    start = min([claim.start] + [u.start for u in placed])
    end = max([claim.end] + [u.end for u in placed])
    units = fill(pack.article.text, start, end, placed)
    asked = [(name, next(u for u in placed if u.label == name)) for name in present if any(u.label == name for u in placed)]
    maximum = Fraction(0)
    bodies = []
    for name, unit in asked:
        weight = getattr(exercise.weights, name) * exercise.points
        maximum += weight
        ids = _unit_ids(list(units), f"{name.upper()}_")
        _response(root, f"RESPONSE_{name.upper()}", "single", "identifier", [ids[unit]], {ids[unit]: weight}, weight)
        bodies.append((name, ids))
    _outcomes(root, maximum)
    body = _el(root, "qti-item-body")
    _el(body, "p", exercise.prompt)
    for name, ids in bodies:
        interaction = _el(body, "qti-hottext-interaction", response_identifier=f"RESPONSE_{name.upper()}", max_choices="1")
        _prompt(interaction, _ROLE_PROMPTS[name])
        _hottext_paragraph(interaction, pack.article.text, start, end, units, ids)
    _sum_processing(root, [f"RESPONSE_{name.upper()}" for name, _ in bodies], maximum)
    return root, notes


def _text_item(exercise: ShortAnswerExercise | RewriteExercise, pack: LessonPack) -> etree._Element:
    root = _item_root(exercise, pack)
    notes = scorer_notes(exercise, pack)
    _response(root, "RESPONSE", "single", "string", [], None)
    _outcomes(root, exercise.points)
    body = _el(root, "qti-item-body")
    rubric = _el(body, "qti-rubric-block", use="scoring", view="scorer")
    content = _el(rubric, "qti-content-body")
    scaled = "" if notes.total == exercise.points else f" (rubric points out of {notes.total}, scaled to {exercise.points})"
    _el(content, "p", f"Scored by a teacher, out of {exercise.points}{scaled}.")
    checklist = _el(content, "ul")
    for line in notes.criteria + notes.checks:
        _el(checklist, "li", line)
    _el(content, "p", f"Model answer: {notes.model_answer}")
    if isinstance(exercise, RewriteExercise):
        _el(body, "blockquote").append(_paragraph(exercise.target.quote))
    interaction = _el(body, "qti-extended-text-interaction", response_identifier="RESPONSE", expected_lines="5")
    _prompt(interaction, exercise.prompt)
    return root


def _paragraph(text: str) -> etree._Element:
    return _el(None, "p", text)


def qti_item(exercise: Exercise, pack: LessonPack) -> tuple[bytes, list[str]]:
    """The ``qti-assessment-item`` document of ``exercise`` (UTF-8 bytes) and notes on what it leaves out."""
    notes: list[str] = []
    match exercise:
        case HighlightExercise() | LabelSpansExercise():
            root, notes = _span_item(exercise, pack)
        case SingleChoiceExercise() | MultiChoiceExercise():
            root = _choice_item(exercise, pack)
        case MatchExercise():
            root = _match_item(exercise, pack)
        case AttributionRolesExercise():
            root, notes = _roles_item(exercise, pack)
        case ShortAnswerExercise() | RewriteExercise():
            root = _text_item(exercise, pack)
    # Not pretty-printed: a paragraph that is one hottext would gain indentation inside its text.
    return _serialise(root, pretty=False), notes


def _serialise(root: etree._Element, pretty: bool = True) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _test(quiz: Quiz, exercises: list[Exercise]) -> bytes:
    root = _el(None, "qti-assessment-test", identifier=_ident(quiz.id), title=quiz.title)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{QTI_NS} {ITEM_XSD}")
    for name in ("SCORE", "MAXSCORE"):
        _el(root, "qti-outcome-declaration", identifier=name, cardinality="single", base_type="float")
    part = _el(root, "qti-test-part", identifier="part-1", navigation_mode="nonlinear", submission_mode="simultaneous")
    section = _el(part, "qti-assessment-section", identifier="section-1", title=quiz.title, visible="true")
    for exercise in exercises:
        _el(section, "qti-assessment-item-ref", identifier=_ident(exercise.id), href=f"items/{exercise.id}.xml")
    processing = _el(root, "qti-outcome-processing")
    for name in ("SCORE", "MAXSCORE"):
        _el(_el(_el(processing, "qti-set-outcome-value", identifier=name), "qti-sum"), "qti-test-variables", variable_identifier=name)
    return _serialise(root)


def _manifest(quiz: Quiz, exercises: list[Exercise], test_href: str) -> bytes:
    def m(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
        name = f"{{{MANIFEST_NS}}}{tag}"
        if parent is None:
            node = etree.Element(name, attrs, nsmap={None: MANIFEST_NS, "xsi": XSI_NS})
        else:
            node = etree.SubElement(parent, name, attrs)
        if text is not None:
            node.text = text
        return node

    root = m(None, "manifest", identifier=_ident(quiz.id, "MANIFEST-"))
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{MANIFEST_NS} {MANIFEST_XSD}")
    metadata = m(root, "metadata")
    m(metadata, "schema", "QTI Package")
    m(metadata, "schemaversion", "3.0.0")
    m(root, "organizations")
    resources = m(root, "resources")
    test = m(resources, "resource", identifier=_ident(quiz.id, "TEST-"), type="imsqti_test_xmlv3p0", href=test_href)
    m(test, "file", href=test_href)
    for exercise in exercises:
        m(test, "dependency", identifierref=_ident(exercise.id, "ITEM-"))
    for exercise in exercises:
        href = f"items/{exercise.id}.xml"
        item = m(resources, "resource", identifier=_ident(exercise.id, "ITEM-"), type="imsqti_item_xmlv3p0", href=href)
        m(item, "file", href=href)
    return _serialise(root)


def qti_package(bank: Bank, quiz: Quiz) -> QtiPackage:
    """The QTI 3.0 content package of ``quiz`` as zip bytes (deterministic), with the export notes."""
    exercises = bank.quiz_exercises(quiz.id)
    test_href = f"{quiz.id}.xml"
    files: dict[str, bytes] = {"imsmanifest.xml": _manifest(quiz, exercises, test_href), test_href: _test(quiz, exercises)}
    notes: list[str] = []
    for exercise in exercises:
        data, item_notes = qti_item(exercise, bank.pack)
        files[f"items/{exercise.id}.xml"] = data
        notes.extend(item_notes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return QtiPackage(buffer.getvalue(), tuple(notes))
