"""Import facts the codemods need: reading the module's aliases, adding new imports.

Adding goes through libcst's ``AddImportsVisitor`` once, after the rewrite pass: it puts
``import asyncio`` after the module docstring and ``from __future__`` imports, skips
modules already imported, and emits lines with the module's own newline (CRLF files stay
CRLF).

New code names a module by its own name unless the file binds that name to something
else anywhere (a parameter, a local, a module global, ``from x import asyncio``): then
``import asyncio as _asyncio`` is added and new code says ``_asyncio.to_thread``
(``module_names``). Any binding in any scope counts, which may alias where it was not
needed, never the other way round.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, MutableMapping

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem
from libcst.helpers import get_full_name_for_node

from asyncify.parsing import parse_module


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


MODULES_WRITTEN = ("asyncio", "anyio", "trio", "functools", "aiofiles", "json", "pickle", "tomllib", "tomli")
"""Every module a codemod may name in new code (``RewriteContext.ref``)."""


def module_names(source: str, modules: Iterable[str] = MODULES_WRITTEN) -> dict[str, str]:
    """``{module: alias}`` for each of ``modules`` whose own name the file binds to
    something other than the module (see the module docstring); an alias already imported
    (``import asyncio as _asyncio``, from an earlier fix) is reused."""
    suspects = [m for m in modules if re.search(rf"\b{m}\b", source)]
    if not suspects:
        return {}
    bindings, aliased = _bindings(source)
    out: dict[str, str] = {}
    for name in suspects:
        if bindings is not None and not bindings.get(name):
            continue
        reused = [alias for alias in aliased.get(name, ()) if bindings is not None and bindings.get(alias) == 1]
        out[name] = reused[0] if reused else _free_alias(name, source)
    return out


def _free_alias(name: str, source: str) -> str:
    """``_asyncio`` (``_asyncio_2``, ...): a name the file never spells."""
    candidate, number = f"_{name}", 1
    while re.search(rf"\b{candidate}\b", source):
        number += 1
        candidate = f"_{name}_{number}"
    return candidate


def _bindings(source: str) -> tuple[dict[str, int] | None, dict[str, list[str]]]:
    """How often each name is bound other than by ``import name`` (``None``: the text
    cannot be parsed here, so every name counts as bound), and the aliases of
    ``import module as alias`` at module level."""
    try:
        tree = parse_module(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None, {}
    counts: dict[str, int] = {}
    aliased: dict[str, list[str]] = {}

    def bind(name: str | None) -> None:
        if name:  # an ``except E:`` or a ``case _`` binds nothing
            counts[name] = counts.get(name, 0) + 1

    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bind(node.id)
        elif isinstance(node, ast.arg):
            bind(node.arg)
        elif isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
        ):
            bind(node.name)
        elif isinstance(node, ast.MatchMapping):
            bind(node.rest)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bind(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None:
                    bind(alias.asname)
                    aliased.setdefault(alias.name, []).append(alias.asname)
    module_level = {a.asname for n in tree.body if isinstance(n, ast.Import) for a in n.names if a.asname}
    aliased = {m: [a for a in names if a in module_level] for m, names in aliased.items()}
    return counts, aliased


def add_imports(module: cst.Module, names: Iterable[str], aliases: Mapping[str, str] | None = None) -> cst.Module:
    """``module`` with ``import <name>`` for each name not imported at module level yet
    (``import <name> as <alias>`` for those in ``aliases``).

    ``AddImportsVisitor`` walks the whole tree with matchers, which costs more than the
    rewrite itself on a large file; it only ever inserts into the leading block of
    docstring and imports, and only looks at module-level imports, so it is run on that
    block alone after skipping the modules the rest of the module already imports.
    """
    aliases = aliases or {}
    imported = _imported_modules(module)
    wanted = {name for name in names if (name, aliases.get(name)) not in imported}
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
    items = [ImportItem(name, alias=aliases.get(name)) for name in sorted(wanted)]
    head = AddImportsVisitor(CodemodContext(), items).transform_module(head)
    body = list(head.body)
    if rest:
        rest[0] = rest[0].with_changes(leading_lines=body.pop().leading_lines)
    return module.with_changes(header=head.header, body=[*body, *rest])


def _imported_modules(module: cst.Module) -> set[tuple[str, str | None]]:
    """``(module, alias or None)`` for each module-level ``import x [as y]``."""
    found: set[tuple[str, str | None]] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    name = get_full_name_for_node(alias.name)
                    asname = alias.asname.name if alias.asname is not None else None
                    if name is not None and (asname is None or isinstance(asname, cst.Name)):
                        found.add((name, asname.value if isinstance(asname, cst.Name) else None))
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
