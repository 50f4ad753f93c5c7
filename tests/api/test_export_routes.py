"""Teacher export routes: the same files as ``medialit export``, problems for bad requests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app

from quizzes.exports.formats import EXPORT_FORMATS, export_quiz
from quizzes.exports.webanno import Submission, marks_collection
from quizzes.loading import load_bank
from quizzes.responses import HighlightResponse, SpanAnswer
from tests.api.conftest import API, TEACHER_TOKEN, make_settings
from tests.conftest import TINY_PACK


@pytest.fixture
def export_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The app (which always serves the export routes) on the tiny fixture pack and a fresh SQLite file."""
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'medialit.db'}", pack_dirs=(TINY_PACK,)))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def teacher(export_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(export_app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {TEACHER_TOKEN}"}) as client:
        yield client


PROBLEM = "application/problem+json"


@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
def test_export_route_returns_the_same_file_as_the_command(teacher: TestClient, export_format: str) -> None:
    response = teacher.get(f"{API}/quizzes/tiny-all/export/{export_format}")
    assert response.status_code == 200
    expected = export_quiz(load_bank(TINY_PACK), "tiny-all", export_format)
    assert response.content == expected.content
    assert response.headers["content-type"].startswith(expected.media_type.split(";")[0])
    assert expected.filename in response.headers["content-disposition"]
    assert response.headers["x-medialit-export-notes"] == str(len(expected.notes))


def test_export_route_qti_is_a_readable_zip(teacher: TestClient) -> None:
    response = teacher.get(f"{API}/quizzes/tiny-all/export/qti")
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_export_notes_route_lists_what_is_left_out(teacher: TestClient) -> None:
    response = teacher.get(f"{API}/quizzes/tiny-all/export/gift/notes")
    assert response.status_code == 200
    assert [n.split(":")[0] for n in response.json()["notes"]] == ["t-highlight", "t-label", "t-roles"]


def test_export_key_route_semeval_forms(teacher: TestClient) -> None:
    tsv = teacher.get(f"{API}/lessons/tiny/export/semeval")
    assert tsv.status_code == 200 and tsv.text.startswith("tiny\t")
    as_json = teacher.get(f"{API}/lessons/tiny/export/semeval", params={"semeval_form": "json"})
    assert as_json.json()[0]["id"] == "tiny"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/quizzes/nope/export/qti", 404),
        ("/lessons/nope/export/webanno", 404),
        ("/quizzes/tiny-all/export/pdf", 422),
        ("/lessons/tiny/export/qti", 422),
        ("/quizzes/tiny-all/export/semeval?semeval_form=xml", 422),
    ],
)
def test_export_routes_answer_bad_requests_with_problems(teacher: TestClient, path: str, status: int) -> None:
    response = teacher.get(API + path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)


def test_export_routes_need_the_teacher_token(export_app) -> None:
    with TestClient(export_app, raise_server_exceptions=False) as anonymous:
        response = anonymous.get(f"{API}/quizzes/tiny-all/export/qti")
    assert response.status_code == 401 and response.headers["content-type"].startswith(PROBLEM)


def test_import_marks_route_reads_web_annotations_back(teacher: TestClient) -> None:
    bank = load_bank(TINY_PACK)
    marks = marks_collection(bank.pack, [Submission("s1", "t-highlight", HighlightResponse(spans=(SpanAnswer(start=107, end=122),)))])
    response = teacher.post(f"{API}/lessons/tiny/marks/web-annotation", json=marks)
    assert response.status_code == 200
    assert response.json() == [
        {"student": "s1", "exercise_id": "t-highlight", "response": {"type": "highlight", "spans": [{"start": 107, "end": 122}]}}
    ]


def test_import_marks_route_rejects_marks_on_another_text(teacher: TestClient) -> None:
    bank = load_bank(TINY_PACK)
    marks = marks_collection(bank.pack, [Submission("s1", "t-highlight", HighlightResponse(spans=(SpanAnswer(start=107, end=122),)))])
    marks["first"]["items"][0]["target"]["source"] = "urn:elsewhere"
    response = teacher.post(f"{API}/lessons/tiny/marks/web-annotation", json=marks)
    assert response.status_code == 400 and response.headers["content-type"].startswith(PROBLEM)
    assert "not this pack's text" in response.json()["detail"]
