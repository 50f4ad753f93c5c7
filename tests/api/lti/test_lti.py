"""LTI 1.3 launch and AGS passback against a local stub platform (``platform_stub``)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.lti.ags import SCORE_MEDIA_TYPE, grading_progress, score_payload, scores_url
from api.lti.platform import ToolKey
from api.lti.router import LtiConfig, lti_router
from api.lti.state import LoginStore
from quizzes.submission import grade_submission
from quizzes.loading import load_bank
from quizzes.responses import ShortAnswerResponse, SingleChoiceResponse
from tests.api.conftest import TEACHER_TOKEN, make_settings
from tests.api.lti.platform_stub import BASE, LINEITEM, PLATFORM, StubPlatform, new_rsa_pem, public_jwk
from tests.conftest import TINY_PACK

TOOL = "https://tool.test"
TEACHER = {"Authorization": f"Bearer {TEACHER_TOKEN}"}


class World:
    """The tool app with the LTI router, a stub platform, and clients for both."""

    def __init__(self, tmp_path: Path) -> None:
        tool_key = ToolKey(new_rsa_pem(), "tool-key-1")
        self.stub = StubPlatform(tool_jwk=public_jwk(tool_key.private_key_pem, tool_key.kid))
        self.platform_client = TestClient(self.stub.app(), base_url=BASE)
        self.config = LtiConfig(platforms=(PLATFORM,), key=tool_key, client=self.platform_client)
        self.app = create_app(make_settings(f"sqlite:///{tmp_path / 'medialit.db'}", pack_dirs=(TINY_PACK,)))
        self.app.include_router(lti_router(self.config))
        self.tool = TestClient(self.app, base_url=TOOL, raise_server_exceptions=False, follow_redirects=False)

    def login(self) -> dict[str, list[str]]:
        response = self.tool.get("/lti/login", params={"iss": BASE, "login_hint": "u42", "target_link_uri": f"{TOOL}/", "client_id": PLATFORM.client_id})
        assert response.status_code == 302
        location = urlsplit(response.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == PLATFORM.auth_login_url
        return parse_qs(location.query)

    def launch(self) -> dict:
        query = {k: v[0] for k, v in self.login().items()}
        form = self.platform_client.get("/auth", params=query).json()
        response = self.tool.post("/lti/launch", data={"id_token": form["id_token"], "state": form["state"]})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = World(tmp_path)
    with built.tool:
        yield built
    built.app.state.engine.dispose()


def test_lti_login_redirects_to_the_platform_with_state_and_nonce(world: World) -> None:
    query = world.login()
    assert query["redirect_uri"] == [f"{TOOL}/lti/launch"]
    assert query["response_type"] == ["id_token"] and query["prompt"] == ["none"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32


def test_lti_launch_reads_user_quiz_and_grade_endpoint(world: World) -> None:
    launched = world.launch()
    assert launched["user_id"] == "lms-user-42" and launched["quiz_id"] == "tiny-all"
    assert launched["can_post_scores"] is True


@pytest.mark.parametrize(("needs_review", "progress"), [(0, "FullyGraded"), (1, "PendingManual")])
def test_lti_score_passback_reaches_the_platform(world: World, needs_review: int, progress: str) -> None:
    launch_id = world.launch()["launch_id"]
    response = world.tool.post(f"/api/v1/lti/launches/{launch_id}/score", headers=TEACHER,
                               json={"earned": "7/2", "possible": "8", "needs_review": needs_review})
    assert response.status_code == 200, response.text
    [(lineitem_type, content_type, body)] = world.stub.scores
    assert lineitem_type == "quiz" and content_type == SCORE_MEDIA_TYPE
    assert body["userId"] == "lms-user-42" and body["scoreGiven"] == 3.5 and body["scoreMaximum"] == 8
    assert body["gradingProgress"] == progress and body["activityProgress"] == "Completed"


def test_lti_grading_progress_follows_a_graded_submission() -> None:
    bank = load_bank(TINY_PACK)
    auto = grade_submission(bank, "tiny-a", {"t-single": SingleChoiceResponse(choice="b")})
    assert grading_progress(auto.needs_review) == "FullyGraded"
    pending = grade_submission(bank, "tiny-all", {"t-short": ShortAnswerResponse(text="No source; funding instead of reasons.")})
    assert pending.needs_review >= 1 and grading_progress(pending.needs_review) == "PendingManual"


def _launch_with(world: World, **overrides) -> tuple[int, dict]:
    query = {k: v[0] for k, v in world.login().items()}
    claims = world.stub.claims(query["nonce"])
    pem = overrides.pop("pem", None)
    claims.update(overrides)
    token = world.stub.sign({k: v for k, v in claims.items() if v is not None}, pem)
    response = world.tool.post("/lti/launch", data={"id_token": token, "state": query["state"]})
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pem": "other"}, "does not verify"),
        ({"nonce": "not-the-nonce"}, "nonce"),
        ({"aud": "someone-else"}, "does not verify"),
        ({"iss": "https://evil.test"}, "does not verify"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}, "expired"),
        ({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "dep-x"}, "unknown deployment"),
        ({"https://purl.imsglobal.org/spec/lti/claim/version": "1.1"}, "version"),
        ({"https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingRequest"}, "message type"),
        ({"https://purl.imsglobal.org/spec/lti/claim/resource_link": None}, "resource link"),
        ({"azp": "another-client"}, "azp is not this tool"),
        ({"aud": ["medialit-client", "another-client"], "azp": "another-client"}, "azp is not this tool"),
        ({"aud": ["medialit-client", "another-client"]}, "no azp"),
        ({"https://purl.imsglobal.org/spec/lti/claim/roles": None}, "roles"),
        ({"https://purl.imsglobal.org/spec/lti/claim/roles": "Learner"}, "roles"),
        ({"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": "https://tool.test/other"}, "target_link_uri"),
    ],
)
def test_lti_bad_launches_are_refused_with_the_reason(world: World, overrides: dict, message: str) -> None:
    if overrides.get("pem") == "other":
        overrides["pem"] = new_rsa_pem()
    status, body = _launch_with(world, **overrides)
    assert status == 400 and body["type"].endswith("lti-launch-invalid")
    assert message in body["detail"]


@pytest.mark.parametrize("overrides", [{"aud": ["medialit-client", "another-client"], "azp": "medialit-client"}, {"azp": "medialit-client"},
                                       {"https://purl.imsglobal.org/spec/lti/claim/roles": []}])
def test_lti_launches_the_spec_allows_are_accepted(world: World, overrides: dict) -> None:
    status, body = _launch_with(world, **overrides)
    assert status == 200, body


@pytest.mark.parametrize("target", ["https://evil.example/phish", "http://tool.test/", "https://tool.test.evil.example/"])
def test_lti_login_for_a_target_off_this_tool_is_refused(world: World, target: str) -> None:
    response = world.tool.get("/lti/login", params={"iss": BASE, "login_hint": "u42", "target_link_uri": target})
    assert response.status_code == 400 and "target_link_uri" in response.json()["detail"]
    assert LoginStore(world.app.state.engine).count() == 0


def test_lti_state_works_once(world: World) -> None:
    query = {k: v[0] for k, v in world.login().items()}
    form = world.platform_client.get("/auth", params=query).json()
    data = {"id_token": form["id_token"], "state": form["state"]}
    assert world.tool.post("/lti/launch", data=data).status_code == 200
    replay = world.tool.post("/lti/launch", data=data)
    assert replay.status_code == 400 and replay.json()["type"].endswith("lti-launch-invalid")
    assert "state" in replay.json()["detail"]


def test_lti_expired_login_state_is_refused(world: World) -> None:
    query = {k: v[0] for k, v in world.login().items()}
    form = world.platform_client.get("/auth", params=query).json()
    world.config.clock = lambda: time.time() + 3600  # the login was started an hour ago
    response = world.tool.post("/lti/launch", data={"id_token": form["id_token"], "state": form["state"]})
    assert response.status_code == 400 and "state" in response.json()["detail"]


def test_lti_launch_without_form_fields_is_refused(world: World) -> None:
    response = world.tool.post("/lti/launch", json={"id_token": "x"})
    assert response.status_code == 400 and "form" in response.json()["detail"]


def test_lti_login_from_an_unknown_platform_is_refused(world: World) -> None:
    response = world.tool.get("/lti/login", params={"iss": "https://unknown.test", "login_hint": "u", "target_link_uri": TOOL})
    assert response.status_code == 400 and response.json()["type"].endswith("lti-not-configured")


def test_lti_login_without_login_hint_is_refused(world: World) -> None:
    response = world.tool.get("/lti/login", params={"iss": BASE, "target_link_uri": TOOL})
    assert response.status_code == 400 and "login_hint" in response.json()["detail"]


def test_lti_launch_without_grade_service_cannot_post_scores(world: World) -> None:
    world.stub.with_ags = False
    launched = world.launch()
    assert launched["can_post_scores"] is False
    response = world.tool.post(f"/api/v1/lti/launches/{launched['launch_id']}/score", headers=TEACHER, json={"earned": "1", "possible": "2"})
    assert response.status_code == 400 and "takes no grades" in response.json()["detail"]
    assert world.stub.scores == []


def test_lti_score_route_needs_the_teacher_token_and_a_known_launch(world: World) -> None:
    launch_id = world.launch()["launch_id"]
    anonymous = world.tool.post(f"/api/v1/lti/launches/{launch_id}/score", json={"earned": "1", "possible": "2"})
    assert anonymous.status_code == 401
    unknown = world.tool.post("/api/v1/lti/launches/nope/score", headers=TEACHER, json={"earned": "1", "possible": "2"})
    assert unknown.status_code == 404
    assert world.stub.scores == []


@pytest.mark.parametrize("body", [{"earned": "3", "possible": "2"}, {"earned": "1", "possible": "0"}, {"earned": "x", "possible": "2"}, {"earned": "1/0", "possible": "2"}])
def test_lti_score_route_rejects_impossible_points(world: World, body: dict) -> None:
    launch_id = world.launch()["launch_id"]
    response = world.tool.post(f"/api/v1/lti/launches/{launch_id}/score", headers=TEACHER, json=body)
    assert response.status_code == 422
    assert world.stub.scores == []


def test_lti_jwks_serves_the_tool_public_key(world: World) -> None:
    keys = world.tool.get("/lti/jwks").json()["keys"]
    assert keys == [world.stub.tool_jwk]
    assert "d" not in keys[0]  # no private part


def test_ags_helpers() -> None:
    assert scores_url(LINEITEM) == "https://platform.test/courses/7/lineitems/3/lineitem/scores?type=quiz"
    when = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    payload = score_payload("u", Fraction(1, 3), Fraction(1), 0, when)
    assert payload["scoreGiven"] == 0.3333 and payload["timestamp"] == "2026-03-01T12:00:00.000+00:00"
    with pytest.raises(ValueError):
        score_payload("u", Fraction(2), Fraction(1), 0, when)
    with pytest.raises(ValueError):
        grading_progress(-1)


def _launch_form(world: World) -> dict[str, str]:
    query = {k: v[0] for k, v in world.login().items()}
    form = world.platform_client.get("/auth", params=query).json()
    return {"id_token": form["id_token"], "state": form["state"]}


def test_lti_key_set_is_cached_between_launches(world: World) -> None:
    world.launch()
    world.launch()
    assert world.stub.jwks_calls == 1


@pytest.mark.parametrize("status", [500, 404])
def test_lti_failing_key_set_is_a_502_and_the_launch_can_be_retried(world: World, status: int) -> None:
    world.stub.jwks_status = status
    form = _launch_form(world)
    failed = world.tool.post("/lti/launch", data=form)
    assert failed.status_code == 502 and failed.headers["content-type"].startswith("application/problem+json")
    assert failed.json()["type"].endswith("/lti-keys-unavailable")
    world.stub.jwks_status = 200
    assert world.tool.post("/lti/launch", data=form).status_code == 200  # the state was not used up


def test_lti_slow_key_set_does_not_stall_other_requests(world: World) -> None:
    world.stub.jwks_delay_s = 1.0
    form = _launch_form(world)

    async def both() -> tuple[float, float]:
        transport = httpx.ASGITransport(app=world.app)
        async with httpx.AsyncClient(transport=transport, base_url=TOOL) as http:
            started = time.perf_counter()

            async def timed(request: Any, after_s: float = 0.0) -> float:
                await asyncio.sleep(after_s)
                response = await request()
                assert response.status_code == 200, response.text
                return time.perf_counter() - started

            launch = timed(lambda: http.post("/lti/launch", data=form))
            health = timed(lambda: http.get("/api/v1/health"), after_s=0.1)  # while the key set is being fetched
            return await asyncio.gather(launch, health)

    launch_s, health_s = asyncio.run(both())
    assert launch_s >= 1.0 and health_s < 0.5


def test_lti_login_behind_a_tls_proxy_uses_the_scheme_the_proxy_names(tmp_path: Path) -> None:
    tool_key = ToolKey(new_rsa_pem(), "tool-key-1")
    stub = StubPlatform(tool_jwk=public_jwk(tool_key.private_key_pem, tool_key.kid))
    config = LtiConfig(platforms=(PLATFORM,), key=tool_key, client=TestClient(stub.app(), base_url=BASE))
    params = {"iss": BASE, "login_hint": "u42", "target_link_uri": "https://tool.test/", "client_id": PLATFORM.client_id}
    for proxies, status in (((), 400), (("testclient",), 302)):
        app = create_app(make_settings(f"sqlite:///{tmp_path / f'lti-{status}.db'}", pack_dirs=(TINY_PACK,), trusted_proxies=proxies))
        app.include_router(lti_router(config))
        with TestClient(app, base_url="http://tool.test", raise_server_exceptions=False, follow_redirects=False) as plain:
            response = plain.get("/lti/login", params=params, headers={"X-Forwarded-Proto": "https"})
        assert response.status_code == status, response.text
        if status == 302:
            redirect = parse_qs(urlsplit(response.headers["location"]).query)["redirect_uri"]
            assert redirect == ["https://tool.test/lti/launch"]
        app.state.engine.dispose()


def test_lti_score_passback_only_by_the_teacher_the_registration_belongs_to(tmp_path: Path) -> None:
    from dataclasses import replace

    built = World(tmp_path)
    built.config.platforms = (replace(PLATFORM, teacher_id=2),)
    with built.tool:
        admin = {"Authorization": f"Bearer {built.app.state.new_admin_token}"}
        made = built.tool.post("/api/v1/admin/teachers", json={"display_name": "Ms LMS"}, headers=admin).json()
        assert made["teacher"]["id"] == 2
        owner = {"Authorization": f"Bearer {made['token']}"}
        launch_id = built.launch()["launch_id"]
        body = {"earned": "1", "possible": "2"}
        refused = built.tool.post(f"/api/v1/lti/launches/{launch_id}/score", headers=TEACHER, json=body)
        assert refused.status_code == 404 and refused.headers["content-type"].startswith("application/problem+json"), refused.text
        assert built.stub.scores == []
        assert built.tool.post(f"/api/v1/lti/launches/{launch_id}/score", headers=owner, json=body).status_code == 200
        assert len(built.stub.scores) == 1
    built.app.state.engine.dispose()
