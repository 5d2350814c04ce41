"""The package's shape: no import cycle anywhere, and no import against the layer order.

The layers are declared once, in ``pyproject.toml`` (``[tool.importlinter]``), where
``lint-imports`` also checks them in ``make lint``; this test reads the same list so that a plain
``pytest`` run catches a violation too, and proves on a doctored graph that both checks bite.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "emulation_rules"


def _config() -> dict[str, Any]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = data["tool"]["importlinter"]
    return config


def _layers() -> list[str]:
    contract = next(c for c in _config()["contracts"] if c["id"] == "layers")
    return [layer.strip("()") for layer in contract["layers"]]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def layer_violations(graph: grimp.ImportGraph) -> list[str]:
    illegal = graph.find_illegal_dependencies_for_layers(
        layers=tuple(_layers()), containers={PACKAGE}
    )
    return sorted(
        f"{d.importer} imports {d.imported}: "
        + "; ".join(
            " -> ".join([head, *route.middle, tail])
            for route in d.routes
            for head in sorted(route.heads)
            for tail in sorted(route.tails)
        )
        for d in illegal
    )


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    assert cycles(graph) == []


def test_no_import_goes_up_the_layers(graph: grimp.ImportGraph) -> None:
    assert layer_violations(graph) == []


def test_every_subpackage_is_in_a_layer(graph: grimp.ImportGraph) -> None:
    subpackages = {
        m.split(".")[1]
        for m in graph.modules
        if m.count(".") >= 1 and graph.find_children(".".join(m.split(".")[:2]))
    }
    assert subpackages <= set(_layers())


def test_the_base_modules_import_no_subpackage(graph: grimp.ImportGraph) -> None:
    base = next(c for c in _config()["contracts"] if c["id"] == "base")
    for source in base["source_modules"]:
        imported = graph.find_modules_directly_imported_by(source)
        internal = {m for m in imported if m.startswith(f"{PACKAGE}.")}
        assert internal <= set(base["source_modules"]), source


def test_the_checks_catch_a_cycle_and_an_upward_import() -> None:
    doctored = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)
    doctored.add_import(importer=f"{PACKAGE}.plan.digest", imported=f"{PACKAGE}.outputs.common")
    (violation,) = layer_violations(doctored)
    assert f"{PACKAGE}.plan.digest -> {PACKAGE}.outputs.common" in violation
    doctored.add_import(importer=f"{PACKAGE}.plan.criteria", imported=f"{PACKAGE}.plan.campaign")
    pair = {f"{PACKAGE}.plan.campaign", f"{PACKAGE}.plan.criteria"}
    assert any(pair <= set(cycle) for cycle in cycles(doctored))
