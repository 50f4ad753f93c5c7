"""A pack as the studio edits it (a draft), as files, and as one shareable file (a pack document).

- :class:`PackDraft` is the editor's state: ``pack.json``'s fields, the text, glossary, master
  items, exercises, quizzes, guides and an optional lexicon, as plain JSON values. It is not
  validated here: :func:`draft_files` turns it into the pack's files, and the same loader and lint
  as for shipped packs judge those, naming file and line.
- A *pack document* is every file of a pack in one JSON object, to export and import:
  ``{"format": "medialit-pack", "format_version": 1, "id": ..., "title": ..., "files": {path: text}}``.
  Files are kept as their exact text, so a pack round-trips through export and import unchanged.

Pure: values in, values out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lesson.errors import MedialitError
from quizzes.studio.importing import ImportedText

__all__ = ["PackDraft", "DocumentInvalid", "PACK_DOCUMENT_FORMAT", "is_pack_file", "draft_files", "files_draft",
           "new_draft", "pack_document", "document_files", "default_glossary", "dump_json"]

PACK_DOCUMENT_FORMAT = "medialit-pack"
_PACK_FILE = re.compile(r"^(?:pack\.json|[a-z0-9_-]+\.txt|techniques\.json|quizzes\.json|lexicon\.json|"
                        r"annotations/[a-z0-9_-]+\.json|exercises/[a-z0-9_-]+\.json|guide/(?:teacher|student)\.md|"
                        r"guide/discussion\.json)$")
_GLOSSARY = Path(__file__).parent / "data" / "techniques-en.json"


class DocumentInvalid(MedialitError):
    slug = "pack-document-invalid"
    title = "The file is not a medialit pack document."


class PackDraft(BaseModel):
    """The editor's pack: each field becomes one file (see :func:`draft_files`)."""

    model_config = ConfigDict(extra="forbid")

    pack: dict[str, Any] = Field(description="pack.json: format_version, id, title, language, text_file, provenance, blocks")
    text: str = Field(description="the canonical text (article.txt)")
    techniques: list[Any] = Field(default_factory=list, description="techniques.json")
    items: list[Any] = Field(default_factory=list, description="the master annotation (annotations/items.json)")
    exercises: list[Any] = Field(default_factory=list, description="exercises/all.json")
    quizzes: list[Any] = Field(default_factory=list, description="quizzes.json")
    teacher_guide: str = ""
    student_guide: str = ""
    lexicon: dict[str, Any] | None = None


def dump_json(value: Any) -> str:
    """JSON as the studio writes pack files: one-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def is_pack_file(path: str) -> bool:
    """Whether ``path`` (relative, ``/``-separated) is a file a pack may hold."""
    return bool(_PACK_FILE.match(path))


def default_glossary() -> list[dict[str, Any]]:
    """The general-purpose glossary a new pack starts from: every label the suggestion rules propose."""
    return json.loads(_GLOSSARY.read_text(encoding="utf-8"))


def new_draft(imported: ImportedText, pack_id: str) -> PackDraft:
    """A draft for a freshly imported text: its blocks and provenance, the default glossary, nothing else yet."""
    return PackDraft(
        pack={
            "format_version": 1, "id": pack_id, "title": imported.title, "language": imported.language,
            "text_file": "article.txt", "provenance": imported.provenance.model_dump(mode="json"),
            "blocks": [{"id": b.id, "role": b.role.value, "start": b.start, "end": b.end} for b in imported.blocks],
        },
        text=imported.text,
        techniques=default_glossary(),
    )


def draft_files(draft: PackDraft) -> dict[str, str]:
    """The files of a draft, by relative path, as the loader reads them; raises ``DocumentInvalid``
    for a ``text_file`` that is not a plain ``.txt`` name."""
    text_file = str(draft.pack.get("text_file", "article.txt"))
    if not re.fullmatch(r"[a-z0-9_-]+\.txt", text_file):
        raise DocumentInvalid(f"pack.text_file: {text_file!r} must be a plain file name ending in .txt, such as article.txt")
    files = {
        "pack.json": dump_json(draft.pack),
        text_file: draft.text,
        "techniques.json": dump_json(draft.techniques),
        "annotations/items.json": dump_json({"items": draft.items}),
        "exercises/all.json": dump_json({"exercises": draft.exercises}),
        "quizzes.json": dump_json({"quizzes": draft.quizzes}),
        "guide/teacher.md": draft.teacher_guide,
        "guide/student.md": draft.student_guide,
    }
    if draft.lexicon is not None:
        files["lexicon.json"] = dump_json(draft.lexicon)
    return files


def _json_file(files: dict[str, str], path: str, default: Any) -> Any:
    if path not in files:
        return default
    try:
        return json.loads(files[path])
    except json.JSONDecodeError as error:
        raise DocumentInvalid(f"{path}: line {error.lineno}, column {error.colno}: malformed JSON: {error.msg}") from None


def files_draft(files: dict[str, str]) -> PackDraft:
    """A draft from a pack's files, to edit a saved pack again: every annotation and exercise file is
    read in name order into one list (saving writes them back as one file each)."""
    pack = _json_file(files, "pack.json", {})
    if not isinstance(pack, dict):
        raise DocumentInvalid("pack.json: must be a JSON object")
    items: list[Any] = []
    exercises: list[Any] = []
    for path in sorted(files):
        if path.startswith("annotations/"):
            items.extend(_json_file(files, path, {}).get("items", []))
        elif path.startswith("exercises/"):
            exercises.extend(_json_file(files, path, {}).get("exercises", []))
    return PackDraft(
        pack=pack,
        text=files.get(str(pack.get("text_file", "article.txt")), ""),
        techniques=_json_file(files, "techniques.json", []),
        items=items,
        exercises=exercises,
        quizzes=_json_file(files, "quizzes.json", {}).get("quizzes", []),
        teacher_guide=files.get("guide/teacher.md", ""),
        student_guide=files.get("guide/student.md", ""),
        lexicon=_json_file(files, "lexicon.json", None),
    )


def pack_document(files: dict[str, str]) -> dict[str, Any]:
    """One shareable JSON object holding every file of a pack, exactly."""
    pack = _json_file(files, "pack.json", {})
    return {
        "format": PACK_DOCUMENT_FORMAT,
        "format_version": 1,
        "id": pack.get("id", "") if isinstance(pack, dict) else "",
        "title": pack.get("title", "") if isinstance(pack, dict) else "",
        "files": {path: files[path] for path in sorted(files)},
    }


def document_files(document: Any) -> dict[str, str]:
    """The files of a pack document; raises ``DocumentInvalid`` for anything else, or a path a pack
    may not hold (so an import can never write outside its own folder)."""
    if not isinstance(document, dict) or document.get("format") != PACK_DOCUMENT_FORMAT:
        raise DocumentInvalid(f'expected a JSON object with "format": "{PACK_DOCUMENT_FORMAT}"')
    if document.get("format_version") != 1:
        raise DocumentInvalid("format_version: must be 1")
    files = document.get("files")
    if not isinstance(files, dict) or "pack.json" not in files:
        raise DocumentInvalid('files: must be an object of file texts by path, with "pack.json"')
    for path, text in files.items():
        if not isinstance(path, str) or not is_pack_file(path):
            raise DocumentInvalid(f"files: {path!r} is not a file a lesson pack holds")
        if not isinstance(text, str):
            raise DocumentInvalid(f"files.{path}: must be the file's text")
    return dict(files)
