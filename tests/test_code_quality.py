"""The house rules, checked: lint, formatting, types, and imports that run one way.

Each test runs the tool the Development section of the README names, with the settings
of pyproject.toml, and fails with the tool's own report. They fail when: a change
breaks a ruff rule (``ruff check``) or is not formatted (``ruff format --check``);
``mypy clv_xl`` finds a type error; a module imports a module of a higher layer, or
two modules import each other (directly or through others). Nothing is written in the
checkout: the tools' caches are switched off or kept under tmp_path.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "clv_xl"

#: The layers of the package, lowest first; a module belongs to the longest prefix that
#: names it. A module may import its own layer and the layers below, never one above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("clv_xl.errors", "clv_xl.i18n", "clv_xl.ooxml", "clv_xl.sources", "clv_xl.version")),
    ("pure computation", ("clv_xl.core",)),
    ("data in and out, models", ("clv_xl.data", "clv_xl.files", "clv_xl.models")),
    ("Excel cells", ("clv_xl.function_spec", "clv_xl.cells", "clv_xl.order_ranges", "clv_xl.model_ranges")),
    ("catalogue", ("clv_xl.catalogue", "clv_xl.examples")),
    (
        "Excel faces",
        (
            "clv_xl.excel_formulas",
            "clv_xl.udfs",
            "clv_xl.templates",
            "clv_xl.report",
            "clv_xl.cli",
            "clv_xl.cli_check",
            "clv_xl.cli_common",
            "clv_xl.cli_excel",
            "clv_xl.cli_report",
            "clv_xl.addin",
            "clv_xl.excel_windows",
            "clv_xl.excel_doctor",
        ),
    ),
    ("public API", ("clv_xl",)),
)


def _tool(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *arguments], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_check_passes() -> None:
    """``ruff check`` with the project's rules: a new violation fails here."""
    run = _tool("ruff", "check", "--no-cache", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_leaves_every_file_unchanged() -> None:
    """``ruff format --check``: a file the formatter would change fails here."""
    run = _tool("ruff", "format", "--check", "--no-cache", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_finds_no_error(tmp_path: Path) -> None:
    """``mypy`` on clv_xl with the settings of pyproject.toml: a type error fails here."""
    run = _tool("mypy", "--cache-dir", str(tmp_path / "mypy"))
    assert run.returncode == 0, run.stdout + run.stderr


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The clv_xl modules ``path`` imports, anywhere in it (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("clv_xl"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("clv_xl"))
    found.discard(_module_name(path))
    return found


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the longest prefix that names ``module``."""
    best, length = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = index, len(prefix)
    return best


def test_every_module_has_a_layer() -> None:
    """A new module must be placed in a layer (add its prefix to LAYERS) before the other checks can see it."""
    assert [m for m in _modules() if layer_of(m) < 0] == []


def test_no_module_imports_a_higher_layer() -> None:
    """Imports run downward: e.g. clv_xl.core importing clv_xl.report fails here."""
    modules = _modules()
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, path in modules.items()
        for target in sorted(imports_of(path, modules))
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other (strongly connected components of more than one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_find_cycles_sees_a_loop() -> None:
    """The cycle finder itself: a -> b -> c -> a is one cycle; a chain is none."""
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle() -> None:
    """No two modules import each other, through any chain (the catalogue and cells.py once did)."""
    modules = _modules()
    graph = {module: imports_of(path, modules) for module, path in modules.items()}
    assert find_cycles(graph) == []
