"""Reading the LTI registration file: the LMSs this tool trusts and the tool's signing key.

The file is JSON::

    {"tool_key": {"pem_file": "lti-tool-key.pem", "kid": "medialit-1"},
     "platforms": [{"issuer": "https://moodle.example.org", "client_id": "...", "deployment_ids": ["1"],
                    "auth_login_url": ".../mod/lti/auth.php", "auth_token_url": ".../mod/lti/token.php",
                    "jwks_url": ".../mod/lti/certs.php", "teacher_id": 2}]}

``pem_file`` is relative to the file's folder. ``teacher_id`` (optional) names the teacher account
the registration belongs to, the only one that posts grades for its launches; without it, the
first account. Make a key with
``openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out lti-tool-key.pem``.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from api.lti.platform import LtiNotConfigured, Platform, ToolKey
from api.lti.router import LtiConfig

__all__ = ["load_lti_config"]

_PLATFORM_FIELDS = ("issuer", "client_id", "deployment_ids", "auth_login_url", "auth_token_url", "jwks_url")


def load_lti_config(path: Path | str, client: httpx.Client | None = None) -> LtiConfig:
    """Read ``path``; raises :class:`LtiNotConfigured` naming the file and the missing or wrong field."""
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        key_entry = data["tool_key"]
        pem = (source.parent / key_entry["pem_file"]).read_text(encoding="ascii")
        key = ToolKey(pem, str(key_entry["kid"]))
        key.public_jwk()  # fails now, not at the first launch, if the PEM is not an RSA private key
        platforms = []
        for index, entry in enumerate(data["platforms"]):
            missing = [f for f in _PLATFORM_FIELDS if not entry.get(f)]
            if missing:
                raise LtiNotConfigured(f"{source}: platforms[{index}] lacks {', '.join(missing)}")
            values = {f: entry[f] for f in _PLATFORM_FIELDS}
            values["deployment_ids"] = tuple(str(d) for d in entry["deployment_ids"])
            owner = entry.get("teacher_id")
            if owner is not None and (isinstance(owner, bool) or not isinstance(owner, int) or owner < 1):
                raise LtiNotConfigured(f"{source}: platforms[{index}].teacher_id must be a teacher account's id (a positive number)")
            platforms.append(Platform(**values, audience=entry.get("audience"), teacher_id=owner))
    except LtiNotConfigured:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise LtiNotConfigured(f"{source}: cannot read the LTI registration ({type(error).__name__}: {error})") from None
    if not platforms:
        raise LtiNotConfigured(f"{source}: no platforms")
    return LtiConfig(platforms=tuple(platforms), key=key, client=client or httpx.Client(timeout=10.0))
