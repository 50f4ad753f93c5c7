"""The shape of the code: layers, declared surfaces and documentation."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import tomllib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_layers_only_import_downwards():
    """api -> quizzes -> lesson, never the reverse (import-linter contract in pyproject.toml)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lesson_imports_no_web_or_database_code():
    forbidden = {"fastapi", "starlette", "sqlalchemy", "alembic", "httpx", "uvicorn", "quizzes", "api"}
    for path in (ROOT / "lesson").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.relative_to(ROOT)} imports {name}"


def _public_modules(package: str):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        yield info.name


@pytest.mark.parametrize("package", ["lesson", "quizzes"])
def test_every_module_declares_its_public_surface(package):
    missing = []
    for name in _public_modules(package):
        module = importlib.import_module(name)
        if name.rsplit(".", 1)[-1].startswith("_") or name.endswith(".__init__"):
            continue
        if not hasattr(module, "__all__"):
            missing.append(name)
            continue
        for public in module.__all__:
            assert hasattr(module, public), f"{name}.__all__ names {public!r}, which does not exist"
    assert not missing, f"modules without __all__: {missing}"


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_third_party_import_is_a_core_dependency():
    """``python3 run.py serve`` installs only the core dependencies (plus the PostgreSQL driver):
    a module that imports a package found only in the test extra works in the tests and breaks
    the server. Imports inside functions are optional features and are not checked here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = {_requirement_name(r) for r in project["dependencies"] + project["optional-dependencies"]["postgres"]}
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for package in ("lesson", "quizzes", "api"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in {"lesson", "quizzes", "api", "__future__"}:
                        continue
                    dists = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                    if not dists & allowed and not any(_covered_by(d, allowed) for d in dists):
                        missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, f"imported at module level but not a core dependency: {missing}"


def _covered_by(distribution: str, allowed: set[str]) -> bool:
    """A distribution pulled in by an allowed one (starlette by fastapi, pydantic_core by pydantic...)."""
    seen, todo = set(), list(allowed)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        todo += [_requirement_name(r) for r in requires if "extra ==" not in r or "standard" in r]
    return distribution in seen
