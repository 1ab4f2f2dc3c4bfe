"""The import graph of ``src/asyncify``: no cycle, and no module importing a higher layer.

The layers, bottom to top (README "Layout" shows the same picture). A module may import
its own layer and the layers below it, never one above:

 0. foundation  ``asyncify`` (the version), ``vocabulary`` (Strategy, Backend, OutputFormat),
                ``strict`` (the test suite's switch that lets internal errors raise),
                ``parsing.*`` (Python 3.8-3.14 source to an ``ast`` on any host)
 1. codemods    ``codemods.*``: one libcst codemod per strategy and the contract they
                share (``codemods.base``); libcst and the foundation only
 2. scan        ``scan.*``: source decoding and ``ast`` summaries of one module
 3. knowledge   ``catalogue.*`` (blocking APIs as data), ``rules.*`` (codes, messages,
                documentation and examples)
 4. settings    ``config``, ``discovery``, ``target`` (the project's target Python),
                ``project`` (the project root), ``codes`` (the known rule codes),
                ``selection`` (what a run analyses and reports), ``dependencies`` (what
                the project declares it depends on), ``project_style`` (its lint settings)
 5. records     ``findings``, ``edits``, ``results``: what the layers above hand each other
 6. analysis    ``analysis.*`` (index, blocking fixpoint, detector), ``plan`` (strategy
                decisions)
 7. strategies  ``structural.*``: which helpers may get a twin or become async (pure ast)
 8. check       ``api``: discover -> scan -> analyse, the library API of ``check``;
                ``runtime.*`` (the pytest plugin, its report, the merge into findings)
 9. rewrite     ``rewrite`` (the engine that runs the codemods), ``restructure.*``
                (phase 1 of twin/propagate, libcst)
10. fix         ``fixer``: plan, rewrite, re-check until nothing is left; ``fix_files``:
                each file opened once, rewritten and re-scanned per pass; ``gate``: which
                files fix may rewrite; ``mock_targets``: tests that mock what phase 1 changed;
                ``mock_updates``: those tests rewritten (``fix --update-mocks``)
11. output      ``report.*`` (formats, exit codes), ``write`` (atomic writes),
                ``runtime.display`` (run-time facts in each format), ``baseline``
                (accepted findings), ``noqa`` (suppression comments)
12. review      ``review.*``: diffs, patches, the interactive session, the fix summary
13. entry       ``cli.*``, ``commands`` (the codemods as libcst commands), ``__main__``,
                ``server.*`` (the language server)

So ``check`` (layer 8) never imports the rewrite side (9 and up), and the codemods
(layer 1) import nothing of asyncify but the foundation. Imports inside functions and
under ``TYPE_CHECKING`` count: a lazy import is still a dependency. A new module must be
given a layer here (the test fails for a module no layer claims).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("asyncify", "asyncify.vocabulary", "asyncify.strict", "asyncify.parsing.*")),
    ("codemods", ("asyncify.codemods.*",)),
    ("scan", ("asyncify.scan.*",)),
    ("knowledge", ("asyncify.catalogue.*", "asyncify.rules.*")),
    (
        "settings",
        (
            "asyncify.config",
            "asyncify.discovery",
            "asyncify.target",
            "asyncify.project",
            "asyncify.codes",
            "asyncify.selection",
            "asyncify.dependencies",
            "asyncify.project_style",
        ),
    ),
    ("records", ("asyncify.findings", "asyncify.edits", "asyncify.results")),
    ("analysis", ("asyncify.analysis.*", "asyncify.plan")),
    ("strategies", ("asyncify.structural.*",)),
    ("check", ("asyncify.api", "asyncify.runtime.*")),
    ("rewrite", ("asyncify.rewrite", "asyncify.restructure.*")),
    (
        "fix",
        ("asyncify.fixer", "asyncify.fix_files", "asyncify.gate", "asyncify.mock_targets", "asyncify.mock_updates"),
    ),
    (
        "output",
        ("asyncify.report.*", "asyncify.write", "asyncify.runtime.display", "asyncify.baseline", "asyncify.noqa"),
    ),
    ("review", ("asyncify.review.*",)),
    ("entry", ("asyncify.cli.*", "asyncify.commands", "asyncify.__main__", "asyncify.server.*")),
]


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (``codemods`` is a symlink: followed)."""
    found = {}
    for folder, _, files in os.walk(SRC / "asyncify", followlinks=True):
        for file in files:
            if not file.endswith(".py"):
                continue
            parts = list((Path(folder) / file).relative_to(SRC).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = Path(folder) / file
    return found


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The project modules ``name`` imports, anywhere in its body."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            # ``from pkg import mod`` depends on ``pkg.mod``; ``from mod import name`` on ``mod``.
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
    return {module for module in found if module in modules and module != name}


def layer_of(module: str) -> int | None:
    """The index of the layer that claims ``module``; an exact name beats a package pattern."""
    for index, (_, patterns) in enumerate(LAYERS):
        if module in patterns:
            return index
    for index, (_, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            if pattern.endswith(".*") and (module == pattern[:-2] or module.startswith(pattern[:-1])):
                return index
    return None


def graph() -> dict[str, set[str]]:
    files = module_files()
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def test_every_module_has_a_layer() -> None:
    assert [m for m in sorted(graph()) if layer_of(m) is None] == []


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for module, imported in sorted(graph().items()):
        own = layer_of(module)
        for target in sorted(imported):
            other = layer_of(target)
            if own is not None and other is not None and other > own:
                upward.append(f"{module} ({LAYERS[own][0]}) imports {target} ({LAYERS[other][0]})")
    assert upward == []


def test_import_graph_has_no_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_codemods_import_only_libcst_and_the_contract() -> None:
    """Third-party imports of the codemods: libcst and the standard library only."""
    files = module_files()
    allowed_roots = {"libcst", "asyncify", "__future__"}
    for name, path in files.items():
        if not name.startswith("asyncify.codemods"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            roots = []
            if isinstance(node, ast.Import):
                roots = [alias.name.partition(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = [(node.module or "").partition(".")[0]]
            for root in roots:
                import sys

                assert root in allowed_roots or root in sys.stdlib_module_names, f"{name} imports {root}"


def test_the_layer_test_sees_an_upward_import() -> None:
    """The checker itself: a lower module importing a higher one is reported."""
    assert layer_of("asyncify.api") is not None and layer_of("asyncify.fixer") is not None
    assert layer_of("asyncify.api") < layer_of("asyncify.fixer")  # type: ignore[operator]
    assert layer_of("asyncify.codemods.wrap") == 1 and layer_of("asyncify.codemods") == 1
    assert layer_of("asyncify.cli") == len(LAYERS) - 1
