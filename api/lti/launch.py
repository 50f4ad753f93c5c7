"""LTI 1.3 launch: the OIDC third-party login and the check of the LMS's ``id_token``.

1. The LMS calls ``/lti/login`` with ``iss``, ``login_hint``, ``target_link_uri`` (and
   ``lti_message_hint``, ``client_id``). :func:`begin_login` checks that ``target_link_uri`` is on
   this tool (same scheme, host and port as the launch URL), makes a one-time ``state`` and
   ``nonce`` and the URL of the LMS's authorisation endpoint to redirect the browser to.
2. The LMS posts ``id_token`` and ``state`` to ``/lti/launch``. :func:`validate_launch` checks the
   RS256 signature against the LMS's key set, ``iss``, ``aud``, ``azp`` (required with several
   audiences and, whenever present, this tool's client id), ``exp``/``iat`` (with ``LEEWAY_S`` of
   clock skew), the one-time nonce bound to that state, the deployment, the message type
   (``LtiResourceLinkRequest``), the LTI version (``1.3.0``), the resource link, the ``roles``
   claim (required by LTI Core, may be empty) and the ``target_link_uri`` claim (the login's), and
   reads the user, roles, the quiz (custom parameter ``quiz_id``) and the AGS endpoint.

Logins are kept by a :class:`Logins` store (the database's, :class:`api.lti.state.LoginStore`, so
login and launch may reach different server processes); a state works once and expires after
``LOGIN_TTL_S`` seconds. Only digests of the state and nonce are stored. Times are Unix seconds
passed in, so the checks are testable without a clock.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import jwt

from api.lti.platform import LtiInvalid, Platform

__all__ = [
    "CLAIM", "AGS_CLAIM", "SCORE_SCOPE", "LEEWAY_S", "LOGIN_TTL_S",
    "PendingLogin", "Logins", "Launch", "begin_login", "validate_launch",
]

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LEEWAY_S = 60
LOGIN_TTL_S = 600


@dataclass(frozen=True)
class PendingLogin:
    issuer: str
    client_id: str
    nonce_hash: str
    """SHA-256 hex of the nonce sent to the LMS (the nonce itself is not kept)."""
    started_at: float
    target_link_uri: str | None = None


class Logins(Protocol):
    """Where pending logins are kept (see :class:`api.lti.state.LoginStore`)."""

    def put(self, state: str, login: PendingLogin) -> None: ...

    def take(self, state: str, now: float) -> PendingLogin | None:
        """Remove and return the login for ``state``: once, and only within ``LOGIN_TTL_S``."""
        ...


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Launch:
    """What a valid launch tells the tool. ``lineitem`` is ``None`` when the LMS offers no grade passback."""

    issuer: str
    client_id: str
    deployment_id: str
    user_id: str
    roles: tuple[str, ...]
    resource_link_id: str
    context_id: str | None
    quiz_id: str | None
    lineitem: str | None
    can_post_scores: bool


def begin_login(platform: Platform, store: Logins, params: dict[str, str], redirect_uri: str, now: float) -> str:
    """Record a new login and return the LMS authorisation URL to redirect the browser to."""
    for name in ("login_hint", "target_link_uri"):
        if not params.get(name):
            raise LtiInvalid(f"the login request lacks {name}")
    if not _same_origin(params["target_link_uri"], redirect_uri):
        raise LtiInvalid("the login's target_link_uri is not on this tool")
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    store.put(state, PendingLogin(platform.issuer, platform.client_id, _sha256(nonce), now, params["target_link_uri"]))
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": redirect_uri,
        "login_hint": params["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return f"{platform.auth_login_url}{separator}{urlencode(query)}"


def _same_origin(url: str, reference: str) -> bool:
    target, ours = urlsplit(url), urlsplit(reference)
    return (target.scheme, target.netloc) == (ours.scheme, ours.netloc) and bool(target.netloc)


def _claims(id_token: str, platform: Platform, keys: dict[str, Any], now: float) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as error:
        raise LtiInvalid(f"the id_token is not a JWT ({error})") from None
    if header.get("alg") != "RS256":
        raise LtiInvalid(f"the id_token must be signed with RS256, not {header.get('alg')!r}")
    candidates = [k for k in keys.get("keys", []) if header.get("kid") is None or k.get("kid") == header.get("kid")]
    if not candidates:
        raise LtiInvalid(f"the LMS key set has no key {header.get('kid')!r}")
    try:
        key = jwt.PyJWK(candidates[0], algorithm="RS256")
        # PyJWT checks exp/iat against its own clock; ours is passed in, so exp is checked below.
        claims = jwt.decode(
            id_token, key=key, algorithms=["RS256"], audience=platform.client_id, issuer=platform.issuer,
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "require": ["exp", "iat", "sub", "nonce"]},
        )
    except jwt.PyJWTError as error:
        raise LtiInvalid(f"the id_token does not verify: {error}") from None
    if not claims["iat"] - LEEWAY_S <= now <= claims["exp"] + LEEWAY_S:
        raise LtiInvalid("the id_token has expired or is not yet valid")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and "azp" not in claims:
        raise LtiInvalid("the id_token has several audiences and no azp")
    if "azp" in claims and claims["azp"] != platform.client_id:
        raise LtiInvalid("the id_token's azp is not this tool")
    return claims


def validate_launch(id_token: str, state: str, platform: Platform, keys: dict[str, Any], store: Logins, now: float) -> Launch:
    """Check a launch (see the module docstring); raises :class:`LtiInvalid` naming the failed check."""
    login = store.take(state, now)
    if login is None:
        raise LtiInvalid("unknown or expired state: start the launch again from the LMS")
    if login.issuer != platform.issuer:
        raise LtiInvalid("the state was issued for another LMS")
    claims = _claims(id_token, platform, keys, now)
    if not secrets.compare_digest(_sha256(str(claims["nonce"])), login.nonce_hash):
        raise LtiInvalid("the nonce does not match the login")
    if claims.get(CLAIM + "message_type") != "LtiResourceLinkRequest":
        raise LtiInvalid(f"unsupported message type {claims.get(CLAIM + 'message_type')!r}")
    if claims.get(CLAIM + "version") != "1.3.0":
        raise LtiInvalid(f"unsupported LTI version {claims.get(CLAIM + 'version')!r}")
    deployment = claims.get(CLAIM + "deployment_id")
    if deployment not in platform.deployment_ids:
        raise LtiInvalid(f"unknown deployment {deployment!r}")
    link = claims.get(CLAIM + "resource_link") or {}
    if not link.get("id"):
        raise LtiInvalid("the launch has no resource link id")
    roles = claims.get(CLAIM + "roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise LtiInvalid("the launch has no roles claim (a list of role URIs, possibly empty)")
    target = claims.get(CLAIM + "target_link_uri")
    if login.target_link_uri is not None and target is not None and target != login.target_link_uri:
        raise LtiInvalid("the id_token's target_link_uri is not the one the login asked for")
    ags = claims.get(AGS_CLAIM) or {}
    custom = claims.get(CLAIM + "custom") or {}
    return Launch(
        issuer=platform.issuer,
        client_id=platform.client_id,
        deployment_id=deployment,
        user_id=str(claims["sub"]),
        roles=tuple(roles),
        resource_link_id=str(link["id"]),
        context_id=(claims.get(CLAIM + "context") or {}).get("id"),
        quiz_id=custom.get("quiz_id"),
        lineitem=ags.get("lineitem"),
        can_post_scores=bool(ags.get("lineitem")) and SCORE_SCOPE in (ags.get("scope") or ()),
    )
