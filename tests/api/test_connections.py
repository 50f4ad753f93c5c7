"""Idle or slow clients cannot starve a real server (``python -m api``): header deadline and connection cap."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from tests.api.conftest import TEACHER_TOKEN, TINY_PACK
from tests.api.server import ServerProcess


def _slow_client(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    return sock


def _is_closed_by_server(sock: socket.socket, within_s: float) -> bool:
    sock.settimeout(within_s)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_a_connection_that_never_finishes_its_headers_is_closed(tmp_path: Path) -> None:
    env = {"MEDIALIT_HEADER_TIMEOUT_S": "1"}
    with ServerProcess(f"sqlite:///{tmp_path / 'm.db'}", [TINY_PACK], TEACHER_TOKEN, tmp_path, extra_env=env) as server:
        slow = _slow_client(server.port)
        started = time.monotonic()
        assert _is_closed_by_server(slow, within_s=5)
        assert time.monotonic() - started < 4
        with httpx.Client(base_url=server.url) as http:  # a keep-alive connection gets the same deadline after its answer
            assert http.get("/api/v1/health").status_code == 200
        slow.close()


def test_over_the_cap_the_longest_waiting_connection_makes_room(tmp_path: Path) -> None:
    env = {"MEDIALIT_MAX_CONNECTIONS": "20", "MEDIALIT_HEADER_TIMEOUT_S": "60"}
    with ServerProcess(f"sqlite:///{tmp_path / 'm.db'}", [TINY_PACK], TEACHER_TOKEN, tmp_path, extra_env=env) as server:
        idle = [_slow_client(server.port) for _ in range(40)]
        time.sleep(0.5)
        started = time.monotonic()
        answer = httpx.get(f"{server.url}/api/v1/health", timeout=5)
        assert answer.status_code == 200 and time.monotonic() - started < 1
        closed = sum(_is_closed_by_server(sock, within_s=0.05) for sock in idle)
        assert 20 <= closed <= 22  # the oldest ones: 40 idle + 1 probe against a cap of 20
        assert not _is_closed_by_server(idle[-1], within_s=0.05)
        for sock in idle:
            sock.close()


def _wrong_joins_with_rotating_forwarded_for(url: str, n: int) -> list[int]:
    return [httpx.post(f"{url}/api/v1/join", json={"join_code": "WRONGWRONG", "display_name": "x"},
                       headers={"X-Forwarded-For": f"10.9.{i}.1"}).status_code for i in range(n)]


def test_forwarded_for_is_believed_only_from_a_configured_proxy(tmp_path: Path) -> None:
    env = {"MEDIALIT_JOIN_FAILURES_ALLOWED": "3", "MEDIALIT_JOIN_THROTTLE_S": "60"}
    with ServerProcess(f"sqlite:///{tmp_path / 'a.db'}", [TINY_PACK], TEACHER_TOKEN, tmp_path, extra_env=env) as server:
        assert _wrong_joins_with_rotating_forwarded_for(server.url, 6) == [404] * 4 + [429] * 2
    env["MEDIALIT_TRUSTED_PROXIES"] = '["127.0.0.1"]'
    with ServerProcess(f"sqlite:///{tmp_path / 'b.db'}", [TINY_PACK], TEACHER_TOKEN, tmp_path, extra_env=env) as server:
        assert _wrong_joins_with_rotating_forwarded_for(server.url, 6) == [404] * 6  # six addresses behind the proxy
