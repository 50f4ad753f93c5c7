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


def _runtime_imports(path: Path, module: str, is_package: bool) -> set[str]:
    """Every module ``path`` imports at run time, at any depth (function bodies included: the old
    cycles hid in lazy imports), resolved to dotted names; ``if TYPE_CHECKING:`` blocks are skipped."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if is_package else module.rpartition(".")[0]
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
               for child in node.body for n in ast.walk(child)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _module_graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for package in ("lesson", "quizzes", "api"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return {
        name: {m for m in _runtime_imports(path, name, path.name == "__init__.py") if m in modules and m != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_cycles_finds_a_cycle():
    """The check below can fail: a two-module and a three-module cycle are found, a chain is not."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}
    assert sorted(_cycles(graph)) == [["a", "b"], ["c", "d", "e"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_between_modules():
    """No module imports, directly or through others, a module that imports it back (lazy imports
    inside functions count: they only hide a cycle). A shared piece goes down into a module both use."""
    assert _cycles(_module_graph()) == []


def test_the_domain_contract_lists_every_domain_module():
    """The import-linter contract that keeps quizzes.grader and quizzes.authoring out of the domain
    names its sources one by one; a new domain module must be on that list to be covered."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    (domain,) = [c for c in contracts if c["type"] == "forbidden" and "quizzes.grader" in c["forbidden_modules"] and "quizzes.authoring" in c["forbidden_modules"]]
    applications = set(domain["forbidden_modules"])
    expected = {f"quizzes.{p.stem if p.is_file() else p.name}" for p in (ROOT / "quizzes").iterdir()
                if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists())}
    assert set(domain["source_modules"]) == expected - applications


MAX_SOURCE_LINES = 500
"""No source file, Python or the web client's, is longer than this: past it, a file holds more than one concern."""


def _source_files() -> list[Path]:
    roots = [ROOT / name for name in ("lesson", "quizzes", "api", "bench", "tests")]
    suffixes = {".py", ".js", ".css", ".html", ".lua"}
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in suffixes and p.is_file()
                  and ".venv" not in p.parts)


def test_no_source_file_is_longer_than_the_limit():
    files = _source_files()
    assert any(p.name == "teacher_common.js" for p in files) and len(files) > 100  # the walk reaches the web client
    long = {str(p.relative_to(ROOT)): n for p in files if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_SOURCE_LINES}
    assert long == {}, f"split these by concern (more than {MAX_SOURCE_LINES} lines): {long}"


_JS_STATIC_IMPORT = re.compile(r'^\s*(?:import|export)\b[^;]*?\bfrom\s+"\./([\w.-]+\.js)"', re.M | re.S)


def _web_module_graph() -> dict[str, set[str]]:
    """The web client's static imports (``import … from "./x.js"``), module name to module names.
    Lazy ``import()`` calls are left out: a screen loaded on demand cannot be half-evaluated."""
    web = ROOT / "api" / "web"
    return {p.name: set(_JS_STATIC_IMPORT.findall(p.read_text(encoding="utf-8"))) for p in sorted(web.glob("*.js"))}


def test_no_import_cycles_between_web_modules():
    """No web module statically imports one that imports it back: in a cycle one of them runs
    before the other's exports exist, and the page breaks only in the order a browser happens to load."""
    graph = _web_module_graph()
    assert {"article.js", "dom.js"} <= graph["article_marks.js"]  # the pattern reads real imports
    assert _cycles(graph) == []
