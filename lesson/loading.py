"""Loading and validating a lesson pack from its folder (see docs/pack-format.md).

Every authoring mistake is collected with its file and location, so one run of the validator shows
them all; a pack with any mistake raises :class:`~lesson.errors.PackInvalid` and never half-loads.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, ValidationError

from lesson.annotations import Annotation, AnnotationItem, ItemSkill
from lesson.article import Article, Block, Provenance, TextSpan
from lesson.bundle import LessonPack
from lesson.discussion import DiscussionQuestion
from lesson.errors import PackInvalid, PackProblem
from lesson.techniques import Glossary, Technique
from lesson.text import is_word_char

__all__ = ["load_pack", "read_json", "ProblemLog", "shipped_packs_dir", "line_of_id", "check_span"]

Model = TypeVar("Model", bound=BaseModel)


def shipped_packs_dir() -> Path:
    """The folder holding the packs that ship with medialit."""
    return Path(__file__).parent / "packs"


class ProblemLog:
    """Collects :class:`PackProblem` s with paths shown relative to the pack folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[PackProblem] = []

    def add(self, path: Path, location: str, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root.parent))
        except ValueError:
            shown = str(path)
        self.problems.append(PackProblem(shown, location, message))

    def add_validation_error(self, path: Path, prefix: str, error: ValidationError) -> None:
        for detail in error.errors():
            location = prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in detail["loc"])
            self.add(path, location, detail["msg"])

    def raise_if_any(self) -> None:
        if self.problems:
            raise PackInvalid(self.problems)


def line_of_id(raw: str, item_id: str) -> int | None:
    """1-based line of ``"id": "<item_id>"`` in a JSON file's text, for error messages."""
    if '"' in item_id or "\\" in item_id:  # not in the one-pass table (JSON would escape it)
        match = re.search(r'"id"\s*:\s*"' + re.escape(item_id) + '"', raw)
        return raw.count("\n", 0, match.start()) + 1 if match else None
    return _id_lines(raw).get(item_id)


_ID = re.compile(r'"id"\s*:\s*"([^"\\]*)"')


@lru_cache(maxsize=8)
def _id_lines(raw: str) -> dict[str, int]:
    """Line of the first ``"id": "..."`` of every id in ``raw``, found in one pass (a pack loads
    hundreds of items, and a regular expression per item cost half a second)."""
    lines: dict[str, int] = {}
    line, counted = 1, 0
    for match in _ID.finditer(raw):
        line += raw.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(match.group(1), line)
    return lines


def read_json(path: Path, log: ProblemLog) -> tuple[Any, str] | None:
    """Parse a JSON file; a missing or malformed file is a problem with its line and column."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.add(path, "", "file is missing")
        return None
    except UnicodeDecodeError as error:
        log.add(path, f"byte {error.start}", "file is not valid UTF-8")
        return None
    try:
        return json.loads(raw), raw
    except json.JSONDecodeError as error:
        log.add(path, f"line {error.lineno}, column {error.colno}", f"malformed JSON: {error.msg}")
        return None


def _validate(model: Callable[..., Model], data: Any, path: Path, prefix: str, log: ProblemLog) -> Model | None:
    try:
        return model(**data) if isinstance(data, dict) else model(data)  # type: ignore[call-arg]
    except ValidationError as error:
        log.add_validation_error(path, prefix, error)
        return None
    except TypeError as error:
        log.add(path, prefix, str(error))
        return None


def check_span(text: str, span: TextSpan) -> str | None:
    """Why ``span`` is not a valid anchor in ``text``, or ``None`` when it is.

    A valid anchor lies inside the text, selects exactly its quote, and neither starts nor ends
    inside a word or with whitespace.
    """
    if span.end > len(text):
        return f"[{span.start}, {span.end}) runs past the end of the text ({len(text)} code points)"
    actual = text[span.start:span.end]
    if actual != span.quote:
        found = text.find(span.quote)
        hint = f"; the quote occurs at [{found}, {found + len(span.quote)})" if found >= 0 else "; the quote does not occur in the text"
        return f"[{span.start}, {span.end}) selects {actual!r}, not the quote {span.quote!r}{hint}"
    if actual != actual.strip():
        return f"the span {actual!r} starts or ends with whitespace"
    if span.start > 0 and is_word_char(text[span.start - 1]) and is_word_char(text[span.start]):
        return f"the span starts inside a word ({text[max(0, span.start - 10):span.end][:40]!r})"
    if span.end < len(text) and is_word_char(text[span.end - 1]) and is_word_char(text[span.end]):
        return f"the span ends inside a word ({text[span.start:span.end + 10][-40:]!r})"
    return None


def load_pack(folder: Path | str) -> LessonPack:
    """Load and validate the pack in ``folder``; raises ``PackInvalid`` listing every problem."""
    root = Path(folder)
    log = ProblemLog(root)
    if not root.is_dir():
        log.add(root, "", "not a folder")
        log.raise_if_any()
    article = _load_article(root, log)
    glossary = _load_glossary(root, log)
    annotation = _load_annotation(root, log, article, glossary)
    discussion = _load_discussion(root, log, glossary)
    log.raise_if_any()
    assert article is not None and glossary is not None and annotation is not None
    return LessonPack(
        path=root,
        article=article,
        glossary=glossary,
        annotation=annotation,
        teacher_guide=_read_optional(root / "guide" / "teacher.md"),
        student_guide=_read_optional(root / "guide" / "student.md"),
        discussion=discussion,
    )


def _load_discussion(root: Path, log: ProblemLog, glossary: Glossary | None) -> tuple[DiscussionQuestion, ...]:
    """``guide/discussion.json`` (optional): ``{"questions": [...]}``, labels from the glossary."""
    path = root / "guide" / "discussion.json"
    if not path.is_file():
        return ()
    parsed = read_json(path, log)
    if parsed is None:
        return ()
    data, raw = parsed
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        log.add(path, "", 'must be a JSON object {"questions": [...]}')
        return ()
    questions: list[DiscussionQuestion] = []
    for index, entry in enumerate(entries):
        question = _validate(DiscussionQuestion, entry, path, f"questions[{index}]", log)
        if question is None:
            continue
        where = f"questions[{index}] (line {line_of_id(raw, question.id)})"
        if any(q.id == question.id for q in questions):
            log.add(path, where, f"duplicate question id {question.id!r}")
        unknown = [label for label in question.labels if glossary is not None and label not in glossary.ids()]
        if unknown:
            log.add(path, where, f"unknown technique labels {unknown}")
        unknown_skills = sorted(set(question.skills) - {s.value for s in ItemSkill})
        if unknown_skills:
            log.add(path, where, f"unknown skills {unknown_skills}")
        questions.append(question)
    return tuple(questions)


def _read_optional(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _load_article(root: Path, log: ProblemLog) -> Article | None:
    path = root / "pack.json"
    parsed = read_json(path, log)
    if parsed is None:
        return None
    meta, _raw = parsed
    if not isinstance(meta, dict):
        log.add(path, "", "must be a JSON object")
        return None
    if meta.get("format_version") != 1:
        log.add(path, "format_version", "must be 1")
    text_path = root / str(meta.get("text_file", "article.txt"))
    try:
        text = text_path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as error:
        log.add(text_path, "", f"cannot read the canonical text: {error}")
        return None
    provenance = _validate(Provenance, meta.get("provenance", {}), path, "provenance", log)
    blocks = []
    for index, raw_block in enumerate(meta.get("blocks", [])):
        block = _validate(Block, raw_block, path, f"blocks[{index}]", log)
        if block is None:
            continue
        where = f"blocks[{index}] ({block.id})"
        if block.end > len(text):
            log.add(path, where, f"ends at {block.end}, past the end of the text ({len(text)})")
        elif text[block.start:block.end] != text[block.start:block.end].strip() or not text[block.start:block.end]:
            log.add(path, where, "a block must not start or end with whitespace")
        if blocks and block.start < blocks[-1].end:
            log.add(path, where, f"overlaps or precedes block {blocks[-1].id}")
        if any(b.id == block.id for b in blocks):
            log.add(path, where, f"duplicate block id {block.id!r}")
        blocks.append(block)
    if not blocks:
        log.add(path, "blocks", "a pack needs at least one block")
    if provenance is None:
        return None
    try:
        return Article(
            id=meta.get("id", ""),
            title=meta.get("title", ""),
            language=meta.get("language", "en"),
            text=text,
            provenance=provenance,
            blocks=tuple(blocks),
        )
    except ValidationError as error:
        log.add_validation_error(path, "", error)
        return None


def _load_glossary(root: Path, log: ProblemLog) -> Glossary | None:
    path = root / "techniques.json"
    parsed = read_json(path, log)
    if parsed is None:
        return None
    entries, _raw = parsed
    if not isinstance(entries, list):
        log.add(path, "", "must be a JSON list of techniques")
        return None
    techniques: list[Technique] = []
    for index, entry in enumerate(entries):
        technique = _validate(Technique, entry, path, f"[{index}]", log)
        if technique is None:
            continue
        if any(t.id == technique.id for t in techniques):
            log.add(path, f"[{index}]", f"duplicate technique id {technique.id!r}")
        techniques.append(technique)
    return Glossary(techniques=tuple(techniques))


_SKILL_PREFIX = {
    ItemSkill.ATTRIBUTION: "att-",
    ItemSkill.FRAMING: "frm-",
    ItemSkill.FUNDING: "fun-",
    ItemSkill.PROVENANCE: "prv-",
    ItemSkill.FACTCHECK: "fct-",
    ItemSkill.FOIL: "foil-",
}


def _load_annotation(root: Path, log: ProblemLog, article: Article | None, glossary: Glossary | None) -> Annotation | None:
    folder = root / "annotations"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        log.add(folder, "", "no annotation files (annotations/*.json)")
    items: dict[str, AnnotationItem] = {}
    for path in files:
        parsed = read_json(path, log)
        if parsed is None:
            continue
        data, raw = parsed
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            log.add(path, "", 'must be an object {"items": [...]}')
            continue
        for index, entry in enumerate(data["items"]):
            label = entry.get("id", "?") if isinstance(entry, dict) else "?"
            line = line_of_id(raw, label) if label != "?" else None
            where = f"line {line} ({label})" if line else f"items[{index}]"
            item = _validate(AnnotationItem, entry, path, where, log)
            if item is None:
                continue
            if item.id in items:
                log.add(path, where, f"duplicate annotation id {item.id!r}")
            items[item.id] = item
            for message in _item_problems(item, article, glossary):
                log.add(path, where, message)
    return Annotation(items=tuple(sorted(items.values(), key=lambda i: (i.start, i.end, i.id))))


def _item_problems(item: AnnotationItem, article: Article | None, glossary: Glossary | None) -> list[str]:
    problems = []
    prefix = _SKILL_PREFIX[item.skill]
    if not item.id.startswith(prefix):
        problems.append(f"id of a {item.skill.value} item must start with {prefix!r}")
    if article is not None:
        spans: list[tuple[str, TextSpan]] = [("anchor", item)]
        spans += [(f"alternatives[{i}]", alt) for i, alt in enumerate(item.alternatives)]
        if item.roles is not None:
            for role in ("source", "cue", "content"):
                span = getattr(item.roles, role)
                if span is not None:
                    spans.append((f"roles.{role}", span))
        for name, span in spans:
            problem = check_span(article.text, span)
            if problem:
                problems.append(f"{name}: {problem}")
        if not any(b.start <= item.start and item.end <= b.end for b in article.blocks):
            problems.append("the anchor must lie inside one block")
    if glossary is not None:
        for label in item.labels:
            try:
                technique = glossary.get(label)
            except KeyError:
                problems.append(f"unknown label {label!r} (not in techniques.json)")
                continue
            if item.skill is not ItemSkill.FOIL and technique.skill.value != item.skill.value:
                problems.append(f"label {label!r} belongs to skill {technique.skill.value!r}, not {item.skill.value!r}")
    if item.roles is not None and item.skill is not ItemSkill.ATTRIBUTION:
        problems.append("only attribution items have roles")
    if (item.check is not None) != (item.skill is ItemSkill.FACTCHECK):
        problems.append("factcheck items, and only they, carry a 'check'")
    if item.skill is ItemSkill.FOIL and not item.feedback:
        problems.append("a foil needs 'feedback' for the student who marks it")
    if item.check is not None:
        for index, source in enumerate(item.check.sources):
            problem = _unfindable_source(source.name)
            if problem:
                problems.append(f"check.sources[{index}]: {problem}")
    return problems


_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_PLACEHOLDER_SOURCES = ("facts.md", "fact sheet", "reference works", "public information")


def _unfindable_source(name: str) -> str | None:
    """Why a fact-check source ``name`` is not a document a student could find, or None.

    A findable source names its publisher, title and date; the date is the part a validator can
    check, so a name must contain a year. Names of notes or vague categories are refused outright.
    """
    folded = name.casefold()
    for placeholder in _PLACEHOLDER_SOURCES:
        if placeholder in folded:
            return f"{name!r} is not a document a student can find; name the publisher, title and date"
    if not _YEAR.search(name):
        return f"{name!r} gives no date; name the publisher, title and date (at least the year)"
    return None
