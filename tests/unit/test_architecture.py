"""The layout's rules, read from the source (docs/design.md, "Where things live").

Layers import downwards only; no import cycle hides behind a function-local import,
except the seams named here; every function-local import says why it is local.
Imports under `if TYPE_CHECKING:` are types for mypy, not dependencies, and are left out.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import billcli

ROOT = Path(billcli.__file__).parent
# `# platform:` marks a module only some systems have (fcntl), imported where it exists.
MARKS = ("# startup:", "# seam:", "# platform:")

# The one two-way hook left between domains: an invoice settling moves its
# subscription, whose status code voids and marks its invoices in turn.
SEAMS = {("billcli.services.invoicing.lifecycle", "billcli.services.subscriptions.status")}

# What each layer may import (besides itself). cli may import anything: it runs the
# servers too. Top-level modules (clock, errors, request_log) are layers of their own;
# the package itself (its `__version__`) any layer may read.
ALLOWED = {
    "core": {"errors"},
    "store": {"core", "errors", "clock"},
    "services": {"core", "store", "errors", "clock"},
    "render": {"core", "errors"},
    "web": {"services", "render", "core", "store", "errors", "request_log"},
    "api": {"services", "render", "core", "store", "errors", "request_log"},
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    line: int
    local: bool  # inside a function
    marked: str | None  # one of MARKS, from the comment above or on the line


def _module_name(path: Path) -> str:
    parts = ("billcli", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _mark(lines: list[str], line: int) -> str | None:
    """The mark on the import's line, or in the comments and imports just above it."""
    at = line - 1
    while at >= 0:
        text = lines[at].strip()
        for mark in MARKS:
            if mark in text:
                return mark
        above_import = at < line - 1
        continued = text.startswith(("#", "from ", "import ")) or text.endswith(",") or text == ")"
        if above_import and not continued:
            return None
        at -= 1
    return None


def _imports(name: str, path: Path) -> list[Import]:
    source = path.read_text()
    lines = source.split("\n")
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only or not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                continue
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
            targets = [t if t in MODULES else node.module for t in targets]
        else:
            targets = [alias.name for alias in node.names]
        local = id(node) not in top
        mark = _mark(lines, node.lineno) if local else None
        found += [Import(name, t, node.lineno, local, mark) for t in targets]
    return found


IMPORTS = [i for name, path in MODULES.items() for i in _imports(name, path)]
OURS = [i for i in IMPORTS if i.target in MODULES and i.target != i.source]


def _layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in list(edges):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_inside_billcli_counting_function_local_imports_but_the_seams():
    edges: dict[str, set[str]] = defaultdict(set)
    for i in OURS:
        if i.marked != "# seam:":
            edges[i.source].add(i.target)
    assert _cycles(edges) == []


def test_the_seams_are_exactly_the_named_ones():
    marked = {(i.source, i.target) for i in OURS if i.marked == "# seam:"}
    assert marked == SEAMS


def test_every_function_local_import_says_why():
    silent = [
        f"{i.source}:{i.line} imports {i.target}" for i in IMPORTS if i.local and not i.marked
    ]
    assert silent == [], (
        "each function-local import needs a `# startup:`, `# seam:` or `# platform:` comment"
    )


def test_layers_import_downwards_only():
    wrong = []
    for i in OURS:
        source, target = _layer(i.source), _layer(i.target)
        if source == target or source in ("cli", "__main__") or i.target == "billcli":
            continue
        if target == "cli" or target not in ALLOWED.get(source, {target}):
            wrong.append(f"{i.source}:{i.line} ({source}) imports {i.target} ({target})")
    assert wrong == []


def test_the_checker_sees_a_cycle_and_a_silent_local_import():
    """The guard itself can fail: a two-module cycle is found, and an unmarked local
    import is reported."""
    assert _cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]
    lines = ["def f():", "    from billcli import errors"]
    assert _mark(lines, 2) is None
    assert _mark(["def f():", "    # startup: why", "    from billcli import errors"], 3)
