"""Tests that mock a function a twin or propagation stopped calling as it was.

A test that patches ``EvalSetLoader.get_slice_scripts`` (or ``EvalSetLoader`` itself,
with a ``MagicMock``) keeps passing a sync stub; once the code awaits
``get_slice_scripts_async`` the test fails with "'MagicMock' object can't be awaited",
or silently stops mocking anything. ``fix`` cannot know what the test meant, so it
lists every such patch in its summary: the test files of the project (``test_*.py``,
``*_test.py``, ``conftest.py``, anywhere under the root but in hidden, virtualenv and
cache folders) are parsed and these forms are matched against the changed functions:

- ``patch("pkg.mod.Class.method")``, ``mock.patch(...)``, ``mocker.patch(...)``,
  ``monkeypatch.setattr("pkg.mod.func", ...)``: the dotted target ends with the method
  and its class, with the class (a mock of the whole class), or with the module
  function's name (patched where it is defined or where it is imported);
- ``patch.object(Class, "method")``, ``mocker.patch.object(...)``,
  ``monkeypatch.setattr(Class, "method", ...)``: the attribute is the function's name and
  the object is spelled with its class's (or module's) name.

A file that does not parse is skipped (``check`` reports it if it is checked at all).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from asyncify.codemods.changed_callees import ChangedCallee
from asyncify.parsing import parse_module

SKIPPED_DIRS = frozenset({"node_modules", "site-packages", "__pycache__", "build", "dist", "venv"})
PATCHERS = frozenset({"patch", "setattr"})


@dataclass(frozen=True, slots=True)
class MockedTarget:
    """One patch in a test of a function whose callers now await something else."""

    path: str
    test: str
    target: str
    now: str

    def line(self) -> str:
        return f"{self.path}::{self.test} patches {self.target}; the code now awaits {self.now}"


def mocked_targets(root: Path, callees: Mapping[tuple[str, str], str]) -> list[MockedTarget]:
    """Every patch under ``root``'s tests that names a function of ``callees``
    (``(module, qualname)`` -> what its async callers await now) or its class."""
    if not callees:
        return []
    wanted = [ChangedCallee(module, qualname, now) for (module, qualname), now in sorted(callees.items())]
    found: list[MockedTarget] = []
    for path in test_files(root):
        try:
            tree = parse_module(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, ValueError, OSError, RecursionError, UnicodeDecodeError):
            continue
        shown = path.relative_to(root).as_posix()
        for test, call in _calls(tree):
            target = _target(call)
            if target is None:
                continue
            for changed in wanted:
                if changed.named_by(target):
                    found.append(MockedTarget(shown, test, ".".join(target), changed.awaited))
    return found


def test_files(root: Path) -> Iterator[Path]:
    """The project's test files, in a stable order."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(".py") and (
                name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            ):
                yield Path(folder) / name


def _calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    """Every call with the test (function) it belongs to; a decorator belongs to the
    function it decorates."""
    stack: list[tuple[ast.AST, str]] = [(tree, "<module>")]
    while stack:
        node, test = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            test = node.name
        if isinstance(node, ast.Call):
            yield test, node
        stack.extend((child, test) for child in ast.iter_child_nodes(node))


def _dotted(node: ast.expr) -> tuple[str, ...] | None:
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else (*head, node.attr)
    return None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _target(call: ast.Call) -> tuple[str, ...] | None:
    """What a patching call replaces, as dotted parts; ``None`` for other calls."""
    func = _dotted(call.func)
    if func is None or not call.args:
        return None
    first = call.args[0]
    patches_object = func[-2:] == ("patch", "object") or (func[-1] == "setattr" and len(func) > 1)
    if patches_object and len(call.args) >= 2:
        attribute = _string(call.args[1])
        owner = _dotted(first)
        if attribute is not None and owner is not None and _string(first) is None:
            return (*owner, attribute)
    if func[-1] in PATCHERS and (func[-1] == "patch" or func[:-1] == ("monkeypatch",)):
        text = _string(first)
        return tuple(text.split(".")) if text else None
    return None
