"""The shape of the code: layers, declared surfaces and documentation."""

from __future__ import annotations

import ast
import importlib
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
