"""W3C Web Annotation (JSON-LD) of the master key and of students' marks, and import of marks.

Every annotation targets the pack's canonical text (``urn:medialit:<pack>:text``) with two
selectors: a ``TextQuoteSelector`` (``exact`` with up to 32 code points of ``prefix`` and
``suffix``) and a ``TextPositionSelector`` (``start``/``end``, code points, half-open: the same
offsets as everywhere in medialit). Documents are ``AnnotationCollection``s with one
``AnnotationPage`` holding the annotations, the shape annotation servers and tools exchange. The
collection and its page carry the IRIs the model requires (``urn:medialit:<pack>:key``, or
``...:key:<quiz>`` for a quiz's items; ``...:marks`` likewise; the page is ``<collection>:page:1``).

Key items: one ``TextualBody`` per label with ``purpose: classifying`` (the glossary id), one with
``purpose: describing`` (the rationale, or for a foil the feedback), and for a foil a ``tagging``
body ``"foil"``. Student marks: ``creator`` is ``urn:medialit:student:<id>``; the target's
``scope`` names the exercise (``urn:medialit:<pack>:exercise:<id>``); a label (``label_spans``) is
a ``classifying`` body and an attribution role a ``tagging`` body (``source``, ``cue``,
``content``); a highlight mark has no body at all (the model forbids an empty ``body`` list). :func:`read_marks` turns such marks back into our response models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import ValidationError

from lesson.annotations import AnnotationItem
from lesson.bundle import LessonPack
from lesson.errors import MedialitError
from lesson.text import QuoteAmbiguous, QuoteNotFound, find_quote
from quizzes.bank import Bank
from quizzes.responses import (
    AttributionRolesResponse,
    HighlightResponse,
    LabelSpansResponse,
    Response,
    SpanAnswer,
)

__all__ = [
    "CONTEXT",
    "CONTEXT_CHARS",
    "ROLES",
    "Submission",
    "WebAnnotationInvalid",
    "text_uri",
    "collection_uri",
    "exercise_uri",
    "student_uri",
    "key_collection",
    "marks_collection",
    "read_marks",
]

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32
"""Code points of ``prefix`` and ``suffix`` in each TextQuoteSelector."""
ROLES = ("source", "cue", "content")
SPAN_EXERCISES = ("highlight", "label_spans", "attribution_roles")


class WebAnnotationInvalid(MedialitError):
    slug = "web-annotation-invalid"
    title = "The Web Annotation document cannot be read as student marks."


@dataclass(frozen=True, slots=True)
class Submission:
    """One student's response to one exercise."""

    student: str
    exercise_id: str
    response: Response


def text_uri(pack: LessonPack) -> str:
    return f"urn:medialit:{pack.id}:text"


def exercise_uri(pack: LessonPack, exercise_id: str) -> str:
    return f"urn:medialit:{pack.id}:exercise:{exercise_id}"


def student_uri(student: str) -> str:
    return f"urn:medialit:student:{student}"


def _selectors(text: str, start: int, end: int) -> list[dict[str, Any]]:
    return [
        {
            "type": "TextQuoteSelector",
            "exact": text[start:end],
            "prefix": text[max(0, start - CONTEXT_CHARS) : start],
            "suffix": text[end : end + CONTEXT_CHARS],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def collection_uri(pack: LessonPack, kind: str, quiz_id: str | None = None) -> str:
    return f"urn:medialit:{pack.id}:{kind}" + (f":{quiz_id}" if quiz_id else "")


def _collection(uri: str, label: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": uri,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"id": f"{uri}:page:1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _key_annotation(pack: LessonPack, item: AnnotationItem) -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "classifying", "value": label} for label in item.labels]
    description = item.feedback if item.is_foil and item.feedback else item.rationale
    body.append({"type": "TextualBody", "purpose": "describing", "value": description, "format": "text/plain"})
    if item.is_foil:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": "foil"})
    return {
        "id": f"urn:medialit:{pack.id}:item:{item.id}",
        "type": "Annotation",
        "motivation": "commenting" if item.is_foil else "classifying",
        "body": body,
        "target": {"source": text_uri(pack), "selector": _selectors(pack.article.text, item.start, item.end)},
    }


def key_collection(pack: LessonPack, item_ids: Iterable[str] | None = None, quiz_id: str | None = None) -> dict[str, Any]:
    """The master annotation (key items and foils, in text order) as a collection.

    ``item_ids`` limits it to those items (e.g. the ones a quiz's exercises refer to); unknown ids
    raise ``KeyError``. ``quiz_id`` names the quiz they come from in the collection's id.
    """
    wanted = None if item_ids is None else {pack.annotation.get(i).id for i in item_ids}
    items = [_key_annotation(pack, item) for item in pack.annotation.items if wanted is None or item.id in wanted]
    return _collection(collection_uri(pack, "key", quiz_id), f"{pack.article.title}: master annotation", items)


def _locate(text: str, span: SpanAnswer) -> tuple[int, int] | None:
    if span.exact is None:
        assert span.start is not None and span.end is not None
        return (span.start, span.end) if span.end <= len(text) else None
    try:
        found = find_quote(text, span.exact, span.prefix, span.suffix)
    except (QuoteNotFound, QuoteAmbiguous):
        return None
    return found.start, found.end


def _mark(pack: LessonPack, submission: Submission, number: int, span: SpanAnswer, extra: list[dict[str, Any]]) -> dict[str, Any]:
    text = pack.article.text
    located = _locate(text, span)
    if located is None:  # keep what the student gave, even if it does not resolve
        selector: list[dict[str, Any]] = [{"type": "TextQuoteSelector", "exact": span.exact or "", "prefix": span.prefix or "", "suffix": span.suffix or ""}]
    else:
        selector = _selectors(text, *located)
    mark: dict[str, Any] = {
        "id": f"urn:medialit:{pack.id}:mark:{submission.student}:{submission.exercise_id}:{number}",
        "type": "Annotation",
        "motivation": "classifying" if extra else "highlighting",
        "creator": {"id": student_uri(submission.student), "type": "Person"},
    }
    if extra:  # "body" is optional, but when present it must hold at least one body
        mark["body"] = extra
    mark["target"] = {"source": text_uri(pack), "scope": exercise_uri(pack, submission.exercise_id), "selector": selector}
    return mark


def marks_collection(pack: LessonPack, submissions: Iterable[Submission], quiz_id: str | None = None) -> dict[str, Any]:
    """Students' span marks (highlight, label_spans and attribution_roles responses) as a collection.

    Other response types carry no span and are left out. ``quiz_id`` names the quiz in the
    collection's id.
    """
    items = []
    for submission in submissions:
        response = submission.response
        match response:
            case HighlightResponse():
                spans = [(s, []) for s in response.spans]
            case LabelSpansResponse():
                spans = [(s, [{"type": "TextualBody", "purpose": "classifying", "value": s.label}] if s.label else []) for s in response.spans]
            case AttributionRolesResponse():
                spans = [
                    (getattr(response, role), [{"type": "TextualBody", "purpose": "tagging", "value": role}])
                    for role in ROLES
                    if getattr(response, role) is not None
                ]
            case _:
                continue
        for number, (span, body) in enumerate(spans, start=1):
            items.append(_mark(pack, submission, number, span, body))
    return _collection(collection_uri(pack, "marks", quiz_id), f"{pack.article.title}: student marks", items)


def _prefix_id(value: str, prefix: str, what: str, where: str) -> str:
    if not isinstance(value, str) or not value.startswith(prefix) or len(value) == len(prefix):
        raise WebAnnotationInvalid(f"{where}: {what} must be a string starting {prefix!r}, got {value!r}")
    return value[len(prefix) :]


def _span_of(target: dict[str, Any], where: str) -> SpanAnswer:
    selectors = target.get("selector")
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise WebAnnotationInvalid(f"{where}: the target has no selector")
    by_type = {s.get("type"): s for s in selectors if isinstance(s, dict)}
    try:
        if "TextPositionSelector" in by_type:
            position = by_type["TextPositionSelector"]
            return SpanAnswer(start=position["start"], end=position["end"])
        if "TextQuoteSelector" in by_type:
            quote = by_type["TextQuoteSelector"]
            return SpanAnswer(exact=quote["exact"], prefix=quote.get("prefix") or None, suffix=quote.get("suffix") or None)
    except ValidationError as error:
        raise WebAnnotationInvalid(f"{where}: a selector is invalid ({error.errors()[0]['msg']})") from None
    except (KeyError, TypeError) as error:
        raise WebAnnotationInvalid(f"{where}: a selector is incomplete or invalid ({error})") from None
    raise WebAnnotationInvalid(f"{where}: no TextPositionSelector or TextQuoteSelector")


def _body_value(annotation: dict[str, Any], purpose: str) -> str | None:
    body = annotation.get("body") or []
    if isinstance(body, dict):
        body = [body]
    values = [b.get("value") for b in body if isinstance(b, dict) and b.get("purpose") == purpose]
    return values[0] if values else None


def read_marks(bank: Bank, document: dict[str, Any]) -> list[Submission]:
    """Student marks in the shape :func:`marks_collection` writes, back as responses.

    Accepts an ``AnnotationCollection`` (first page), an ``AnnotationPage`` or a list of
    annotations. Marks are grouped per (student, exercise) in document order. Raises
    :class:`WebAnnotationInvalid` naming the annotation for a wrong text, an unknown exercise, an
    exercise without spans, a missing selector or a role given twice.
    """
    pack = bank.pack
    if isinstance(document, list):
        annotations = document
    elif isinstance(document, dict) and document.get("type") == "AnnotationCollection":
        annotations = (document.get("first") or {}).get("items", [])
    elif isinstance(document, dict) and document.get("type") == "AnnotationPage":
        annotations = document.get("items", [])
    else:
        raise WebAnnotationInvalid("expected an AnnotationCollection, an AnnotationPage or a list of annotations")
    grouped: dict[tuple[str, str], list[tuple[SpanAnswer, dict[str, Any], str]]] = {}
    for index, annotation in enumerate(annotations):
        where = f"annotation {index} ({annotation.get('id', 'no id') if isinstance(annotation, dict) else 'not an object'})"
        if not isinstance(annotation, dict) or not isinstance(annotation.get("target"), dict):
            raise WebAnnotationInvalid(f"{where}: needs a target object")
        target = annotation["target"]
        if target.get("source") != text_uri(pack):
            raise WebAnnotationInvalid(f"{where}: targets {target.get('source')!r}, not this pack's text {text_uri(pack)!r}")
        creator = annotation.get("creator")
        student = _prefix_id(creator.get("id") if isinstance(creator, dict) else creator, "urn:medialit:student:", "creator", where)
        exercise_id = _prefix_id(target.get("scope"), exercise_uri(pack, ""), "target.scope", where)
        if exercise_id not in bank.exercises:
            raise WebAnnotationInvalid(f"{where}: unknown exercise {exercise_id!r}")
        if bank.exercises[exercise_id].type not in SPAN_EXERCISES:
            raise WebAnnotationInvalid(f"{where}: exercise {exercise_id!r} is {bank.exercises[exercise_id].type}, which has no spans")
        grouped.setdefault((student, exercise_id), []).append((_span_of(target, where), annotation, where))
    return [_response(bank, student, exercise_id, marks) for (student, exercise_id), marks in grouped.items()]


def _response(bank: Bank, student: str, exercise_id: str, marks: list[tuple[SpanAnswer, dict[str, Any], str]]) -> Submission:
    kind = bank.exercises[exercise_id].type
    if kind == "highlight":
        return Submission(student, exercise_id, HighlightResponse(spans=tuple(span for span, _, _ in marks)))
    if kind == "label_spans":
        spans = []
        for span, annotation, where in marks:
            try:
                spans.append(SpanAnswer.model_validate({**span.model_dump(exclude_none=True), "label": _body_value(annotation, "classifying")}))
            except ValidationError as error:
                raise WebAnnotationInvalid(f"{where}: the label is not valid ({error.errors()[0]['msg']})") from None
        return Submission(student, exercise_id, LabelSpansResponse(spans=spans))
    roles: dict[str, SpanAnswer] = {}
    for span, annotation, where in marks:
        role = _body_value(annotation, "tagging")
        if role not in ROLES:
            raise WebAnnotationInvalid(f"{where}: a role mark needs a tagging body of source, cue or content, got {role!r}")
        if role in roles:
            raise WebAnnotationInvalid(f"{where}: the {role} of {exercise_id} is marked twice")
        roles[role] = span
    return Submission(student, exercise_id, AttributionRolesResponse(**roles))
