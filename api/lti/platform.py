"""LTI 1.3 configuration: the platforms (LMSs) this tool trusts and the tool's own signing key.

A platform registration is what an LMS administrator exchanges with the tool: the issuer, the client
id the LMS gave the tool, the deployment ids, and the LMS's OIDC authorisation, token and key-set
URLs. The tool key is an RSA private key (PEM) with a key id; its public half is served at
``/lti/jwks`` for the LMS to check the tool's token requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm

from lesson.errors import MedialitError

__all__ = ["Platform", "ToolKey", "LtiInvalid", "LtiNotConfigured", "find_platform"]


class LtiInvalid(MedialitError):
    """A login or launch that fails a check of the LTI 1.3 / OIDC rules; ``detail`` names the check."""

    slug = "lti-launch-invalid"
    title = "The LTI launch is not valid."


class LtiNotConfigured(MedialitError):
    slug = "lti-not-configured"
    title = "This LMS is not registered with the tool."


@dataclass(frozen=True)
class Platform:
    """One LMS registration. URLs are absolute; ``deployment_ids`` are the deployments accepted."""

    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    auth_token_url: str
    jwks_url: str
    audience: str | None = None
    """``aud`` of the token request when the LMS wants something other than ``auth_token_url``."""
    teacher_id: int | None = None
    """The teacher account this registration belongs to: only it posts grades for launches from
    this LMS. ``None`` (no ``teacher_id`` in the file): the first account, as before accounts existed."""


@dataclass(frozen=True)
class ToolKey:
    """The tool's RSA private key (PEM) and the key id announced in its JWKS and JWT headers."""

    private_key_pem: str = field(repr=False)
    kid: str

    def public_jwk(self) -> dict[str, Any]:
        private = serialization.load_pem_private_key(self.private_key_pem.encode("ascii"), password=None)
        jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        return {"keys": [self.public_jwk()]}


def find_platform(platforms: tuple[Platform, ...], issuer: str | None, client_id: str | None = None) -> Platform:
    """The registration for ``issuer`` (and ``client_id`` when given); raises :class:`LtiNotConfigured`."""
    for platform in platforms:
        if platform.issuer == issuer and (client_id is None or platform.client_id == client_id):
            return platform
    raise LtiNotConfigured(f"no LMS registered with issuer {issuer!r}" + (f" and client id {client_id!r}" if client_id else ""))
