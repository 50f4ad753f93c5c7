"""The studio routes: import, suggestions, check and preview, save into the catalog, export and import, problems."""

from __future__ import annotations

import base64
import copy
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from tests.api.conftest import API, TEACHER, TINY_PACK, bearer, make_settings  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "studio"
PROBLEM = "application/problem+json"


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[TestClient]:
    settings = make_settings(f"sqlite:///{tmp_path / 'medialit.db'}", data_dir=tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _import(client: TestClient, name: str = "harbour.html") -> dict[str, Any]:
    body = {"filename": name, "content_base64": base64.b64encode((FIXTURES / name).read_bytes()).decode(), "pack_id": "harbour"}
    response = client.post(f"{API}/studio/import", json=body, headers=TEACHER)
    assert response.status_code == 200, response.text
    return response.json()


def _span(text: str, quote: str) -> dict[str, Any]:
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def build_lesson(imported: dict[str, Any]) -> dict[str, Any]:
    """What the teacher does in the editor: accept three suggestions, write rationales, four exercises, one quiz."""
    draft = copy.deepcopy(imported["draft"])
    text = draft["text"]
    suggestions = imported["suggestions"]
    shameless = next(s for s in suggestions if s["quote"] == "shameless")
    mayor = next(s for s in suggestions if "quotation" in s["rules"])
    funded = next(s for s in suggestions if "funder_name" in s["rules"])
    body_block = next(b["id"] for b in draft["pack"]["blocks"] if b["start"] <= mayor["start"] < b["end"])
    body = [b["id"] for b in draft["pack"]["blocks"] if b["role"] == "body"]  # enough plain text to tell marking from guessing
    funded_block = next(b["id"] for b in draft["pack"]["blocks"] if b["start"] <= funded["start"] < b["end"])
    draft["items"] = [
        {"id": "frm-1", "skill": "framing", "labels": ["loaded_language"], **_span(text, "shameless giveaway"),
         "voice": "Critics", "rationale": "A judging phrase that tells the reader what to think of the deal."},
        {"id": "att-1", "skill": "attribution", "labels": ["direct_quote"], "start": mayor["start"], "end": mayor["end"],
         "quote": mayor["quote"], "voice": mayor["voice"], "rationale": "The mayor is named and quoted.", "source": mayor["source"],
         "roles": {k: mayor["roles"][k] for k in ("source", "cue", "content")}},
        {"id": "fun-1", "skill": "funding", "labels": ["funding_discredit"], "start": funded["start"], "end": funded["end"],
         "quote": funded["quote"], "voice": "author", "rationale": "The funder is named instead of an answer to the group's warning."},
    ]
    assert shameless["label"] == "loaded_language"
    draft["exercises"] = [
        {"id": "harbour-words", "type": "highlight", "skill": "framing", "title": "Loaded words", "prompt": "Mark the words that judge.",
         "scope": body, "labels": ["loaded_language"], "key": ["frm-1"]},
        {"id": "harbour-roles", "type": "attribution_roles", "skill": "attribution", "title": "Who says so?",
         "prompt": "Mark the speaker, the reporting verb and what is said.", "scope": [body_block], "claim": "att-1"},
        {"id": "harbour-funding", "type": "single_choice", "skill": "funding", "title": "Funding", "prompt": "What does naming the funder do here?",
         "scope": [funded_block], "refs": ["fun-1"], "options": [
             {"id": "a", "text": "It answers the group's argument.", "correct": False, "feedback": "It does not engage with it."},
             {"id": "b", "text": "It puts who pays in place of an answer.", "correct": True, "feedback": "Right."}]},
        {"id": "harbour-why", "type": "short_answer", "skill": "funding", "title": "Explain", "prompt": "Why is naming the funder not an answer?",
         "scope": [funded_block], "refs": ["fun-1"], "model_answer": "Who pays the group says nothing about whether the bay is at risk.",
         "rubric": {"criteria": [{"id": "c1", "description": "Separates payer from claim", "points": 1, "concepts": [["pay", "fund"], ["claim", "risk", "argument"]]}]}},
    ]
    draft["quizzes"] = [{"id": "harbour-quiz", "title": "Harbour Town", "kind": "assessment", "exercises": [e["id"] for e in draft["exercises"]]}]
    return draft


def test_import_pasted_text_and_uploads(studio: TestClient) -> None:
    pasted = studio.post(f"{API}/studio/import", json={"text": (FIXTURES / "harbour.txt").read_text(encoding="utf-8")}, headers=TEACHER)
    assert pasted.status_code == 200, pasted.text
    data = pasted.json()
    assert data["draft"]["pack"]["id"] == "harbour-town-celebrates-the-new-port"  # whole words, at most 40 characters
    assert data["reasons"]["b00"] == "the first short line, without a full stop"
    assert {s["skill"] for s in data["suggestions"]} == {"attribution", "framing", "funding"}
    assert all(s["rules"] and s["why"] for s in data["suggestions"])
    assert {r["id"] for r in data["rules"]} >= {"quotation", "vague_source", "scare_quotes", "lexicon:nazi_terms", "funder_name"}
    docx = _import(studio, "harbour.docx")
    assert docx["draft"]["pack"]["provenance"]["author"] == "Sam Lee"


@pytest.mark.parametrize("body, status, slug", [
    ({"filename": "a.pdf", "content_base64": "JVBERg=="}, 422, "import-failed"),
    ({"filename": "a.txt", "content_base64": "not base64!"}, 422, "validation-error"),
    ({}, 422, "validation-error"),
])
def test_import_problems_are_problem_documents(studio: TestClient, body: dict[str, Any], status: int, slug: str) -> None:
    response = studio.post(f"{API}/studio/import", json=body, headers=TEACHER)
    assert response.status_code == status and response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["type"].endswith(slug)


def test_studio_routes_need_the_teacher(studio: TestClient) -> None:
    assert studio.get(f"{API}/studio/packs").status_code == 401
    assert studio.post(f"{API}/studio/import", json={"text": "x"}, headers=bearer("nope")).status_code == 401


def test_check_previews_and_save_makes_the_pack_assignable(studio: TestClient, tmp_path: Path) -> None:
    draft = build_lesson(_import(studio))
    checked = studio.post(f"{API}/studio/lint", json=draft, headers=TEACHER).json()
    assert checked["ok"] and checked["problems"] == []
    previews = {p["exercise"]["id"]: p for p in checked["previews"]}
    assert previews["harbour-words"]["model_answer"]["status"] == "correct"
    assert previews["harbour-words"]["empty_answer"]["earned"] == 0
    assert previews["harbour-words"]["mark_everything"]["earned"] <= 0.2
    assert previews["harbour-funding"]["mark_everything"] is None
    assert "key" not in previews["harbour-words"]["exercise"] and "model_answer" not in previews["harbour-why"]["exercise"]
    assert studio.get(f"{API}/lessons/harbour").status_code == 404  # checking saves nothing

    saved = studio.put(f"{API}/studio/packs/harbour", json=draft, headers=TEACHER)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"id": "harbour", "title": "Harbour Town “celebrates” the new port deal", "quizzes": ["harbour-quiz"], "replaced": False}
    assert (tmp_path / "packs" / "harbour" / "annotations" / "items.json").is_file()
    assert studio.get(f"{API}/lessons/harbour").json()["text"] == draft["text"]
    assert [p["id"] for p in studio.get(f"{API}/studio/packs", headers=TEACHER).json()] == ["harbour"]
    klass = studio.post(f"{API}/classes", json={"name": "9b"}, headers=TEACHER).json()
    assigned = studio.post(f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": "harbour-quiz", "feedback": "immediate"}, headers=TEACHER)
    assert assigned.status_code == 201, assigned.text

    again = studio.put(f"{API}/studio/packs/harbour", json=draft, headers=TEACHER)
    assert again.status_code == 200 and again.json()["replaced"] is True
    assert studio.get(f"{API}/studio/packs/harbour", headers=TEACHER).json() == draft


def test_a_saved_pack_is_served_after_a_restart(studio: TestClient, tmp_path: Path) -> None:
    assert studio.put(f"{API}/studio/packs/harbour", json=build_lesson(_import(studio)), headers=TEACHER).status_code == 200
    settings = make_settings(f"sqlite:///{tmp_path / 'medialit.db'}", data_dir=tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as restarted:
        assert restarted.get(f"{API}/quizzes/harbour-quiz", headers=TEACHER).status_code == 200


def test_a_pack_round_trips_through_export_and_import_unchanged(studio: TestClient, tmp_path: Path) -> None:
    assert studio.put(f"{API}/studio/packs/harbour", json=build_lesson(_import(studio)), headers=TEACHER).status_code == 200
    exported = studio.get(f"{API}/studio/packs/harbour/export", headers=TEACHER)
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    document = exported.json()
    assert document["format"] == "medialit-pack" and "annotations/items.json" in document["files"]

    # a colleague's server imports the file
    other = make_settings(f"sqlite:///{tmp_path / 'other.db'}", data_dir=tmp_path / "other")
    with TestClient(create_app(other), raise_server_exceptions=False) as colleague:
        imported = colleague.post(f"{API}/studio/packs", json=document, headers=TEACHER)
        assert imported.status_code == 201, imported.text
        assert colleague.get(f"{API}/studio/packs/harbour/export", headers=TEACHER).content == exported.content
    on_disk = {p.relative_to(tmp_path / "other" / "packs" / "harbour").as_posix(): p.read_text(encoding="utf-8")
               for p in (tmp_path / "other" / "packs" / "harbour").rglob("*") if p.is_file()}
    assert on_disk == document["files"]


def test_a_shipped_pack_exports_and_its_ids_cannot_be_reused(studio: TestClient) -> None:
    document = studio.get(f"{API}/studio/packs/tiny-api/export", headers=TEACHER).json()
    assert set(document["files"]) >= {"pack.json", "article.txt", "exercises/all.json"}
    assert document["files"]["article.txt"] == (TINY_PACK / "article.txt").read_text(encoding="utf-8")
    refused = studio.post(f"{API}/studio/packs", json=document, headers=TEACHER)
    assert refused.status_code == 422 and refused.json()["type"].endswith("pack-rejected")
    assert "ships with medialit" in refused.json()["detail"]


def test_lint_rejects_a_pack_with_a_broken_anchor(studio: TestClient, tmp_path: Path) -> None:
    draft = build_lesson(_import(studio))
    draft["items"][0]["start"] += 2  # the editor's offsets no longer select the quote
    draft["items"][0]["end"] += 2
    checked = studio.post(f"{API}/studio/lint", json=draft, headers=TEACHER).json()
    assert not checked["ok"]
    assert any(p["file"] == "harbour/annotations/items.json" and "(frm-1)" in p["location"] and "not the quote" in p["message"]
               for p in checked["problems"])
    refused = studio.put(f"{API}/studio/packs/harbour", json=draft, headers=TEACHER)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith(PROBLEM)
    problem = refused.json()
    assert problem["type"].endswith("/pack-rejected") and problem["status"] == 422
    [anchor] = [e for e in problem["errors"] if "not the quote" in e["message"]]
    assert anchor["field"].startswith("harbour/annotations/items.json:line ") and anchor["field"].endswith("(frm-1)")
    assert not (tmp_path / "packs" / "harbour").exists()
    assert studio.get(f"{API}/lessons/harbour").status_code == 404


def test_a_highlight_over_one_short_paragraph_is_refused_in_the_teachers_words(studio: TestClient) -> None:
    draft = build_lesson(_import(studio))
    words = draft["exercises"][0]
    words["scope"] = [next(b["id"] for b in draft["pack"]["blocks"] if b["start"] <= draft["items"][0]["start"] < b["end"])]
    checked = studio.post(f"{API}/studio/lint", json=draft, headers=TEACHER).json()
    [problem] = [p for p in checked["problems"] if "(harbour-words)" in p["location"]]
    assert "marks every word of these paragraphs would earn 56%" in problem["message"]
    assert "add paragraphs of plain text" in problem["message"] and "code points" not in problem["message"]
    refused = studio.put(f"{API}/studio/packs/harbour", json=draft, headers=TEACHER).json()
    assert [e["message"] for e in refused["errors"]] == [problem["message"]]


def test_save_checks_the_address_and_a_pack_file(studio: TestClient) -> None:
    draft = build_lesson(_import(studio))
    wrong = studio.put(f"{API}/studio/packs/other", json=draft, headers=TEACHER)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "pack.id"
    for document in ({"format": "zip"}, {"format": "medialit-pack", "format_version": 1, "files": {"../evil.json": "{}", "pack.json": "{}"}}):
        bad = studio.post(f"{API}/studio/packs", json=document, headers=TEACHER)
        assert bad.status_code == 422 and bad.json()["type"].endswith("pack-document-invalid")


def test_suggestions_follow_edited_block_roles(studio: TestClient) -> None:
    draft = _import(studio)["draft"]
    before = studio.post(f"{API}/studio/suggestions", json=draft, headers=TEACHER).json()["suggestions"]
    for block in draft["pack"]["blocks"]:
        block["role"] = "site_chrome"
    after = studio.post(f"{API}/studio/suggestions", json=draft, headers=TEACHER).json()["suggestions"]
    assert before and after == []
