"""The grading script and the API give the same results for the same answers, and ``pull`` talks to a real server."""

from __future__ import annotations

import json
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from quizzes.loading import load_bank  # noqa: E402
from tests.quizzes.grader.support import GRADING, TINY, csv_rows, quiz_grade  # noqa: E402

API = "/api/v1"
TOKEN = "teacher-token-for-cli-tests-0123456789abcdef"
TEACHER = {"Authorization": f"Bearer {TOKEN}"}
COMPARED = ("earned", "possible", "percent", "discernment", "awaiting_review")


def attempts() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (GRADING / "class-attempts.jsonl").read_text(encoding="utf-8").splitlines()]


def submit_class(client: TestClient) -> int:
    """A class whose students answer through the API exactly what class-attempts.jsonl holds; returns the assignment id."""
    bank = load_bank(TINY)
    klass = client.post(f"{API}/classes", json={"name": "9B"}, headers=TEACHER).json()
    assignment = client.post(
        f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-all", "feedback": "immediate"}, headers=TEACHER
    ).json()
    for record in attempts():
        joined = client.post(f"{API}/join", json={"join_code": klass["join_code"], "display_name": record["student"]})
        assert joined.status_code == 201, joined.text
        student = {"Authorization": f"Bearer {joined.json()['token']}"}
        attempt = client.post(f"{API}/assignments/{assignment['id']}/attempts", headers=student).json()
        for exercise_id, response in record["answers"].items():
            body = {"type": bank.exercise(exercise_id).type, **response}
            saved = client.put(f"{API}/attempts/{attempt['id']}/answers/{exercise_id}", json=body, headers=student)
            assert saved.status_code == 200, saved.text
        assert client.post(f"{API}/attempts/{attempt['id']}/submit", headers=student).status_code == 200
    return int(assignment["id"])


@pytest.fixture
def api_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", pack_dirs=(TINY,), teacher_token=TOKEN)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_cli_results_equal_the_api_results_for_the_same_answers(api_client):
    assignment_id = submit_class(api_client)
    api_csv = api_client.get(f"{API}/assignments/{assignment_id}/results.csv", headers=TEACHER)
    assert api_csv.status_code == 200, api_csv.text
    api_rows = {r["display_name"]: r for r in csv_rows(api_csv.text)}
    run = quiz_grade("grade", GRADING / "class-attempts.jsonl", "--quiz", "tiny-all", "--pack", TINY)
    assert run.code == 0, run.stderr
    cli_rows = {r["display_name"]: r for r in csv_rows(run.stdout)}
    assert set(cli_rows) == set(api_rows) == {"ana", "ben", "chloe"}
    columns = [c for c in api_csv.text.splitlines()[0].split(",") if c in COMPARED or c.startswith(("skill:", "t-"))]
    assert len(columns) == len(COMPARED) + 4 + 8
    for name, api_row in api_rows.items():
        for column in columns:
            assert cli_rows[name][column] == api_row[column], (name, column)
    # and the JSON gradebook agrees on statuses, which the CSV does not show
    book = api_client.get(f"{API}/assignments/{assignment_id}/results", headers=TEACHER).json()
    document = json.loads(quiz_grade("grade", GRADING / "class-attempts.jsonl", "--quiz", "tiny-all", "--pack", TINY, "--format", "json").stdout)
    cli_status = {s["student"]: {e: v["status"] for e, v in s["exercises"].items()} for s in document["students"]}
    for row in book["rows"]:
        assert {e: v["status"] for e, v in row["exercises"].items()} == cli_status[row["display_name"]]


def test_pull_from_a_real_server_grades_its_stored_answers_like_the_api(tmp_path):
    from tests.api.server import ServerProcess

    database = f"sqlite:///{tmp_path / 'server.db'}"
    settings = Settings(database_url=database, pack_dirs=(TINY,), teacher_token=TOKEN)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assignment_id = submit_class(client)
        book = client.get(f"{API}/assignments/{assignment_id}/results", headers=TEACHER).json()
        ana = next(r for r in book["rows"] if r["display_name"] == "ana")
        awaiting = ana["awaiting_review"][0]
        answer_id = ana["exercises"][awaiting]["answer_id"]
        reviewed = client.put(f"{API}/answers/{answer_id}/review", json={"earned": "1", "comment": "ok"}, headers=TEACHER)
        assert reviewed.status_code == 200, reviewed.text
        api_csv = client.get(f"{API}/assignments/{assignment_id}/results.csv", headers=TEACHER).text
    server = ServerProcess(database, [TINY], TOKEN, tmp_path)
    try:
        out, report = tmp_path / "grades.csv", tmp_path / "report.md"
        run = quiz_grade("pull", "--server", server.url, "--token", TOKEN, "--assignment", str(assignment_id),
                         "--pack", TINY, "--out", out, "--report", report)
        assert run.code == 0, run.stderr
        api_rows = {r["display_name"]: r for r in csv_rows(api_csv)}
        cli_rows = {r["display_name"]: r for r in csv_rows(out.read_text(encoding="utf-8"))}
        assert set(cli_rows) == set(api_rows) == {"ana", "ben", "chloe"}
        columns = [c for c in api_csv.splitlines()[0].split(",") if c in COMPARED or c.startswith(("skill:", "t-"))]
        for name, api_row in api_rows.items():
            assert {c: cli_rows[name][c] for c in columns} == {c: api_row[c] for c in columns}, name
        assert "## Item analysis" in report.read_text(encoding="utf-8")
        wrong = quiz_grade("pull", "--server", server.url, "--token", "not-the-token", "--assignment", str(assignment_id))
        assert wrong.code == 2 and "401" in wrong.stderr and "Traceback" not in wrong.stderr
        missing = quiz_grade("pull", "--server", server.url, "--token", TOKEN, "--assignment", "999")
        assert missing.code == 2 and "404" in missing.stderr
    finally:
        server.stop()


def test_pull_unreachable_server_is_a_usage_error():
    run = quiz_grade("pull", "--server", "http://127.0.0.1:9", "--token", TOKEN, "--assignment", "1")
    assert run.code == 2 and "quiz-grade:" in run.stderr and "Traceback" not in run.stderr


class _AnswersServer(BaseHTTPRequestHandler):
    """A stand-in server: with the answers export (``lines``), or without it (``lines=None``) but with ``results.csv``."""

    lines: bytes | None = b""
    results_csv = b"student_id,display_name,earned\r\n1,ana,7.50\r\n"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, b'{"title": "A valid bearer token is required."}', "application/problem+json")
        if self.path == "/api/v1/assignments/5":
            return self._send(200, json.dumps({"id": 5, "quiz_id": "tiny-all"}).encode(), "application/json")
        if self.path == "/api/v1/assignments/5/answers" and self.lines is not None:
            return self._send(200, self.lines, "application/x-ndjson")
        if self.path == "/api/v1/assignments/5/results.csv":
            return self._send(200, self.results_csv, "text/csv")
        return self._send(404, b'{"detail": "Not Found"}', "application/json")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_pull_grades_an_answers_export_like_the_same_file(tmp_path):
    _AnswersServer.lines = (GRADING / "mixed.jsonl").read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnswersServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        saved = tmp_path / "answers.jsonl"
        out, report = tmp_path / "grades.csv", tmp_path / "report.md"
        run = quiz_grade("pull", "--server", url, "--token", TOKEN, "--assignment", "5", "--pack", TINY,
                         "--out", out, "--report", report, "--save-answers", saved)
    finally:
        server.shutdown()
    from_file = quiz_grade("grade", GRADING / "mixed.jsonl", "--quiz", "tiny-all", "--pack", TINY)
    assert run.code == from_file.code == 1
    assert out.read_text(encoding="utf-8") == from_file.stdout
    assert f"{url}/api/v1/assignments/5/answers:3: unknown exercise 't-nonexistent'" in run.stderr
    assert saved.read_text(encoding="utf-8").splitlines() == (GRADING / "mixed.jsonl").read_text(encoding="utf-8").splitlines()
    assert "## Item analysis" in report.read_text(encoding="utf-8")


def test_pull_from_a_server_without_an_answers_export_saves_its_gradebook(tmp_path):
    _AnswersServer.lines = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnswersServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        out = tmp_path / "grades.csv"
        run = quiz_grade("pull", "--server", url, "--token", TOKEN, "--assignment", "5", "--out", out)
        with_report = quiz_grade("pull", "--server", url, "--token", TOKEN, "--assignment", "5", "--report", tmp_path / "r.md")
    finally:
        server.shutdown()
        _AnswersServer.lines = b""
    assert run.code == 0, run.stderr
    assert out.read_bytes() == _AnswersServer.results_csv  # byte for byte, CRLF line ends included
    assert "/api/v1/assignments/5/answers" in run.stderr  # says which route it lacks
    assert with_report.code == 2 and "--report" in with_report.stderr
