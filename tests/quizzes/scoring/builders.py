"""Builders for small in-memory lesson packs and exercises, so scoring tests state their own data.

``build_pack`` takes paragraphs and items given by quote (offsets are computed here), so a test
reads like the hand computation it checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lesson.annotations import Annotation, AnnotationItem, Roles
from lesson.article import Article, Block, BlockRole, Provenance, TextSpan
from lesson.bundle import LessonPack
from lesson.techniques import Glossary, Technique

TECHNIQUES = (
    ("loaded_language", "framing", "emotive"),
    ("name_calling", "framing", "emotive"),
    ("doubt", "framing", "doubt"),
    ("direct_quote", "attribution", "named"),
    ("vague_source", "attribution", "vague"),
)

# The paragraphs of the default test text; lengths are worked out by hand in the tests.
PARAGRAPHS = (
    "Heading",
    "The regime lied and the thugs ran away from the calm town today. Rain fell on roofs all night. Shops opened"
    " late on Monday. A bus took pupils to school. A baker sold bread until noon. Later a river rose a little."
    " Dogs barked at passing cars. Nobody expected snow in May.",
    "The mayor said the bridge is safe.",
)


def span_of(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    at = -1
    for _ in range(occurrence):
        at = text.index(quote, at + 1)
    return at, at + len(quote)


def text_span(text: str, quote: str, occurrence: int = 1) -> TextSpan:
    start, end = span_of(text, quote, occurrence)
    return TextSpan(start=start, end=end, quote=quote)


def item(text: str, item_id: str, quote: str, labels: tuple[str, ...], *, skill: str = "framing", occurrence: int = 1,
         alternatives: tuple[str, ...] = (), feedback: str | None = None, roles: dict[str, str | None] | None = None,
         start: int | None = None, contested: str | None = None) -> AnnotationItem:
    """An item found by quote (its ``occurrence``-th occurrence), or at ``start`` when given."""
    if start is None:
        start, end = span_of(text, quote, occurrence)
    else:
        end = start + len(quote)
        assert text[start:end] == quote
    role_spans = None
    if roles is not None:
        role_spans = Roles(**{k: (text_span(text, v) if v else None) for k, v in roles.items()})
    return AnnotationItem(
        id=item_id,
        skill=skill,
        labels=labels,
        start=start,
        end=end,
        quote=quote,
        voice="author",
        rationale=f"Rationale of {item_id}.",
        alternatives=tuple(text_span(text, a) for a in alternatives),
        feedback=feedback,
        roles=role_spans,
        contested=contested,
    )


def build_pack(items: list[dict[str, Any]] | None = None, paragraphs: tuple[str, ...] = PARAGRAPHS) -> LessonPack:
    """A pack of ``paragraphs`` (blocks ``b0``, ``b1``...) joined by newlines, with ``items``
    given as keyword dicts for :func:`item` (``id``, ``quote``, ``labels`` and options)."""
    text = "\n".join(paragraphs)
    blocks, at = [], 0
    for index, paragraph in enumerate(paragraphs):
        role = BlockRole.HEADLINE if index == 0 else BlockRole.BODY
        blocks.append(Block(id=f"b{index}", role=role, start=at, end=at + len(paragraph)))
        at += len(paragraph) + 1
    built = [item(text, **spec) for spec in (items if items is not None else default_items())]
    return LessonPack(
        path=Path("/nonexistent/test-pack"),
        article=Article(id="test-pack", title="Test", text=text, provenance=Provenance(), blocks=tuple(blocks)),
        glossary=Glossary(techniques=tuple(
            Technique(id=i, name=i.replace("_", " ").title(), skill=s, category=c, definition="d", example="e", counter_example="c")
            for i, s, c in TECHNIQUES
        )),
        annotation=Annotation(items=tuple(sorted(built, key=lambda i: (i.start, i.end)))),
        teacher_guide="",
        student_guide="",
    )


def default_items() -> list[dict[str, Any]]:
    return [
        dict(item_id="frm-regime", quote="regime", labels=("name_calling",), alternatives=("The regime",)),
        dict(item_id="frm-thugs", quote="thugs", labels=("loaded_language",)),
        dict(item_id="foil-calm", quote="calm", labels=("loaded_language",), skill="foil",
             feedback="Calm describes the town; it does not judge anyone."),
        dict(item_id="att-mayor", quote="The mayor said the bridge is safe.", labels=("direct_quote",), skill="attribution",
             roles={"source": "The mayor", "cue": "said", "content": "the bridge is safe"}),
    ]
