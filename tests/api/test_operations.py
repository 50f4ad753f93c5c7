"""Operations: the JSON access log (no tokens, join codes or answers in it) and ``/metrics``."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from api.access_log import LOGGER_NAME
from api.app import create_app
from api.metrics import is_allowed_address
from tests.api.conftest import API, TEACHER, TEACHER_TOKEN, WRONG_ANSWERS, PERFECT_ANSWERS, make_classroom, make_settings

METRICS_TOKEN = "metrics-token-for-tests-0123456789abcdef"
SECRET_ANSWER = "Zanzibar-unmistakable-answer-7391"


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """Everything the access logger writes during the test, as text."""
    logger = logging.getLogger(LOGGER_NAME)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_access_log_is_one_json_line_per_request_with_route_templates(client: TestClient, access_log: io.StringIO) -> None:
    response = client.get(f"{API}/classes/987654", headers=TEACHER)
    assert response.status_code == 404
    (line,) = _lines(access_log)
    assert set(line) == {"time", "request_id", "method", "route", "status", "duration_ms"}
    assert line["method"] == "GET" and line["route"] == f"{API}/classes/{{class_id}}" and line["status"] == 404
    assert line["request_id"] == response.headers["x-request-id"]
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "987654" not in access_log.getvalue()


def test_access_log_never_holds_tokens_join_codes_or_answers(client: TestClient, access_log: io.StringIO) -> None:
    room = make_classroom(client)
    attempt = room.start("Ada")
    answers = {**PERFECT_ANSWERS, "sa-01": {"type": "short_answer", "text": SECRET_ANSWER}}
    for exercise_id, body in answers.items():
        saved = client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_("Ada"))
        assert saved.status_code == 200, saved.text
    client.post(f"{API}/attempts/{attempt['id']}/submit", headers=room.as_("Ada"))
    client.post(f"{API}/join", json={"join_code": room.join_code, "display_name": SECRET_ANSWER})
    client.get(f"{API}/classes?join_code={room.join_code}&token={TEACHER_TOKEN}", headers=TEACHER)
    client.get(f"/{room.join_code}/{room.students['Bea']}")  # secrets in a path no route claims
    client.request(TEACHER_TOKEN[:20].upper(), f"{API}/health")  # and in the method word

    text = access_log.getvalue()
    secrets = [TEACHER_TOKEN, room.join_code, SECRET_ANSWER, *room.students.values(), TEACHER_TOKEN[:20].upper(),
               WRONG_ANSWERS["rw-01"]["text"], PERFECT_ANSWERS["rw-01"]["text"]]
    assert [s for s in secrets if s in text] == []
    lines = _lines(access_log)
    assert len(lines) >= 14
    assert {line["route"] for line in lines} >= {f"{API}/attempts/{{attempt_id}}/answers/{{exercise_id}}", f"{API}/join", "(web client)"}
    assert "OTHER" in {line["method"] for line in lines}


def test_access_log_can_be_switched_off(sqlite_url: str, access_log: io.StringIO) -> None:
    with TestClient(create_app(make_settings(sqlite_url, access_log=False))) as quiet:
        assert quiet.get(f"{API}/health").status_code == 200
    assert access_log.getvalue() == ""


def test_request_id_from_a_client_is_ignored_but_a_trusted_proxy_s_is_kept(sqlite_url: str, access_log: io.StringIO) -> None:
    forged = {"X-Request-ID": f"id-{TEACHER_TOKEN}"[:60]}
    with TestClient(create_app(make_settings(sqlite_url))) as direct:
        assert direct.get(f"{API}/health", headers=forged).headers["x-request-id"] != forged["X-Request-ID"]
    with TestClient(create_app(make_settings(sqlite_url, trusted_proxies=("testclient",)))) as proxied:
        kept = proxied.get(f"{API}/health", headers={"X-Request-ID": "proxy-0123456789"})
        assert kept.headers["x-request-id"] == "proxy-0123456789"
    assert TEACHER_TOKEN not in access_log.getvalue()


def _metrics_client(sqlite_url: str, **settings) -> TestClient:
    return TestClient(create_app(make_settings(sqlite_url, metrics=True, **settings)), raise_server_exceptions=False)


def test_metrics_are_off_by_default(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 404 and "medialit_" not in response.text


def test_metrics_on_need_a_token_or_addresses(sqlite_url: str) -> None:
    with pytest.raises(ValidationError, match="MEDIALIT_METRICS_TOKEN or MEDIALIT_METRICS_ADDRESSES"):
        make_settings(sqlite_url, metrics=True)
    with pytest.raises(ValidationError, match="at least"):
        make_settings(sqlite_url, metrics=True, metrics_token="short")
    with pytest.raises(ValidationError, match="not an address"):
        make_settings(sqlite_url, metrics=True, metrics_addresses=("school-router",))


def test_metrics_answer_the_token_and_nobody_else(sqlite_url: str) -> None:
    with _metrics_client(sqlite_url, metrics_token=METRICS_TOKEN) as metrics_client:
        for headers in ({}, TEACHER, {"Authorization": f"Bearer {METRICS_TOKEN}x"}):
            refused = metrics_client.get("/metrics", headers=headers)
            assert refused.status_code == 404 and "medialit_" not in refused.text
        allowed = metrics_client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert allowed.status_code == 200 and allowed.headers["content-type"].startswith("text/plain")
        assert "medialit_autosave_queue_depth 0.0" in allowed.text


def test_metrics_answer_configured_addresses_and_the_real_client_behind_a_proxy(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url, metrics=True, metrics_addresses=("10.0.0.0/8",))),
                    client=("10.1.2.3", 40000)) as inside:
        assert inside.get("/metrics").status_code == 200
    with TestClient(create_app(make_settings(sqlite_url, metrics=True, metrics_addresses=("10.0.0.1",), trusted_proxies=("10.0.0.1",))),
                    client=("10.0.0.1", 40000)) as via_proxy:
        assert via_proxy.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
        assert via_proxy.get("/metrics").status_code == 200  # the proxy itself, say a local Prometheus


def test_is_allowed_address_matches_addresses_and_networks() -> None:
    assert is_allowed_address("127.0.0.1", ["127.0.0.1"])
    assert is_allowed_address("192.168.4.20", ["10.0.0.0/8", "192.168.0.0/16"])
    assert is_allowed_address("::1", ["::1"])
    assert not is_allowed_address("192.169.0.1", ["192.168.0.0/16"])
    assert not is_allowed_address("testclient", ["127.0.0.1"])


def _sample(text: str, prefix: str) -> float:
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix)]
    assert len(values) == 1, (prefix, values)
    return values[0]


def test_metrics_count_requests_latencies_and_database_errors(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with _metrics_client(sqlite_url, metrics_token=METRICS_TOKEN) as metrics_client:
        room = make_classroom(metrics_client)
        attempt = room.start("Ada")
        route = f"{API}/attempts/{{attempt_id}}/answers/{{exercise_id}}"
        for exercise_id, body in PERFECT_ANSWERS.items():
            assert metrics_client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=room.as_("Ada")).status_code == 200

        def busy(*args, **kwargs):
            raise OperationalError("INSERT", {}, Exception("database is locked"))

        monkeypatch.setattr(metrics_client.app.state.answer_writer, "save_async", busy)
        failed = metrics_client.put(f"{API}/attempts/{attempt['id']}/answers/sc-01", json=PERFECT_ANSWERS["sc-01"], headers=room.as_("Ada"))
        assert failed.status_code == 503
        text = metrics_client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text

    saves = f'medialit_http_requests_total{{method="PUT",route="{route}",status="200"}}'
    assert _sample(text, saves) == len(PERFECT_ANSWERS)
    assert _sample(text, f'medialit_http_requests_total{{method="PUT",route="{route}",status="503"}}') == 1
    assert _sample(text, f'medialit_http_request_duration_seconds_count{{method="PUT",route="{route}"}}') == len(PERFECT_ANSWERS) + 1
    assert _sample(text, 'medialit_database_errors_total{error="OperationalError"}') == 1
    assert room.join_code not in text and SECRET_ANSWER not in text


def test_metrics_report_the_autosave_queue_depth(sqlite_url: str) -> None:
    app = create_app(make_settings(sqlite_url, metrics=True, metrics_token=METRICS_TOKEN))
    writer = app.state.answer_writer
    writer._queue.put_nowait(object())  # a save waiting, as the gauge sees it mid-burst (the thread is not started)
    writer._queue.put_nowait(object())
    assert "medialit_autosave_queue_depth 2.0" in app.state.metrics.exposition().decode()
    writer._queue.get_nowait(), writer._queue.get_nowait()
    app.state.engine.dispose()
