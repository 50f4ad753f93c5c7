"""What every route shares: the documented problem responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from api.problems import ProblemOut

__all__ = ["PROBLEM_RESPONSES", "problems", "RowId"]

RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a numeric id as returned by the API")]
"""Ids are positive 32-bit integers (PostgreSQL INTEGER); anything else is a 422."""

_DESCRIPTIONS = {
    400: "Malformed request body", 401: "Missing or invalid bearer token",
    403: "Not shown to you (an assessment before it is assigned to your class)", 404: "Not found (or not yours)",
    409: "Conflicts with the current state", 413: "Request body too large", 422: "Validation error, naming each field",
    429: "Too many failed attempts", 500: "Internal error (never with details)",
    502: "The LMS failed to answer or answered wrongly", 503: "The store is busy or full; try again after Retry-After seconds",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for ``codes``, each an ``application/problem+json`` :class:`ProblemOut`."""
    return {code: {"model": ProblemOut, "description": _DESCRIPTIONS[code]} for code in codes}


PROBLEM_RESPONSES = problems(400, 413, 422, 500)
