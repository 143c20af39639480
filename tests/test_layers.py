"""The package's import layers, read from the source with ``ast`` (function-local imports count).

Lower layers never import higher ones, and no module imports itself back through others::

    document < normalize, grammars < working doc < readers, parts < ml < pipeline < batch, export
    < commands, cli

A stage that needs to re-enter the pipeline (the hybrid stage re-running the rules on restored
line breaks) gets the function it needs from the pipeline as an argument instead of importing it.

``KNOWN`` lists the imports that still break the order in modules this test's author did not own
when it was written; each is an expected failure (strict: once the import is gone the test says so,
and the entry must be deleted).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PKG = SRC / "vbextract"

# module (or package prefix) → layer; the longest matching prefix wins
LAYERS: dict[str, int] = {
    # 0 — the output contract and what everything may use: versions, errors, limits
    "vbextract._meta": 0,
    "vbextract.errors": 0,
    "vbextract.document": 0,
    "vbextract.limits": 0,
    # 1 — text without structure: normalization, the grammar, dates, legacy encodings
    "vbextract.normalize": 1,
    "vbextract.grammars": 1,
    "vbextract.dates": 1,
    "vbextract.legacy": 1,
    "vbextract.linebreaks": 1,
    "vbextract.contract": 1,  # reads and checks records; uses normalize for refs
    # 2 — the working document
    "vbextract.doc": 2,
    # 3 — readers (bytes → text and tables) and parts (the rule stages)
    "vbextract.readers": 3,
    "vbextract.ocr": 3,
    "vbextract.parts": 3,
    "vbextract.marks": 3,  # the one pass that marks every line (run first by the pipeline)
    # 4 — statistical components
    "vbextract.ml": 4,
    # 5 — the pipeline
    "vbextract.pipeline": 5,
    # 6 — many documents and other outputs
    "vbextract.batch": 6,
    "vbextract._forkserver_warm": 6,
    "vbextract.archive": 6,
    "vbextract.dask": 6,
    "vbextract.dataset": 6,
    "vbextract.export": 6,
    "vbextract.evaluate": 6,
    "vbextract.spacy_component": 6,
    "vbextract.report": 6,
    # 7 — front ends: the package facade, CLI, commands, the service, developer tools
    "vbextract": 7,
    "vbextract.cli": 7,
    "vbextract.commands": 7,
    "vbextract.service": 7,
    "vbextract.tools": 7,
}

# (importer, imported) → why it is still there
KNOWN: dict[tuple[str, str], str] = {
    ("vbextract.document", "vbextract.contract"):
        "document._generator imports contract.current_generator (document <-> contract cycle); "
        "contract.py and document.py are owned elsewhere",
    ("vbextract.limits", "vbextract.pipeline"):
        "limits.parse_limited calls pipeline.parse: the killable-child parse belongs above the "
        "pipeline, the limits themselves below the readers (limits.py owned elsewhere)",
}


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = list(p.relative_to(SRC).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join(parts)] = (p, is_pkg)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every import node, with whether it only runs for the type checker."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, tc = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, tc
        for child in ast.iter_child_nodes(node):
            stack.append((child, tc or (isinstance(node, ast.If) and _is_type_checking(node.test)
                                        and child in node.body)))


def _targets(name: str, is_pkg: bool, node: ast.Import | ast.ImportFrom, mods) -> set[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = name.split(".") if is_pkg else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        # ``from pkg import sub`` imports the submodule; ``from pkg import name`` the package
        names = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in mods else mod for a in node.names]
    out = set()
    for t in names:
        while t and t not in mods:
            t = t.rpartition(".")[0]
        if t and t != name:
            out.add(t)
    return out


@cache
def import_graph(type_checking: bool = False) -> dict[str, dict[str, int]]:
    """importer → {imported module: line of the first such import} inside the package."""
    mods = _modules()
    graph: dict[str, dict[str, int]] = {}
    for name, (path, is_pkg) in mods.items():
        deps: dict[str, int] = {}
        for node, tc in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if tc and not type_checking:
                continue
            for t in _targets(name, is_pkg, node, mods):
                deps[t] = min(deps.get(t, node.lineno), node.lineno)
        graph[name] = deps
    return graph


def layer_of(module: str) -> int:
    key = module
    while key not in LAYERS:
        if "." not in key:
            raise KeyError(f"{module}: give it a layer in tests/test_layers.py LAYERS")
        key = key.rpartition(".")[0]
    return LAYERS[key]


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's groups of modules that import each other (size > 1), iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, {})))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    group = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        group.append(w)
                        if w == v:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def _without_known(graph):
    return {a: {b: ln for b, ln in deps.items() if (a, b) not in KNOWN} for a, deps in graph.items()}


def test_every_module_has_a_layer():
    for module in import_graph():
        layer_of(module)


def test_imports_go_down_the_layers():
    bad = [f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)}) at line {ln}"
           for a, deps in import_graph(type_checking=True).items() for b, ln in deps.items()
           if layer_of(b) > layer_of(a) and (a, b) not in KNOWN]
    assert not bad, "\n".join(sorted(bad))


def test_no_import_cycle():
    groups = strongly_connected(_without_known(import_graph()))
    assert not groups, f"modules importing each other: {groups}"


def test_the_checks_can_fail():
    """The graph reader sees a function-local import and the cycle finder finds a planted cycle."""
    graph = import_graph()
    assert "vbextract.pipeline" in graph["vbextract.batch.workers"]  # imported inside a function
    planted = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert strongly_connected(planted) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    "edge", [pytest.param(e, marks=pytest.mark.xfail(reason=why, strict=True), id=f"{e[0]}->{e[1]}")
             for e, why in KNOWN.items()])
def test_known_breaks_are_gone(edge):
    importer, imported = edge
    assert imported not in import_graph()[importer]
