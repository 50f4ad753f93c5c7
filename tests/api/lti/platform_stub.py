"""A tiny LTI 1.3 platform (an LMS stand-in) for tests: OIDC auth, key set, token and AGS score endpoints.

It signs id_tokens with its own test RSA key, checks the tool's client assertion with the tool's
public key, hands out access tokens, and records every score it receives with its content type.
``/auth`` answers the ``id_token`` and ``state`` as JSON, standing in for the auto-submitted form
a browser would post to the tool.

The score endpoint keeps a gradebook the way Moodle's AGS service does (``mod/lti/service/
gradebookservices``): ``scoreGiven`` is dropped unless ``gradingProgress`` is ``FullyGraded``, and a
score whose timestamp is not later, in whole seconds, than the stored grade's is refused with 409.
``outages`` lists status codes to answer before handling a post (``(503, True)``: record it, then
answer 503 anyway, as when the answer is lost on the way back).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import PlainTextResponse
from jwt.algorithms import RSAAlgorithm

from api.lti.launch import AGS_CLAIM, CLAIM, SCORE_SCOPE
from api.lti.platform import Platform

BASE = "https://platform.test"
CLIENT_ID = "medialit-client"
DEPLOYMENT = "deployment-1"
LINEITEM = f"{BASE}/courses/7/lineitems/3/lineitem?type=quiz"


def new_rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")


def public_jwk(pem: str, kid: str) -> dict[str, Any]:
    private = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    return {**json.loads(RSAAlgorithm.to_jwk(private.public_key())), "kid": kid, "alg": "RS256", "use": "sig"}


PLATFORM = Platform(
    issuer=BASE,
    client_id=CLIENT_ID,
    deployment_ids=(DEPLOYMENT,),
    auth_login_url=f"{BASE}/auth",
    auth_token_url=f"{BASE}/token",
    jwks_url=f"{BASE}/jwks",
)


@dataclass
class StubPlatform:
    tool_jwk: dict[str, Any]
    pem: str = field(default_factory=new_rsa_pem)
    kid: str = "platform-key-1"
    scores: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    claims_override: dict[str, Any] = field(default_factory=dict)
    with_ags: bool = True
    gradebook: dict[str, tuple[float | None, int]] = field(default_factory=dict)
    outages: list[tuple[int, bool]] = field(default_factory=list)
    jwks_status: int = 200
    jwks_delay_s: float = 0.0
    jwks_calls: int = 0

    def claims(self, nonce: str, now: float | None = None) -> dict[str, Any]:
        now = time.time() if now is None else now
        claims: dict[str, Any] = {
            "iss": BASE, "aud": CLIENT_ID, "sub": "lms-user-42", "iat": int(now), "exp": int(now) + 300, "nonce": nonce,
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT,
            CLAIM + "target_link_uri": "https://tool.test/",
            CLAIM + "resource_link": {"id": "link-1"},
            CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            CLAIM + "context": {"id": "course-7"},
            CLAIM + "custom": {"quiz_id": "tiny-all"},
        }
        if self.with_ags:
            claims[AGS_CLAIM] = {"scope": [SCORE_SCOPE], "lineitem": LINEITEM}
        claims.update(self.claims_override)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict[str, Any], pem: str | None = None) -> str:
        return jwt.encode(claims, pem or self.pem, algorithm="RS256", headers={"kid": self.kid})

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/auth")
        def auth(state: str, nonce: str, client_id: str, redirect_uri: str, login_hint: str, response_mode: str, scope: str) -> dict[str, str]:
            assert (client_id, response_mode, scope) == (CLIENT_ID, "form_post", "openid") and login_hint
            return {"id_token": self.sign(self.claims(nonce)), "state": state, "redirect_uri": redirect_uri}

        @app.get("/jwks")
        def jwks() -> Any:
            self.jwks_calls += 1
            time.sleep(self.jwks_delay_s)
            if self.jwks_status != 200:
                return PlainTextResponse("upstream trouble", status_code=self.jwks_status)
            return {"keys": [public_jwk(self.pem, self.kid)]}

        @app.post("/token")
        async def token(request: Request) -> dict[str, Any]:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            client_assertion, scope = form["client_assertion"], form["scope"]
            assert form["grant_type"] == "client_credentials" and form["client_assertion_type"].endswith("jwt-bearer")
            try:
                claims = jwt.decode(client_assertion, jwt.PyJWK(self.tool_jwk, algorithm="RS256"), algorithms=["RS256"], audience=f"{BASE}/token")
            except jwt.PyJWTError as error:
                raise HTTPException(401, f"bad client assertion: {error}") from None
            if claims["iss"] != CLIENT_ID or claims["sub"] != CLIENT_ID or scope != SCORE_SCOPE:
                raise HTTPException(401, "wrong client or scope")
            issued = secrets.token_urlsafe(16)
            self.tokens.add(issued)
            return {"access_token": issued, "token_type": "Bearer", "expires_in": 3600, "scope": scope}

        @app.post("/courses/7/lineitems/3/lineitem/scores")
        async def scores(request: Request, type: str, authorization: str = Header()) -> dict[str, str]:
            if authorization.removeprefix("Bearer ") not in self.tokens:
                raise HTTPException(401, "unknown token")
            body = await request.json()
            self.scores.append((type, request.headers["content-type"], body))
            outage = self.outages.pop(0) if self.outages else None
            if outage and not outage[1]:
                raise HTTPException(outage[0], "try again later", headers={"Retry-After": "3"} if outage[0] == 429 else None)
            seconds = int(datetime.fromisoformat(body["timestamp"]).timestamp())
            held = self.gradebook.get(body["userId"])
            if held is not None and seconds <= held[1]:
                raise HTTPException(409, "the score is not newer than the grade held")
            given = body.get("scoreGiven") if body["gradingProgress"] == "FullyGraded" else None
            self.gradebook[body["userId"]] = (given, seconds)
            if outage:
                raise HTTPException(outage[0], "recorded, but the answer is lost")
            return {"status": "ok"}

        return app
