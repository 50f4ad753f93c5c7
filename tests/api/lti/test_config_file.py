"""The LTI registration file: a good one loads, a broken one names the problem."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from api.lti.config_file import load_lti_config
from api.lti.platform import LtiNotConfigured
from tests.api.lti.platform_stub import new_rsa_pem

PLATFORM = {
    "issuer": "https://lms.test", "client_id": "c1", "deployment_ids": [1],
    "auth_login_url": "https://lms.test/auth", "auth_token_url": "https://lms.test/token", "jwks_url": "https://lms.test/jwks",
}


def write(tmp_path: Path, data: dict, pem: str | None = None) -> Path:
    (tmp_path / "key.pem").write_text(pem if pem is not None else new_rsa_pem(), encoding="ascii")
    path = tmp_path / "lti.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_lti_config_file_loads_platforms_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, {"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [PLATFORM]})
    with httpx.Client() as client:
        config = load_lti_config(path, client)
    [platform] = config.platforms
    assert platform.issuer == "https://lms.test" and platform.deployment_ids == ("1",)
    assert config.key.jwks()["keys"][0]["kid"] == "k1"
    assert platform.teacher_id is None, "no teacher_id: the first account's registration"


def test_lti_config_file_names_the_teacher_account_a_registration_belongs_to(tmp_path: Path) -> None:
    path = write(tmp_path, {"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [{**PLATFORM, "teacher_id": 2}]})
    assert load_lti_config(path, httpx.Client()).platforms[0].teacher_id == 2


@pytest.mark.parametrize(
    ("data", "pem", "message"),
    [
        ({"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": []}, None, "no platforms"),
        ({"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [{**PLATFORM, "jwks_url": ""}]}, None, "lacks jwks_url"),
        ({"tool_key": {"pem_file": "missing.pem", "kid": "k1"}, "platforms": [PLATFORM]}, None, "FileNotFoundError"),
        ({"platforms": [PLATFORM]}, None, "KeyError"),
        ({"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [PLATFORM]}, "not a key", "ValueError"),
        ({"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [{**PLATFORM, "teacher_id": "2"}]}, None, "teacher_id must be"),
        ({"tool_key": {"pem_file": "key.pem", "kid": "k1"}, "platforms": [{**PLATFORM, "teacher_id": 0}]}, None, "teacher_id must be"),
    ],
)
def test_lti_config_file_problems_are_named(tmp_path: Path, data: dict, pem: str | None, message: str) -> None:
    path = write(tmp_path, data, pem)
    with pytest.raises(LtiNotConfigured, match=message):
        load_lti_config(path, httpx.Client())
