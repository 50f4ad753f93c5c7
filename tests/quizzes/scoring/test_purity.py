"""quizzes/scoring stays pure: no module below score() imports I/O, clock, randomness or logging."""

from __future__ import annotations

import ast
from pathlib import Path

import quizzes.scoring

FORBIDDEN = {
    "os", "pathlib", "io", "logging", "time", "random", "datetime", "sqlite3", "socket", "shutil", "subprocess",
    "tempfile", "glob", "urllib", "http", "requests", "httpx", "sqlalchemy", "fastapi", "secrets", "uuid", "threading",
    "asyncio", "pickle", "json", "sys", "builtins", "api",
}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "__import__"}
ALSO_PURE = ["submission.py", "reference_responses.py"]


def _files() -> list[Path]:
    scoring = Path(quizzes.scoring.__file__).parent
    return sorted(scoring.glob("*.py")) + [scoring.parent / name for name in ALSO_PURE]


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_scoring_modules_import_no_io_modules():
    files = _files()
    assert len(files) > 10
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = _imported(tree) & FORBIDDEN
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_scoring_modules_call_no_io_builtins():
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not calls & FORBIDDEN_CALLS, f"{path.name} calls {sorted(calls & FORBIDDEN_CALLS)}"


def test_the_purity_check_would_catch_an_io_import():
    assert _imported(ast.parse("import os.path\nfrom pathlib import Path\n")) & FORBIDDEN == {"os", "pathlib"}


def test_every_scoring_module_declares_its_surface():
    for path in _files():
        if path.name == "__init__.py" and path.parent.name != "scoring":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.name} has no module docstring"
        assigned = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        assert "__all__" in assigned, f"{path.name} has no __all__"
