"""A real server process for tests and benchmarks: ``python -m api`` on a free port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

__all__ = ["free_port", "ServerProcess"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """Start ``python -m api`` with the given database and packs; ``kill()`` sends SIGKILL."""

    def __init__(self, database_url: str, pack_dirs: list[Path], teacher_token: str, workdir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "MEDIALIT_DATABASE_URL": database_url, "MEDIALIT_PACK_DIRS": json.dumps([str(p) for p in pack_dirs]),
               "MEDIALIT_TEACHER_TOKEN": teacher_token, "MEDIALIT_PORT": str(self.port), "MEDIALIT_HOST": "127.0.0.1", **(extra_env or {})}
        self.log = open(workdir / f"server-{self.port}.log", "w")
        self.process = subprocess.Popen([sys.executable, "-m", "api"], cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log.name}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not become ready in {timeout_s} s; see {self.log.name}")

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no shutdown handler, no flush, nothing
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
