"""medialit installs like a Python application: a wheel and an sdist that carry everything it loads.

One module-scoped build: the sources are copied to a temporary folder (so nothing untracked, such
as ``data/`` or ``.venv``, can leak in), ``python -m build`` makes the sdist and then the wheel
*from that sdist* (so a file missing from the sdist breaks the wheel too), and ``pipx`` installs the
wheel with its dependencies from the package registry into a fresh environment outside the source
tree. ``medialit serve`` is then started from an empty folder and must answer like
``python3 run.py serve``: health, the case study listed, the web client, SQLite in ``./data``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lesson", "quizzes", "api")
CASE_STUDY = "central-asia-2022"
_LOCAL_AT_TOP = {".git", ".venv", "data", "artifacts", "build", "dist"}  # what .gitignore keeps out, at the top only
_LOCAL_ANYWHERE = shutil.ignore_patterns("*.egg-info", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


def _not_sources(folder: str, names: list[str]) -> set[str]:
    ignored = set(_LOCAL_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        ignored |= _LOCAL_AT_TOP & set(names)
    if Path(folder) == ROOT / "bench":
        ignored |= {"out"} & set(names)
    return ignored

pytestmark = pytest.mark.slow


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that points into this checkout or configures medialit."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MEDIALIT_", "PIPX_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("packaging")
    sources = work / "src"
    shutil.copytree(ROOT, sources, ignore=_not_sources)
    # --no-isolation: the build backend (setuptools, pinned in the test extra) comes from this
    # environment instead of a fresh download for every run.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(sources)], env=_clean_env())
    (wheel,) = (work / "dist").glob("medialit-*.whl")
    (sdist,) = (work / "dist").glob("medialit-*.tar.gz")
    return {"work": work, "wheel": wheel, "sdist": sdist}


def _package_files() -> list[str]:
    """Every file of the three packages in the checkout, as a path relative to it (code and data)."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def test_wheel_carries_every_file_of_the_packages(dist):
    names = set(zipfile.ZipFile(dist["wheel"]).namelist())
    assert [f for f in _package_files() if f not in names] == []
    for needed in ("api/alembic.ini", "api/migrations/env.py", "api/web/index.html",
                   f"lesson/packs/{CASE_STUDY}/pack.json", f"lesson/packs/{CASE_STUDY}/guide/teacher.md"):
        assert needed in names
    assert not [n for n in names if n.startswith(("tests/", "docs/", "bench/"))]


def test_sdist_carries_sources_docs_tests_and_nothing_local(dist):
    with tarfile.open(dist["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [f for f in _package_files() if f not in names] == []
    for needed in ("pyproject.toml", "MANIFEST.in", "README.md", "run.py", "docs/api.md", "docs/operations.md",
                   "tests/test_packaging.py", "tests/fixtures/packs/tiny/pack.json", ".ci/run"):
        assert needed in names
    local = [n for n in names if n.split("/")[0] in (".venv", "data", ".git") or "__pycache__" in n or n.endswith(".db")]
    assert local == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (loopback only)
        return response.status, response.read()


@pytest.fixture(scope="module")
def installed(dist) -> dict[str, Path]:
    """The wheel installed by pipx (with its dependencies from the registry) into a temporary home."""
    if shutil.which("pipx", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("pipx is missing from the test environment (it is in the test extra: pip install -e '.[test]')")
    home = dist["work"] / "pipx"
    env = _clean_env(PIPX_HOME=str(home / "home"), PIPX_BIN_DIR=str(home / "bin"), PIPX_MAN_DIR=str(home / "man"))
    pipx = str(Path(sys.executable).parent / "pipx")
    _run([pipx, "install", "--python", sys.executable, str(dist["wheel"])], env=env, cwd=dist["work"])
    return {"bin": home / "bin", "venv": home / "home" / "venvs" / "medialit"}


_RUN_TIME_FILES = """
import api, lesson, quizzes
from api.app import WEB_DIR
from api.store import db
from lesson.loading import shipped_packs_dir
from quizzes.studio import lexicon, packing
for path in (api.__file__, lesson.__file__, quizzes.__file__, WEB_DIR / "index.html", db._MIGRATIONS / "env.py",
             shipped_packs_dir() / "central-asia-2022" / "pack.json", packing._GLOSSARY, lexicon._DEFAULT):
    print(path)
"""


def test_installed_code_finds_its_files_in_the_wheel_not_this_checkout(installed, tmp_path):
    found = [Path(line) for line in _run([str(installed["venv"] / "bin" / "python"), "-c", _RUN_TIME_FILES],
                                         env=_clean_env(), cwd=tmp_path).stdout.split()]
    assert len(found) == 8
    assert [f for f in found if not f.is_file()] == []
    assert [f for f in found if not f.resolve().is_relative_to(installed["venv"].resolve())] == []


def test_installed_medialit_serve_works_like_run_py_serve(installed, tmp_path):
    port = _free_port()
    stderr_path = tmp_path / "stderr.log"
    with stderr_path.open("w") as stderr:
        server = subprocess.Popen([str(installed["bin"] / "medialit"), "serve", "--port", str(port)], cwd=tmp_path,
                                  env=_clean_env(), stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            token = _teacher_token(server)
            base = f"http://127.0.0.1:{port}"
            status, body = _wait_for_health(base, server)
            assert status == 200 and json.loads(body)["status"] == "ok"
            status, body = _get(f"{base}/api/v1/lessons")
            assert status == 200 and CASE_STUDY in [lesson["id"] for lesson in json.loads(body)]
            status, body = _get(f"{base}/")
            assert status == 200 and b"<html" in body.lower()
            status, _ = _get(f"{base}/api/v1/classes", token)
            assert status == 200
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert (tmp_path / "data" / "medialit.db").is_file()  # like run.py serve: SQLite under the working folder
    lines = [json.loads(line) for line in stderr_path.read_text().splitlines() if line.startswith("{")]
    assert {"method": "GET", "route": "/api/v1/health", "status": 200} in [
        {k: line[k] for k in ("method", "route", "status")} for line in lines]
    assert token not in stderr_path.read_text()


def _teacher_token(server: subprocess.Popen[str]) -> str:
    """The token the first start prints on standard output (the line after 'serving on ...')."""
    for line in server.stdout:  # type: ignore[union-attr]
        if "teacher token" in line:
            return line.rsplit(" ", 1)[1].strip()
    pytest.fail(f"the server printed no teacher token (exit code {server.wait()})")


def _wait_for_health(base: str, server: subprocess.Popen[str]) -> tuple[int, bytes]:
    deadline = time.monotonic() + 60  # start-up readiness, not a speed assertion
    while True:
        try:
            return _get(f"{base}/api/v1/health")
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"medialit serve did not come up (exit code {server.poll()})")
            time.sleep(0.2)
