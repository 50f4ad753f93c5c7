"""Drafts, pack files and pack documents: a pack round-trips exactly; a document cannot write outside its pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lesson.errors import PackInvalid
from lesson.loading import shipped_packs_dir
from quizzes.loading import load_bank
from quizzes.studio.importing import import_upload
from quizzes.studio.packing import DocumentInvalid, document_files, draft_files, files_draft, new_draft, pack_document
from quizzes.studio.previewing import everything_response, preview_bank
from quizzes.studio.storing import commit_pack, read_pack_files, stage_pack, studio_pack_dirs

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize("folder", [FIXTURES / "packs" / "tiny", shipped_packs_dir() / "central-asia-2022"])
def test_a_pack_round_trips_through_a_document_and_back_to_files_unchanged(folder, tmp_path):
    files = read_pack_files(folder)
    document = pack_document(files)
    assert document_files(document) == files
    staged, bank = stage_pack(tmp_path, document_files(document))
    saved = commit_pack(staged, tmp_path)
    assert read_pack_files(saved) == files
    assert pack_document(read_pack_files(saved)) == document
    assert bank.pack.id == load_bank(folder).pack.id
    assert studio_pack_dirs(tmp_path) == (saved,)


def test_a_draft_round_trips_through_its_files():
    draft = files_draft(read_pack_files(FIXTURES / "packs" / "tiny"))
    assert files_draft(draft_files(draft)) == draft
    assert len(draft.items) == 9 and len(draft.exercises) == 16


def test_a_new_draft_from_an_import_is_a_valid_pack_and_grows_a_quiz(tmp_path):
    imported = import_upload("harbour.md", (FIXTURES / "studio" / "harbour.md").read_bytes())
    draft = new_draft(imported, "harbour")
    assert stage_pack(tmp_path / "empty", draft_files(draft))[1].quizzes == {}  # valid, but nothing to assign yet
    body = next(b for b in draft.pack["blocks"] if b["role"] == "body")
    draft.exercises = [{"id": "h-1", "type": "single_choice", "skill": "framing", "title": "T", "prompt": "Which?", "scope": [body["id"]],
                        "options": [{"id": "a", "text": "A", "correct": True, "feedback": "Yes."}, {"id": "b", "text": "B", "correct": False, "feedback": "No."}]}]
    draft.quizzes = [{"id": "h-quiz", "title": "Q", "kind": "practice", "exercises": ["h-1"]}]
    _staged, bank = stage_pack(tmp_path, draft_files(draft))
    assert bank.pack.article.provenance.publisher == "The Coastal Courier (a constructed example)"
    [preview] = preview_bank(bank)
    assert preview.model_answer.status == "correct" and preview.empty_answer.earned == 0 and preview.mark_everything is None


def test_a_rejected_pack_leaves_nothing_behind(tmp_path):
    files = read_pack_files(FIXTURES / "packs" / "tiny")
    files["annotations/items.json"] = files["annotations/items.json"].replace('"start": 107', '"start": 108', 1)
    with pytest.raises(PackInvalid) as raised:
        stage_pack(tmp_path, files)
    assert any(p.file == "tiny/annotations/items.json" and "(frm-gamble)" in p.location for p in raised.value.problems)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("document, message", [
    ([], "format"),
    ({"format": "medialit-pack", "format_version": 2, "files": {}}, "format_version"),
    ({"format": "medialit-pack", "format_version": 1, "files": {"article.txt": "x"}}, "pack.json"),
    ({"format": "medialit-pack", "format_version": 1, "files": {"pack.json": "{}", "../../etc/passwd": "x"}}, "not a file a lesson pack holds"),
    ({"format": "medialit-pack", "format_version": 1, "files": {"pack.json": "{}", "/abs.json": "x"}}, "not a file a lesson pack holds"),
    ({"format": "medialit-pack", "format_version": 1, "files": {"pack.json": 3}}, "must be the file's text"),
])
def test_a_document_that_is_not_a_pack_is_refused(document, message):
    with pytest.raises(DocumentInvalid, match=message):
        document_files(document)


def test_mark_everything_marks_every_block_in_scope():
    bank = load_bank(FIXTURES / "packs" / "tiny")
    highlight = bank.exercise("t-highlight")
    response = everything_response(highlight, bank.pack)
    blocks = [(bank.pack.article.block(b).start, bank.pack.article.block(b).end) for b in highlight.scope]
    assert len(blocks) >= 2 and [(s.start, s.end) for s in response.spans] == blocks
    assert everything_response(bank.exercise("t-single"), bank.pack) is None
    assert set(everything_response(bank.exercise("t-multi"), bank.pack).choices) == {"a", "b", "c"}


def test_replacing_a_saved_pack_keeps_one_folder(tmp_path):
    files = read_pack_files(FIXTURES / "packs" / "tiny")
    commit_pack(stage_pack(tmp_path, files)[0], tmp_path)
    files["guide/teacher.md"] = "A new guide.\n"
    saved = commit_pack(stage_pack(tmp_path, files)[0], tmp_path)
    assert (saved / "guide" / "teacher.md").read_text(encoding="utf-8") == "A new guide.\n"
    assert [p.name for p in tmp_path.iterdir()] in (["tiny"], ["tiny", ".staging"], [".staging", "tiny"])
    shutil.rmtree(tmp_path / ".staging", ignore_errors=True)


def test_a_draft_cannot_name_a_text_file_outside_its_pack():
    draft = files_draft(read_pack_files(FIXTURES / "packs" / "tiny"))
    draft.pack["text_file"] = "../../elsewhere.txt"
    with pytest.raises(DocumentInvalid, match="text_file"):
        draft_files(draft)
