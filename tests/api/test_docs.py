"""docs/api.md documents every route, every setting and every problem type."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.problems import STATUS_BY_SLUG
from api.settings import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")


def test_docs_name_every_setting() -> None:
    missing = [f"MEDIALIT_{name.upper()}" for name in Settings.model_fields if f"MEDIALIT_{name.upper()}" not in DOC]
    assert not missing


def test_docs_name_every_route(client: TestClient) -> None:
    def generic(text: str) -> str:
        return re.sub(r"{\w+}", "{}", text)

    doc = generic(DOC)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    routes = [f"{method.upper()} {generic(path.removeprefix('/api/v1'))}" for path, operations in paths.items() for method in operations]
    assert len(routes) >= 26
    assert [r for r in routes if r not in doc] == []


def test_docs_name_every_problem_type() -> None:
    missing = [slug for slug in STATUS_BY_SLUG if f"`{slug}`" not in DOC]
    assert not missing


def test_docs_name_every_account_command() -> None:
    import argparse

    from api.admin_commands import add_commands

    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    add_commands(commands)
    named = []
    for group, sub in commands.choices.items():
        actions = next(a for a in sub._actions if isinstance(a, argparse._SubParsersAction))
        named += [f"python -m api {group} {action}" for action in actions.choices]
    assert len(named) >= 4
    assert [c for c in named if c not in DOC] == []
