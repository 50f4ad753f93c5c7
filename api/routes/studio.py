"""Studio routes (teachers only): bring your own article, build a pack, save, share and assign it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, status
from fastapi.responses import JSONResponse

from api import studio
from api.deps import CatalogDep, SettingsDep, TeacherDep
from api.routes.common import PROBLEM_RESPONSES, problems
from quizzes.studio.packing import PackDraft

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/studio", tags=["studio"], dependencies=[TeacherDep], responses={**PROBLEM_RESPONSES, **problems(401)})


@router.post("/import", response_model=studio.ImportOut, summary="Import pasted text or a .txt/.md/.html/.docx file as a new draft, with suggestions")
def import_text(body: studio.ImportIn) -> studio.ImportOut:
    return studio.import_source(body)


@router.post("/suggestions", response_model=studio.SuggestionsOut, summary="Suggested spans for a draft's text and blocks, each naming its rule")
def suggestions(draft: PackDraft) -> studio.SuggestionsOut:
    return studio.suggest_for(draft)


@router.post("/lint", response_model=studio.CheckOut, summary="Lint a draft without saving; when valid, preview every exercise with three scored answers")
def check(draft: PackDraft, catalog: CatalogDep, settings: SettingsDep) -> studio.CheckOut:
    return studio.check_draft(catalog, settings.studio_packs, draft)


@router.get("/packs", response_model=list[studio.StudioPackOut], summary="The packs saved in the studio")
def list_packs(catalog: CatalogDep) -> list[studio.StudioPackOut]:
    return studio.list_studio_packs(catalog)


@router.post("/packs", response_model=studio.SavedOut, status_code=status.HTTP_201_CREATED, responses=problems(422),
             summary="Import a pack file (as exported) and save it")
def import_pack(catalog: CatalogDep, settings: SettingsDep, document: dict[str, Any] = Body(...)) -> studio.SavedOut:
    return studio.import_document(catalog, settings.studio_packs, document)


@router.get("/packs/{pack_id}", response_model=PackDraft, responses=problems(404), summary="A served pack as an editable draft")
def get_pack(pack_id: str, catalog: CatalogDep) -> PackDraft:
    return studio.get_draft(catalog, pack_id)


@router.put("/packs/{pack_id}", response_model=studio.SavedOut, responses=problems(422),
            summary="Save a draft as a pack (validated by the loader and lint); the catalog reloads")
def save_pack(pack_id: str, draft: PackDraft, catalog: CatalogDep, settings: SettingsDep) -> studio.SavedOut:
    return studio.save_draft(catalog, settings.studio_packs, pack_id, draft)


@router.get("/packs/{pack_id}/export", responses={**problems(404), 200: {"content": {"application/json": {}}, "description": "the pack as one file"}},
            summary="Export a served pack as one file to share")
def export_pack(pack_id: str, catalog: CatalogDep) -> JSONResponse:
    headers = {"Content-Disposition": f'attachment; filename="{pack_id}.medialit-pack.json"'}
    return JSONResponse(studio.export_document(catalog, pack_id), headers=headers)
