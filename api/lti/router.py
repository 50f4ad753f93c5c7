"""The LTI 1.3 routes: OIDC login, launch, the tool's key set, and the teacher's grade passback.

``lti_router(config)`` builds them; ``api/app.py`` includes the router when LTI is configured.

- ``GET|POST /lti/login``: third-party initiated login; redirects (302) to the LMS.
- ``POST /lti/launch`` (form ``id_token``, ``state``): checks the launch and answers
  ``{launch_id, quiz_id, user_id, roles, can_post_scores}``. Logins and launches are kept in the
  database (:mod:`api.lti.state`), so login, launch and passback may each reach another process.
- ``GET /lti/jwks``: the tool's public keys.
- ``POST /api/v1/lti/launches/{launch_id}/score`` (the token of the teacher account the LMS's
  registration belongs to, ``teacher_id`` in the file; another teacher gets a 404): posts a result to the LMS with
  ``gradingProgress`` from ``needs_review`` (post again with ``needs_review`` 0 once the teacher has
  reviewed: Moodle shows the grade only then), retrying as :func:`api.lti.ags.post_score` says. Teacher-only on purpose: a student holds the launch
  id, and must not be able to post a grade.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from fractions import Fraction
from typing import Any, Callable
from urllib.parse import parse_qs

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.deps import CurrentTeacherDep, SessionDep, TeacherDep, public_scheme
from api.errors import InvalidInput, NotFound
from api.lti.ags import post_score, score_payload
from api.lti.keys import KeyCache
from api.lti.launch import begin_login, validate_launch
from api.lti.platform import LtiInvalid, Platform, ToolKey, find_platform
from api.lti.state import LaunchStore, LoginStore
from api.routes.common import PROBLEM_RESPONSES, problems
from api.store.teachers import first_account

__all__ = ["LtiConfig", "LaunchOut", "ScoreIn", "ScoreSentOut", "lti_router"]


@dataclass
class LtiConfig:
    """Registrations, the tool key, an HTTP client for calls to the LMSs, a clock (Unix seconds) and
    the pause between passback retries (seconds)."""

    platforms: tuple[Platform, ...]
    key: ToolKey
    client: httpx.Client
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    key_cache: KeyCache | None = None
    """The LMSs' key sets, cached in each process: a cache miss only costs a fetch, never a
    different answer (a token signed with a key the cached set lacks refetches at once)."""

    def __post_init__(self) -> None:
        if self.key_cache is None:
            self.key_cache = KeyCache(self.client)


class LaunchOut(BaseModel):
    launch_id: str
    quiz_id: str | None
    user_id: str
    roles: list[str]
    can_post_scores: bool


_POINTS = r"^(\d+(\.\d+)?|\d+/[1-9]\d*)$"


class ScoreIn(BaseModel):
    earned: str = Field(description='points earned, exact: "7/2" or "3.5"', pattern=_POINTS, max_length=40)
    possible: str = Field(description="points possible, exact", pattern=_POINTS, max_length=40)
    needs_review: int = Field(default=0, ge=0, description="answers still awaiting a teacher's review")
    comment: str | None = Field(default=None, max_length=1000)


class ScoreSentOut(BaseModel):
    status_code: int
    payload: dict[str, Any]
    attempts: int = Field(description="score posts it took (retries after 409, 429 or 5xx answers)")


async def _form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (what LMSs post), read without python-multipart."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _owns(session: Session, teacher_id: int, platform: Platform) -> bool:
    """True when the registration belongs to the teacher (no ``teacher_id``: the first account)."""
    if platform.teacher_id is not None:
        return platform.teacher_id == teacher_id
    first = first_account(session)
    return first is not None and first.id == teacher_id


def lti_router(config: LtiConfig) -> APIRouter:
    router = APIRouter(tags=["lti"], responses={**PROBLEM_RESPONSES, **problems(400)})

    @router.api_route("/lti/login", methods=["GET", "POST"], status_code=302, summary="LTI 1.3 OIDC login initiation")
    async def login(request: Request) -> RedirectResponse:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update(await _form(request))
        platform = find_platform(config.platforms, params.get("iss"), params.get("client_id"))
        # Behind a proxy that terminates TLS the connection is plain HTTP; the LMS sees https.
        redirect_uri = str(request.url_for("lti_launch").replace(scheme=public_scheme(request)))
        logins = LoginStore(request.app.state.engine)
        url = await run_in_threadpool(begin_login, platform, logins, params, redirect_uri, config.clock())
        return RedirectResponse(url, status_code=302)

    @router.post("/lti/launch", name="lti_launch", response_model=LaunchOut, responses=problems(502), summary="LTI 1.3 resource link launch (form: id_token, state)")
    async def launch(request: Request) -> LaunchOut:
        form = await _form(request)
        id_token, state = form.get("id_token"), form.get("state")
        if not id_token or not state:
            raise LtiInvalid("the launch must post id_token and state as a form")
        logins = LoginStore(request.app.state.engine)
        # Looked at, not used up: a launch that fails to fetch the LMS's keys can be posted again.
        login = await run_in_threadpool(logins.peek, state, config.clock())
        if login is None:
            raise LtiInvalid("unknown, used or expired state: start the launch again from the LMS")
        platform = find_platform(config.platforms, login.issuer, login.client_id)
        assert config.key_cache is not None
        keys = await config.key_cache.keys_for(platform.jwks_url, id_token)
        checked = await run_in_threadpool(validate_launch, id_token, state, platform, keys, logins, config.clock())
        launch_id = secrets.token_urlsafe(24)
        await run_in_threadpool(LaunchStore(request.app.state.engine).put, launch_id, checked, config.clock())
        return LaunchOut(launch_id=launch_id, quiz_id=checked.quiz_id, user_id=checked.user_id, roles=list(checked.roles),
                         can_post_scores=checked.can_post_scores)

    @router.get("/lti/jwks", summary="The tool's public signing keys")
    def jwks() -> dict[str, list[dict[str, Any]]]:
        return config.key.jwks()

    @router.post("/api/v1/lti/launches/{launch_id}/score", response_model=ScoreSentOut, dependencies=[TeacherDep],
                 responses=problems(401, 404), summary="Post a result to the LMS gradebook (AGS)")
    def send_score(launch_id: str, body: ScoreIn, request: Request, session: SessionDep, teacher: CurrentTeacherDep) -> ScoreSentOut:
        checked = LaunchStore(request.app.state.engine).get(launch_id, config.clock())
        platform = find_platform(config.platforms, checked.issuer, checked.client_id) if checked is not None else None
        if checked is None or platform is None or not _owns(session, teacher.id, platform):
            # another teacher's launch reads as an unknown one
            raise NotFound(f"no launch {launch_id!r} (a launch can take grades for 30 days)")
        when = datetime.fromtimestamp(config.clock(), tz=timezone.utc)
        try:
            payload = score_payload(checked.user_id, Fraction(body.earned), Fraction(body.possible), body.needs_review, when, body.comment)
        except ValueError as error:
            raise InvalidInput("earned", str(error)) from None
        sent = post_score(config.client, platform, config.key, checked, payload, clock=config.clock, sleep=config.sleep)
        return ScoreSentOut(status_code=sent.status_code, payload=sent.payload, attempts=sent.attempts)

    return router
