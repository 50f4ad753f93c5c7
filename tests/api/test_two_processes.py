"""Two real server processes on one PostgreSQL database behave as one server.

What a school gets behind a proxy with several workers: a failed join counted by either process
counts for both, an LTI login begun on one process finishes on the other (and its grade passback
on the first again), and ``kill -9`` of one process in the middle of a 32-student autosave burst
loses no answer it had acknowledged while the other keeps serving.
"""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.lti.launch import AGS_CLAIM, CLAIM, SCORE_SCOPE
from api.lti.platform import ToolKey
from tests.api.conftest import API, POSTGRES_ENV, TEACHER, TEACHER_TOKEN, TINY_PACK, bearer, reset_postgres
from tests.api.lti.platform_stub import BASE, CLIENT_ID, DEPLOYMENT, StubPlatform, new_rsa_pem, public_jwk
from tests.api.server import ServerProcess, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"set {POSTGRES_ENV} (python3 run.py test starts a throwaway PostgreSQL) to run two servers on one database")
    reset_postgres(url)
    return url


def _two_servers(url: str, workdir: Path, env: dict[str, str] | None = None) -> tuple[ServerProcess, ServerProcess]:
    # One after the other: the first migrates the empty database, the second finds it current.
    first = ServerProcess(url, [TINY_PACK], TEACHER_TOKEN, workdir, env)
    try:
        second = ServerProcess(url, [TINY_PACK], TEACHER_TOKEN, workdir, env)
    except BaseException:
        first.stop()
        raise
    return first, second


def _class(http: httpx.Client) -> dict[str, Any]:
    made = http.post(f"{API}/classes", json={"name": "Two processes"}, headers=TEACHER)
    assert made.status_code == 201, made.text
    return made.json()


def test_two_processes_count_failed_joins_together(postgres_url: str, tmp_path: Path) -> None:
    env = {"MEDIALIT_JOIN_FAILURES_ALLOWED": "3", "MEDIALIT_JOIN_THROTTLE_S": "600"}
    first, second = _two_servers(postgres_url, tmp_path, env)
    try:
        with httpx.Client(base_url=first.url, timeout=10) as a, httpx.Client(base_url=second.url, timeout=10) as b:
            code = _class(a)["join_code"]
            wrong = {"join_code": code[::-1], "display_name": "Guess"}
            # Three failures, spread over both processes: the allowance of the one address is used up.
            assert [a.post(f"{API}/join", json=wrong).status_code, b.post(f"{API}/join", json=wrong).status_code,
                    a.post(f"{API}/join", json=wrong).status_code] == [404, 404, 404]
            assert b.post(f"{API}/join", json=wrong).status_code == 404  # its one throttled turn
            refused = a.post(f"{API}/join", json={"join_code": code, "display_name": "Kim"})
            assert refused.status_code == 429, "the other process must see the turn taken"
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["type"].endswith("/too-many-join-attempts") and int(refused.headers["retry-after"]) > 500
            assert b.post(f"{API}/join", json={"join_code": code, "display_name": "Kim"}).status_code == 429
    finally:
        first.stop()
        second.stop()


class _StubServer:
    """The stub LMS served over HTTP on loopback, in a thread (the tool fetches its keys and posts scores)."""

    def __init__(self, stub: StubPlatform) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(stub.app(), host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the stub LMS did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def lms(tmp_path: Path) -> Iterator[tuple[StubPlatform, _StubServer, Path]]:
    tool_key = ToolKey(new_rsa_pem(), "tool-key-1")
    stub = StubPlatform(tool_jwk=public_jwk(tool_key.private_key_pem, tool_key.kid))
    served = _StubServer(stub)
    lineitem = f"{served.url}/courses/7/lineitems/3/lineitem?type=quiz"
    # The id_token names no target_link_uri (optional in the spec): the login's is on whichever process it reached.
    stub.claims_override = {CLAIM + "target_link_uri": None, AGS_CLAIM: {"scope": [SCORE_SCOPE], "lineitem": lineitem}}
    (tmp_path / "tool-key.pem").write_text(tool_key.private_key_pem, encoding="ascii")
    config = tmp_path / "lti.json"
    config.write_text(json.dumps({"tool_key": {"pem_file": "tool-key.pem", "kid": tool_key.kid}, "platforms": [{
        "issuer": BASE, "client_id": CLIENT_ID, "deployment_ids": [DEPLOYMENT], "auth_login_url": f"{served.url}/auth",
        "auth_token_url": f"{served.url}/token", "audience": f"{BASE}/token", "jwks_url": f"{served.url}/jwks"}]}))
    yield stub, served, config
    served.stop()


def test_two_processes_finish_each_others_lti_launches(postgres_url: str, tmp_path: Path, lms: tuple[StubPlatform, _StubServer, Path]) -> None:
    stub, _served, config = lms
    first, second = _two_servers(postgres_url, tmp_path, {"MEDIALIT_LTI_CONFIG": str(config)})
    platform = TestClient(stub.app(), base_url=BASE)
    try:
        launched = []
        with httpx.Client(timeout=20) as http:
            for n in range(10):
                login_at, launch_at = (first, second) if n % 2 == 0 else (second, first)
                login = http.get(f"{login_at.url}/lti/login", params={"iss": BASE, "login_hint": f"u{n}", "target_link_uri": f"{login_at.url}/",
                                                                       "client_id": CLIENT_ID})
                assert login.status_code == 302, login.text
                query = {k: v[0] for k, v in parse_qs(urlsplit(login.headers["location"]).query).items()}
                form = platform.get("/auth", params=query).json()
                launch = http.post(f"{launch_at.url}/lti/launch", data={"id_token": form["id_token"], "state": form["state"]})
                launched.append(launch.status_code)
                if launch.status_code == 200:
                    replay = http.post(f"{login_at.url}/lti/launch", data={"id_token": form["id_token"], "state": form["state"]})
                    assert replay.status_code == 400, "a state works once, whichever process sees it again"
                    last = launch.json()
            assert launched == [200] * 10
            # A launch checked by one process takes its grade through the other.
            score = http.post(f"{second.url}{API}/lti/launches/{last['launch_id']}/score", headers=TEACHER, json={"earned": "1", "possible": "2"})
            assert score.status_code == 200, score.text
            assert [(body["scoreGiven"], body["scoreMaximum"]) for _type, _ct, body in stub.scores] == [(1.0, 2.0)]
    finally:
        first.stop()
        second.stop()


def test_two_processes_lose_no_acknowledged_answer_when_one_is_killed(postgres_url: str, tmp_path: Path) -> None:
    """32 students save in a burst: short answers through process A, rewrites through process B.
    A gets ``kill -9`` in the middle; every short answer A acknowledged is in the database, and B
    keeps taking the rewrites."""
    first, second = _two_servers(postgres_url, tmp_path)
    students = 32
    try:
        with httpx.Client(base_url=second.url, timeout=20) as http:
            klass = _class(http)
            assignment = http.post(f"{API}/classes/{klass['id']}/assignments", json={"quiz_id": "tiny-all"}, headers=TEACHER).json()
            tokens = [http.post(f"{API}/join", json={"join_code": klass["join_code"], "display_name": f"S{n}"}).json()["token"]
                      for n in range(students)]
            attempts = [http.post(f"{API}/assignments/{assignment['id']}/attempts", headers=bearer(t)).json()["id"] for t in tokens]

        acked_on_a = threading.Semaphore(0)
        killed = threading.Event()

        def student(n: int) -> dict[str, int]:
            headers = bearer(tokens[n])
            seen = {"a_acked": -1, "a_sent": -1, "b_acked": -1, "a_refused": 0}
            with httpx.Client(timeout=20) as http:
                for seq in range(400):
                    if seen["a_refused"] == 0:
                        seen["a_sent"] = seq
                        try:
                            a = http.put(f"{first.url}{API}/attempts/{attempts[n]}/answers/sa-01", headers=headers,
                                         json={"type": "short_answer", "text": f"save {seq}"})
                            if a.status_code == 200:
                                seen["a_acked"] = seq
                                acked_on_a.release()
                        except httpx.HTTPError:
                            seen["a_refused"] = 1  # A is gone: go on with B only
                    b = http.put(f"{second.url}{API}/attempts/{attempts[n]}/answers/rw-01", headers=headers,
                                 json={"type": "rewrite", "text": f"rewrite {seq}"})
                    assert b.status_code == 200, b.text
                    seen["b_acked"] = seq
                    if killed.is_set() and seen["a_refused"] and seq >= seen["a_sent"] + 5:
                        break
            return seen

        with ThreadPoolExecutor(max_workers=students) as pool:
            futures = [pool.submit(student, n) for n in range(students)]
            for _ in range(students * 4):  # every student has had a few answers acknowledged by A on average
                acked_on_a.acquire()
            first.kill()
            killed.set()
            results = [f.result() for f in futures]

        assert all(r["a_refused"] for r in results), "A was killed while every student was still saving"
        assert sum(r["a_acked"] + 1 for r in results) >= students * 4
        with httpx.Client(base_url=second.url, timeout=20) as http:
            for n, seen in enumerate(results):
                answers = http.get(f"{API}/attempts/{attempts[n]}", headers=bearer(tokens[n])).json()["answers"]
                stored_a = int(answers["sa-01"]["text"].split()[1]) if "sa-01" in answers else -1
                # Acknowledged means stored; a save A took but could not answer may be stored as well.
                assert seen["a_acked"] <= stored_a <= seen["a_sent"], (n, seen, stored_a)
                assert answers["rw-01"]["text"] == f"rewrite {seen['b_acked']}"
    finally:
        first.stop()
        second.stop()


def _workers(pid: int) -> set[int]:
    """The uvicorn worker processes under ``pid`` (multiprocessing's resource tracker is not one)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text(errors="replace"):
                found.add(int(child))
    return found


def test_workers_option_starts_that_many_processes_and_replaces_a_dead_one(postgres_url: str, tmp_path: Path) -> None:
    with ServerProcess(postgres_url, [TINY_PACK], TEACHER_TOKEN, tmp_path, {"MEDIALIT_WORKERS": "2"}) as server:
        deadline = time.monotonic() + 60
        while len(_workers(server.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = _workers(server.process.pid)
        assert len(workers) == 2
        os.kill(min(workers), 9)
        while (min(workers) in _workers(server.process.pid) or len(_workers(server.process.pid)) < 2) and time.monotonic() < deadline + 60:
            time.sleep(0.2)
        assert len(_workers(server.process.pid)) == 2 and min(workers) not in _workers(server.process.pid)
        with httpx.Client(base_url=server.url, timeout=10) as http:
            assert all(http.get(f"{API}/health").status_code == 200 for _ in range(10))
