"""Import facts the codemods need: reading the module's aliases, adding new imports.

Adding goes through libcst's ``AddImportsVisitor`` once, after the rewrite pass: it puts
``import asyncio`` after the module docstring and ``from __future__`` imports, skips
modules already imported, and emits lines with the module's own newline (CRLF files stay
CRLF).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.helpers import get_full_name_for_node


def record_import(node: cst.Import | cst.ImportFrom, aliases: MutableMapping[str, str]) -> None:
    """Add the names bound by one import statement to ``aliases`` (local -> qualified)."""
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = get_full_name_for_node(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                aliases[alias.asname.name.value] = full
            else:
                head = full.split(".", 1)[0]
                aliases[head] = head
        return
    if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
        return
    module = get_full_name_for_node(node.module)
    if module is None:
        return
    for alias in node.names:
        name = get_full_name_for_node(alias.name)
        if name is None:
            continue
        local = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        aliases[local] = f"{module}.{name}"


def resolve(expr: cst.BaseExpression, aliases: Mapping[str, str]) -> str | None:
    """The qualified name of a dotted expression through imports, or ``None``.

    ``t.sleep`` with ``import time as t`` is ``time.sleep``; a name no import binds
    resolves to ``None`` (callers decide what a bare builtin like ``open`` means).
    """
    if isinstance(expr, cst.Name):
        return aliases.get(expr.value)
    if isinstance(expr, cst.Attribute):
        base = resolve(expr.value, aliases)
        return None if base is None else f"{base}.{expr.attr.value}"
    return None


def add_imports(module: cst.Module, names: Iterable[str]) -> cst.Module:
    """``module`` with ``import <name>`` for each name not imported yet, in sorted order."""
    items = [ImportItem(name) for name in sorted(set(names))]
    if not items:
        return module
    return AddImportsVisitor(CodemodContext(), items).transform_module(module)
