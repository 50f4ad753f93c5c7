"""The studio's services: import a text, suggest spans, check and preview a draft, save, export and
import packs. Saved packs live in ``Settings.studio_packs`` and join the catalog like shipped ones.

A pack is saved only when the same loader and lint as for shipped packs accept it and its quiz and
exercise ids clash with no other pack's; otherwise :class:`PackRejected` lists every problem with
its file and location (an RFC 9457 problem with one ``errors`` entry per problem).
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from api.catalog import Catalog
from api.errors import InvalidInput
from lesson.article import BlockRole
from lesson.errors import PackInvalid, PackProblem
from quizzes.bank import Bank
from quizzes.studio.importing import ImportedBlock, import_text, import_upload
from quizzes.studio.lexicon import Lexicon, default_lexicon, merge_lexicons, parse_lexicon
from quizzes.studio.packing import PackDraft, document_files, draft_files, files_draft, new_draft, pack_document
from quizzes.studio.previewing import PreviewOut, preview_bank
from quizzes.studio.storing import commit_pack, discard_staged, read_pack_files, stage_pack
from quizzes.studio.suggesting import Suggestion, rules_for, suggest

__all__ = ["ImportIn", "ImportOut", "SuggestionsOut", "ProblemItemOut", "CheckOut", "SavedOut", "StudioPackOut", "PackRejected",
           "import_source", "suggest_for", "check_draft", "save_draft", "import_document", "export_document", "get_draft",
           "list_studio_packs", "teacher_message"]

_save_lock = threading.Lock()


@dataclass
class PackRejected(PackInvalid):
    slug = "pack-rejected"
    title = "The pack has problems; nothing was saved."


class ImportIn(BaseModel):
    """Pasted ``text``, or an upload: ``filename`` and the file's bytes in ``content_base64``."""

    text: str | None = Field(default=None, max_length=500_000, description="at most 500,000 characters (a long article has 50,000)")
    filename: str | None = Field(default=None, max_length=200)
    content_base64: str | None = None
    pack_id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,40}$", description="default: made from the title")


class RuleOut(BaseModel):
    id: str
    skill: str
    label: str
    description: str


class ImportOut(BaseModel):
    draft: PackDraft
    reasons: dict[str, str] = Field(description="why each block got its proposed role, by block id")
    suggestions: list[Suggestion]
    rules: list[RuleOut]


class SuggestionsOut(BaseModel):
    suggestions: list[Suggestion]
    rules: list[RuleOut]


class ProblemItemOut(BaseModel):
    file: str
    location: str
    message: str


class CheckOut(BaseModel):
    ok: bool
    problems: list[ProblemItemOut]
    previews: list[PreviewOut] = Field(default_factory=list, description="every exercise as a student sees it, with three scored answers (only when ok)")


class SavedOut(BaseModel):
    id: str
    title: str
    quizzes: list[str]
    replaced: bool


class StudioPackOut(BaseModel):
    id: str
    title: str
    quizzes: list[str]


def _slug(title: str) -> str:
    slug = ""
    for word in re.findall(r"[a-z0-9]+", title.lower()):
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "my-article"


def import_source(body: ImportIn) -> ImportOut:
    """A pasted text or an upload as a new draft, with the proposed roles' reasons and the suggestions."""
    if body.text is not None:
        imported = import_text(body.text)
    elif body.filename and body.content_base64 is not None:
        try:
            data = base64.b64decode(body.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("content_base64", "is not base64") from None
        imported = import_upload(body.filename, data)
    else:
        raise InvalidInput("text", "paste a text, or send filename and content_base64")
    draft = new_draft(imported, body.pack_id or _slug(imported.title))
    found = _suggest(draft, imported.blocks)
    return ImportOut(draft=draft, reasons={b.id: b.reason for b in imported.blocks}, suggestions=found,
                     rules=[RuleOut(**r) for r in rules_for(default_lexicon())])


def _lexicon(draft: PackDraft) -> Lexicon:
    if draft.lexicon is None:
        return default_lexicon()
    try:
        return merge_lexicons(default_lexicon(), parse_lexicon(draft.lexicon))
    except ValueError as error:
        raise InvalidInput("lexicon", str(error).splitlines()[0]) from None


def _suggest(draft: PackDraft, blocks: Any) -> list[Suggestion]:
    return suggest(draft.text, [(b.id, b.role, b.start, b.end) for b in blocks], _lexicon(draft))


def suggest_for(draft: PackDraft) -> SuggestionsOut:
    """Suggestions for a draft's text and (possibly edited) blocks."""
    blocks = []
    for index, raw in enumerate(draft.pack.get("blocks", [])):
        try:
            role = BlockRole(raw["role"])
            blocks.append(ImportedBlock(id=str(raw["id"]), role=role, start=int(raw["start"]), end=int(raw["end"]), reason=""))
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(f"pack.blocks[{index}]", "needs id, a known role, start and end") from None
    return SuggestionsOut(suggestions=_suggest(draft, blocks), rules=[RuleOut(**r) for r in rules_for(_lexicon(draft))])


_TOO_LITTLE_PLAIN_TEXT = re.compile(
    r"the scope has too little technique-free text to measure discernment: marking all of it(?P<labelled>(?: \(labelled [^)]*\))?) "
    r"earns (?P<earned>\d+)% \(at most 20% allowed\); (?P<free>\d+) of its \d+ code points \(\d+%\) are neither key nor next to a key span, "
    r"and (?P<needed>\d+) would do")


def teacher_message(message: str) -> str:
    """A lint message in the editor's words where lint's own speaks of its measures: a span
    exercise whose paragraphs hold too little text without a technique (see docs/scoring.md)."""
    found = _TOO_LITTLE_PLAIN_TEXT.match(message)
    if found is None:
        return message
    return (f"A student who marks every word of these paragraphs{found['labelled']} would earn {found['earned']}% (at most 20% is allowed), "
            "so the score could not tell spotting the technique from marking everything. "
            f"The paragraphs hold {found['free']} characters of text away from the key spans and {found['needed']} are needed: "
            "add paragraphs of plain text around the spans to the exercise, or use another exercise type.")


def _problems(error: PackInvalid) -> list[ProblemItemOut]:
    return [ProblemItemOut(file=p.file, location=p.location, message=teacher_message(p.message)) for p in error.problems]


def _stage(catalog: Catalog, studio_dir: Path, files: dict[str, str]) -> tuple[Path, Bank]:
    """Stage and validate ``files``; raises ``PackInvalid`` for the pack's own problems and for
    ids it shares with another pack of the catalog."""
    studio_dir.mkdir(parents=True, exist_ok=True)
    staged, bank = stage_pack(studio_dir, files)
    lesson_id = bank.pack.id
    try:
        if lesson_id in catalog.banks and not catalog.is_studio(lesson_id):
            raise PackInvalid([PackProblem(f"{lesson_id}/pack.json", "id", f"{lesson_id!r} is the id of a pack that ships with medialit; choose another")])
        others = {k: v for k, v in catalog.banks.items() if k != lesson_id}
        Catalog(banks={**others, lesson_id: bank})  # raises on quiz or exercise ids used by another pack
    except PackInvalid:
        discard_staged(staged)
        raise
    return staged, bank


def check_draft(catalog: Catalog, studio_dir: Path, draft: PackDraft) -> CheckOut:
    """Lint a draft without saving it; when it is valid, preview every exercise."""
    try:
        staged, bank = _stage(catalog, studio_dir, draft_files(draft))
    except PackInvalid as error:
        return CheckOut(ok=False, problems=_problems(error))
    try:
        return CheckOut(ok=True, problems=[], previews=preview_bank(bank))
    finally:
        discard_staged(staged)


def _save(catalog: Catalog, studio_dir: Path, files: dict[str, str]) -> SavedOut:
    with _save_lock:
        try:
            staged, bank = _stage(catalog, studio_dir, files)
        except PackInvalid as error:
            raise PackRejected([replace(p, message=teacher_message(p.message)) for p in error.problems]) from None
        replaced = bank.pack.id in catalog.banks
        commit_pack(staged, studio_dir)
        catalog.reload()
    saved = catalog.bank(bank.pack.id)
    return SavedOut(id=saved.pack.id, title=saved.pack.article.title, quizzes=list(saved.quizzes), replaced=replaced)


def save_draft(catalog: Catalog, studio_dir: Path, pack_id: str, draft: PackDraft) -> SavedOut:
    """Validate and save a draft as the pack ``pack_id`` (new, or replacing the studio pack of that id)."""
    if draft.pack.get("id") != pack_id:
        raise InvalidInput("pack.id", f"must be {pack_id!r}, the pack id in the address")
    return _save(catalog, studio_dir, draft_files(draft))


def import_document(catalog: Catalog, studio_dir: Path, document: Any) -> SavedOut:
    """Save a shared pack document (from :func:`export_document`, maybe on another server)."""
    return _save(catalog, studio_dir, document_files(document))


def export_document(catalog: Catalog, lesson_id: str) -> dict[str, Any]:
    """Any served pack as one file (shipped or saved in the studio)."""
    return pack_document(read_pack_files(catalog.pack(lesson_id).path))


def get_draft(catalog: Catalog, lesson_id: str) -> PackDraft:
    """A served pack as a draft the editor opens."""
    return files_draft(read_pack_files(catalog.pack(lesson_id).path))


def list_studio_packs(catalog: Catalog) -> list[StudioPackOut]:
    return [StudioPackOut(id=b.pack.id, title=b.pack.article.title, quizzes=list(b.quizzes))
            for lesson_id, b in catalog.banks.items() if catalog.is_studio(lesson_id)]

