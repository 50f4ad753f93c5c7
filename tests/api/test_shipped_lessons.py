"""The server with its default settings serves the shipped lesson packs, every quiz and exercise."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from quizzes.loading import load_shipped_banks
from tests.api.conftest import API, TEACHER, TEACHER_TOKEN


def test_shipped_lessons_are_served_by_default(sqlite_url: str) -> None:
    banks = load_shipped_banks()
    settings = Settings(database_url=sqlite_url, teacher_token=TEACHER_TOKEN)
    assert settings.pack_dirs == ()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert {lesson["id"] for lesson in client.get(f"{API}/lessons").json()} == set(banks)
        quizzes = client.get(f"{API}/quizzes").json()
        assert {q["id"] for q in quizzes} == {q for b in banks.values() for q in b.quizzes}
        for quiz in quizzes:
            view = client.get(f"{API}/quizzes/{quiz['id']}", headers=TEACHER)
            assert view.status_code == 200 and len(view.json()["exercises"]) == quiz["exercise_count"]
            assert client.get(f"{API}/quizzes/{quiz['id']}/key", headers=TEACHER).status_code == 200
        for lesson_id, bank in banks.items():
            lesson = client.get(f"{API}/lessons/{lesson_id}").json()
            assert lesson["text"] == bank.pack.article.text and len(lesson["blocks"]) == len(bank.pack.article.blocks)
            notes = client.get(f"{API}/lessons/{lesson_id}/annotations", headers=TEACHER).json()
            assert len(notes["items"]) == len(bank.pack.annotation.items)


def test_settings_defaults_match_the_documented_start_up() -> None:
    defaults = {name: field.default for name, field in Settings.model_fields.items()}  # not the environment
    assert defaults["database_url"] is None and defaults["teacher_token"] is None
    assert Settings.model_construct(**defaults).database == "sqlite:///data/medialit.db"
    assert Settings.model_construct(**{**defaults, "data_dir": Path("/srv/ml")}).database == "sqlite:////srv/ml/medialit.db"
    assert defaults["max_body_bytes"] == 64 * 1024 and defaults["port"] == 8000 and defaults["host"] == "127.0.0.1"
    assert Settings.model_config["env_prefix"] == "MEDIALIT_"
