"""Conditional GET for the teacher's polled views: ``ETag`` out, ``If-None-Match`` in, 304 when equal.

The views are built by ``api.store.snapshots``; this module only speaks HTTP. A response carries
a weak ETag (equal bodies for equal database state, not necessarily byte for byte across server
processes), ``Vary: Authorization`` (the same URL answers differently for another token) and
``Cache-Control: private, no-store``: the page keeps the body in memory and sends the ETag itself,
so no browser or proxy cache keeps students' grades on a shared computer.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import Response

from api.store.snapshots import Snapshot, ViewCache

__all__ = ["ViewsDep", "IfNoneMatch", "NOT_MODIFIED", "conditional", "matches"]

CACHE_CONTROL = "private, no-store"


async def _views(request: Request) -> ViewCache:
    return request.app.state.view_cache


ViewsDep = Annotated[ViewCache, Depends(_views)]
IfNoneMatch = Annotated[str | None, Header(max_length=2048, description="the ETag of the copy you hold: 304 when nothing changed")]

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {304: {"description": "Nothing changed since the copy whose ETag was sent in If-None-Match"}}


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison against each listed tag, or ``*``."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def conditional(snapshot: Snapshot, if_none_match: str | None, media_type: str = "application/json") -> Response:
    """The snapshot's body, or an empty 304 when the client already holds it."""
    headers = {"ETag": snapshot.etag, "Vary": "Authorization", "Cache-Control": CACHE_CONTROL}
    if matches(if_none_match, snapshot.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=snapshot.body, media_type=media_type, headers=headers)
