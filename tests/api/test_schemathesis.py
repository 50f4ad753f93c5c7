"""Property-based tests against the OpenAPI schema (schemathesis): no 5xx, every response as documented.

Bounded: a few examples per operation and no Hypothesis deadline, so the module runs in seconds.
The ``positive_data_acceptance`` check is left out: some rules cannot be said in JSON Schema (a span
gives ``start``/``end`` *or* ``exact``; display-name rules), so schema-valid data may rightly get a 422.
Requests carry the teacher token, so teacher routes are exercised; student routes answer 401 (documented).
The app is built at import (schemathesis parametrizes from a loaded schema) on a throw-away database.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import ParameterLocation, positive_data_acceptance
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.app import create_app
from tests.api.conftest import TEACHER, make_classroom, make_settings

pytestmark = pytest.mark.slow

_FOLDER = Path(tempfile.mkdtemp(prefix="medialit-schemathesis-"))
_APP = create_app(make_settings(f"sqlite:///{_FOLDER / 'medialit.db'}", data_dir=_FOLDER))
with TestClient(_APP) as _client:
    make_classroom(_client)  # class, assignment and students with id 1, so generated requests also reach happy paths

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP)
# An invalid body over the size limit is rightly refused with 413 before it is read; schemathesis's
# default list of rejecting statuses leaves 413 out, so a large generated body counted as accepted.
schema.config.checks.negative_data_rejection.expected_statuses.append("413")


def _headers_for(case) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The teacher token, unless the case is a negative one about its headers (a missing or broken
    ``Authorization``): adding the token would repair the very part that is meant to be invalid, and
    the server's right answer (200) would count as accepting invalid data."""
    meta = case.meta
    for location, component in (meta.components.items() if meta is not None else ()):
        if location == ParameterLocation.HEADER and component.mode.is_negative:
            return {}
    return TEACHER


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_no_server_errors_and_responses_match_schema(case) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers=_headers_for(case), excluded_checks=[positive_data_acceptance])
