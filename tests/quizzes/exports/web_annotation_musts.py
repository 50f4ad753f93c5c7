"""The W3C Web Annotation Data Model's MUST rules that our documents touch, as a JSON Schema.

Written from the model (https://www.w3.org/TR/annotation-model/, sections 3.1-3.3, 4.2 and 5.1-5.2)
for the keys our exports use; the W3C test suite (``w3c/web-annotation-tests``) checks the same
rules with its own schemas (see docs/exports.md for how to run it). Each rule names its section.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_IRI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"}
_TYPE = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
_NON_NEGATIVE = {"type": "integer", "minimum": 0}
_MOTIVATIONS = [
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
]


def _has_type(name: str) -> dict[str, Any]:
    return {"anyOf": [{"const": name}, {"type": "array", "contains": {"const": name}}]}


_TEXTUAL_BODY = {
    # 3.2.4: an embedded textual body has a single string value; 3.3.5: purpose is a motivation.
    "if": {"properties": {"type": _has_type("TextualBody")}, "required": ["type"]},
    "then": {
        "required": ["value"],
        "properties": {"value": {"type": "string"}, "purpose": {"enum": _MOTIVATIONS}, "format": {"type": "string"}},
        "not": {"required": ["source"]},
    },
}

_SELECTORS = {
    "TextQuoteSelector": {  # 4.2.4: exactly one exact; prefix and suffix, if present, one string each
        "required": ["exact"],
        "properties": {"exact": {"type": "string"}, "prefix": {"type": "string"}, "suffix": {"type": "string"}},
    },
    "TextPositionSelector": {  # 4.2.5: start and end, non-negative integers
        "required": ["start", "end"],
        "properties": {"start": _NON_NEGATIVE, "end": _NON_NEGATIVE},
    },
}

_SELECTOR = {
    "type": "object",
    "required": ["type"],
    "allOf": [
        {"if": {"properties": {"type": {"const": name}}}, "then": rule} for name, rule in _SELECTORS.items()
    ],
}

_TARGET = {
    "anyOf": [
        _IRI,
        {
            "type": "object",
            "required": ["source"],  # 4: a specific resource has exactly one source
            "properties": {
                "source": _IRI,
                "scope": _IRI,
                "selector": {"anyOf": [_SELECTOR, {"type": "array", "items": _SELECTOR, "minItems": 1}]},
            },
        },
    ]
}

_BODY = {"anyOf": [_IRI, {"type": "object", **_TEXTUAL_BODY}]}

ANNOTATION = {
    "type": "object",
    # 3.1: id (an IRI), type Annotation, at least one target.
    "required": ["id", "type", "target"],
    "properties": {
        "id": _IRI,
        "type": {"allOf": [_TYPE, _has_type("Annotation")]},
        # 3.2: if body is present it holds one or more bodies; an empty list is not allowed.
        "body": {"anyOf": [_BODY, {"type": "array", "items": _BODY, "minItems": 1}]},
        "target": {"anyOf": [_TARGET, {"type": "array", "items": _TARGET, "minItems": 1}]},
        "motivation": {"anyOf": [{"enum": _MOTIVATIONS}, {"type": "array", "items": {"enum": _MOTIVATIONS}}]},
        # 3.3.2: an agent given as an object has an IRI id when it has one.
        "creator": {"anyOf": [_IRI, {"type": "object", "properties": {"id": _IRI, "type": _TYPE}}]},
    },
    # 3.2.5: body and bodyValue never together.
    "not": {"required": ["body", "bodyValue"]},
}

PAGE = {
    "type": "object",
    # 5.2: a page has an IRI id, type AnnotationPage and an items list of annotations.
    "required": ["id", "type", "items"],
    "properties": {
        "id": _IRI,
        "type": {"allOf": [_TYPE, _has_type("AnnotationPage")]},
        "items": {"type": "array", "items": ANNOTATION},
        "startIndex": _NON_NEGATIVE,
    },
}

COLLECTION = {
    "type": "object",
    # 5.1: @context includes the annotation context, an IRI id, type AnnotationCollection.
    "required": ["@context", "id", "type"],
    "properties": {
        "@context": {"anyOf": [{"const": CONTEXT}, {"type": "array", "contains": {"const": CONTEXT}}]},
        "id": _IRI,
        "type": {"allOf": [_TYPE, _has_type("AnnotationCollection")]},
        "label": {"type": "string"},
        "total": _NON_NEGATIVE,
        "first": {"if": {"type": "string"}, "then": _IRI, "else": PAGE},
    },
}


def must_failures(document: dict[str, Any]) -> list[str]:
    """Every MUST rule ``document`` (a collection) breaks, as ``path: message`` lines."""
    validator = Draft202012Validator(COLLECTION)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}" for e in validator.iter_errors(document)]
