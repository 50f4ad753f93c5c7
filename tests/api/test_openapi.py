"""The OpenAPI document: every operation shows an example and documents its problem responses."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _has_example(schema: dict[str, Any], document: dict[str, Any], depth: int = 0) -> bool:
    schema = _resolve(schema, document)
    if "examples" in schema or "example" in schema:
        return True
    if depth > 3:
        return False
    children = list(schema.get("properties", {}).values()) + [schema.get("items", {})] + schema.get("anyOf", []) + schema.get("oneOf", [])
    return any(isinstance(c, dict) and c and _has_example(c, document, depth + 1) for c in children)


CORE_TAGS = {"public", "teacher", "student"}
"""The routes of api/routes (the export and LTI routers of api/lti document themselves)."""


def test_openapi_every_operation_has_an_example(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not CORE_TAGS & set(operation.get("tags", [])):
                continue
            bodies = [c for c in operation.get("requestBody", {}).get("content", {}).values()]
            success = [c for code, r in operation["responses"].items() if code.startswith("2") for c in r.get("content", {}).values()]
            found = any("examples" in c or "example" in c or _has_example(c.get("schema", {}), document) for c in bodies + success)
            if not found:
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_openapi_errors_are_documented_as_problem_json(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for operations in document["paths"].values():
        for operation in operations.values():
            for code, response in operation["responses"].items():
                if code[0] in "45":
                    assert list(response.get("content", {})) == ["application/problem+json"], (code, operation["summary"])
