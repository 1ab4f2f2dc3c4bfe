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
    """``module`` with ``import <name>`` for each name not imported at module level yet.

    ``AddImportsVisitor`` walks the whole tree with matchers, which costs more than the
    rewrite itself on a large file; it only ever inserts into the leading block of
    docstring and imports, and only looks at module-level imports, so it is run on that
    block alone after skipping the modules the rest of the module already imports.
    """
    wanted = set(names) - _imported_modules(module)
    if not wanted:
        return module
    size = 0
    for statement in module.body:
        if not _is_header(statement, first=size == 0):
            break
        size += 1
    rest = list(module.body[size:])
    # A stand-in for the first statement after the block: the visitor may give it a
    # blank line before it, and only its leading lines are needed for that.
    probe = [cst.SimpleStatementLine([cst.Pass()], leading_lines=rest[0].leading_lines)] if rest else []
    head = module.with_changes(body=[*module.body[:size], *probe])
    items = [ImportItem(name) for name in sorted(wanted)]
    head = AddImportsVisitor(CodemodContext(), items).transform_module(head)
    body = list(head.body)
    if rest:
        rest[0] = rest[0].with_changes(leading_lines=body.pop().leading_lines)
    return module.with_changes(header=head.header, body=[*body, *rest])


def _imported_modules(module: cst.Module) -> set[str]:
    """Modules bound under their own name by a module-level ``import x`` statement."""
    found: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    name = get_full_name_for_node(alias.name)
                    if alias.asname is None and name is not None:
                        found.add(name)
    return found


def _is_header(statement: cst.BaseStatement, *, first: bool) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            continue
        if (
            first
            and isinstance(small, cst.Expr)
            and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            continue
        return False
    return True
