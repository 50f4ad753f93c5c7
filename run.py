#!/usr/bin/env python3
"""Set up and run medialit with nothing but Python 3.11+.

    python3 run.py serve   # venv + install + start the server on SQLite with the case study
    python3 run.py serve --workers 2   # two server processes (PostgreSQL: MEDIALIT_DATABASE_URL; docs/deploy.md)
    python3 run.py test    # venv + install (with test extras) + system packages if missing + the whole suite

The virtual environment lives in ``.venv`` beside this file and is reused when present. ``test``
needs Debian's ``chromium`` (browser tests) and ``postgresql`` (storage tests on a real server):
as root on Debian it installs them with apt-get when they are missing, and it starts a throwaway
PostgreSQL cluster for the run. Elsewhere those tests are skipped with a reason, unless
``CI`` or ``MEDIALIT_REQUIRE_ALL`` is set, in which case a missing part is an error.
Extra arguments after ``test`` go to pytest (``python3 run.py test tests/lesson -x``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".medialit-installed"
DEBIAN_PACKAGES = ["chromium", "postgresql", "wrk"]
PYTEST_NO_TESTS = 5


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def ensure_venv(extras: str) -> None:
    """Create ``.venv`` and install the project (editable) with ``extras``, once per pyproject change."""
    if sys.version_info < (3, 11):
        sys.exit(f"medialit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        say("creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = f"{extras}:{(ROOT / 'pyproject.toml').stat().st_mtime_ns}"
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    say(f"installing medialit{f'[{extras}]' if extras else ''} into .venv")
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def serve(args: list[str]) -> int:
    ensure_venv("postgres")
    return subprocess.call([str(PYTHON), "-m", "api", *args], cwd=os.getcwd())


def _is_root_on_debian() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None


def ensure_system_packages() -> None:
    missing = [
        name
        for name, probe in (("chromium", "/usr/bin/chromium"), ("postgresql", "/usr/lib/postgresql"), ("wrk", "/usr/bin/wrk"))
        if not Path(probe).exists()
    ]
    if not missing:
        return
    if not _is_root_on_debian():
        say(f"not root on Debian: cannot install {', '.join(missing)}; the tests that need them will be skipped")
        return
    say(f"installing Debian packages: {', '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgres() -> tuple[str, callable] | None:
    """Start a throwaway PostgreSQL cluster on a free loopback port; return its URL and a stopper."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")) if Path("/usr/lib/postgresql").exists() else []
    if not versions:
        return None
    bindir = versions[-1].parent
    data = Path(tempfile.mkdtemp(prefix="medialit-pg-"))
    port = _free_port()
    run_as: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data / "db"), "-U", "medialit", "--auth=trust", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-l", str(data / "log"), "-w",
                    "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=on", "start"],
                   check=True, stdout=subprocess.DEVNULL)

    def stop() -> None:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(data, ignore_errors=True)

    say(f"PostgreSQL {bindir.parent.name} started on 127.0.0.1:{port}")
    return f"postgresql+psycopg://medialit@127.0.0.1:{port}/postgres", stop


def test(args: list[str]) -> int:
    ensure_system_packages()
    ensure_venv("test")
    env = dict(os.environ)
    strict = bool(env.get("CI") or env.get("MEDIALIT_REQUIRE_ALL"))
    if strict:
        env["MEDIALIT_REQUIRE_ALL"] = "1"
    postgres = None
    if "MEDIALIT_TEST_POSTGRES_URL" not in env:
        try:
            postgres = start_postgres()
        except (subprocess.CalledProcessError, OSError) as error:
            say(f"could not start PostgreSQL: {error}")
            if strict:
                return 1
        if postgres:
            env["MEDIALIT_TEST_POSTGRES_URL"] = postgres[0]
    started = time.monotonic()
    try:
        code = subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)
    finally:
        if postgres:
            postgres[1]()
    say(f"pytest finished in {time.monotonic() - started:.0f} s with exit code {code}")
    if code == PYTEST_NO_TESTS:
        say("pytest collected no tests: that is a failure, not a pass")
        return 1
    return code


def main(argv: list[str]) -> int:
    commands = {"serve": serve, "test": test}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
