"""Import facts the codemods need: reading the module's aliases, adding new imports.

Adding happens once, after the rewrite pass (``add_imports``): a module already imported
at module level is skipped; a new one goes where ruff's isort would put it (its section,
sorted when the section is; see ``ImportSections``), after the docstring and
``from __future__``; libcst writes it with the module's own newline (CRLF stays CRLF).

New code names a module by its own name unless the file binds that name to something
else anywhere (a parameter, a local, a module global, ``from x import asyncio``): then
``import asyncio as _asyncio`` is added and new code says ``_asyncio.to_thread``
(``module_names``). Any binding in any scope counts, which may alias where it was not
needed, never the other way round.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

import libcst as cst
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


NAMED_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
"""Nodes whose ``name`` binds a name (when set)."""


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
        elif isinstance(node, NAMED_NODES) and node.name:
            bind(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
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


@dataclass(frozen=True, slots=True)
class ImportSections:
    """The project's import-sorter sections (``asyncify.project_style`` reads them):
    ``first_party`` (``known-first-party``), ``third_party``, ``local`` (found in the
    ``src`` folders: first-party unless the standard library has the name)."""

    first_party: frozenset[str] = frozenset()
    third_party: frozenset[str] = frozenset()
    local: frozenset[str] = frozenset()
    force_sort_within_sections: bool = False

    def of(self, module: str) -> int:
        """0 ``__future__``, 1 standard library, 2 third party, 3 first party (ruff's order)."""
        top = module.split(".", 1)[0]
        if top == "__future__":
            return FUTURE
        if top in self.first_party:
            return FIRST_PARTY
        if top in self.third_party:
            return THIRD_PARTY
        if top in sys.stdlib_module_names:
            return STDLIB
        return FIRST_PARTY if top in self.local else THIRD_PARTY


FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, RELATIVE = range(5)


@dataclass(frozen=True, slots=True)
class _Existing:
    """One import statement of the module's leading import run."""

    index: int
    section: int
    is_from: bool
    name: str


def add_imports(
    module: cst.Module,
    names: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    sections: ImportSections | None = None,
) -> cst.Module:
    """``module`` with ``import <name>`` for each name not imported at module level yet
    (``import <name> as <alias>`` for those in ``aliases``), placed where the project's
    import sorter would put it: in its section's block (a new block after the sections
    before it when there is none), at its sorted place when the block is sorted, else
    after the block's last ``import``; always after the docstring and ``from __future__``.
    """
    aliases = aliases or {}
    sections = sections or ImportSections()
    imported = _imported_modules(module)
    wanted = sorted({name for name in names if (name, aliases.get(name)) not in imported}, key=_sort_key)
    body: list[cst.BaseStatement] = list(module.body)
    for name in wanted:
        body = _insert(body, _import_line(name, aliases.get(name)), name, sections)
    return module if not wanted else module.with_changes(body=body)


def add_from_import(
    module: cst.Module, source: str, name: str, sections: ImportSections | None = None
) -> cst.Module:
    """``module`` with ``from <source> import <name>`` added where the import sorter would put
    it (``add_imports``' placement, as a ``from`` import); callers check it is missing."""
    head, *rest = source.split(".")
    dotted: cst.Attribute | cst.Name = cst.Name(head)
    for part in rest:
        dotted = cst.Attribute(dotted, cst.Name(part))
    line = cst.SimpleStatementLine([cst.ImportFrom(module=dotted, names=[cst.ImportAlias(cst.Name(name))])])
    body = _insert(list(module.body), line, source, sections or ImportSections(), is_from=True)
    return module.with_changes(body=body)


def _sort_key(name: str) -> tuple[str, str]:
    return (name.lower(), name)


def _import_line(name: str, alias: str | None) -> cst.SimpleStatementLine:
    asname = cst.AsName(cst.Name(alias)) if alias else None
    return cst.SimpleStatementLine([cst.Import([cst.ImportAlias(cst.Name(name), asname=asname)])])


def _leading_imports(body: Sequence[cst.BaseStatement], sections: ImportSections) -> tuple[int, list[_Existing]]:
    """Where code may start (after the docstring), and the import statements that follow."""
    start = 1 if body and _is_header(body[0], first=True) and not _imports_of(body[0]) else 0
    found: list[_Existing] = []
    for index in range(start, len(body)):
        statement = body[index]
        imports = _imports_of(statement)
        if not imports or not _is_header(statement, first=False):
            break
        first = imports[0]
        if isinstance(first, cst.ImportFrom):
            name = get_full_name_for_node(first.module) if first.module is not None else None
            section = RELATIVE if first.relative else sections.of(name or "")
            found.append(_Existing(index, section, True, name or ""))
        else:
            name = get_full_name_for_node(first.names[0].name) or ""
            found.append(_Existing(index, sections.of(name), False, name))
    return start, found


def _imports_of(statement: cst.BaseStatement) -> list[cst.Import | cst.ImportFrom]:
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    return [small for small in statement.body if isinstance(small, (cst.Import, cst.ImportFrom))]


def _insert(
    body: list[cst.BaseStatement],
    line: cst.SimpleStatementLine,
    name: str,
    sections: ImportSections,
    *,
    is_from: bool = False,
) -> list[cst.BaseStatement]:
    start, existing = _leading_imports(body, sections)
    section = sections.of(name)
    same = [e for e in existing if e.section == section]
    if same:
        return _insert_in_section(body, line, name, same, sections.force_sort_within_sections, is_from=is_from)
    before = [e for e in existing if e.section < section]
    after = [e for e in existing if e.section > section]
    if before:
        return _place(body, before[-1].index + 1, line.with_changes(leading_lines=[cst.EmptyLine()]))
    if after:
        # The new block takes the blank lines above the next section; comments stay with it.
        index = after[0].index
        lines = list(_leading(body[index]))
        blank = next((i for i, empty in enumerate(lines) if empty.comment is not None), len(lines))
        moved = body[index].with_changes(leading_lines=[cst.EmptyLine(), *lines[blank:]])
        body = [*body[:index], moved, *body[index + 1 :]]
        return _place(body, index, line.with_changes(leading_lines=lines[:blank]))
    if start:
        return _place(body, start, line.with_changes(leading_lines=[cst.EmptyLine()]))
    if body:
        spacing = [cst.EmptyLine()] * (2 if isinstance(body[0], (cst.FunctionDef, cst.ClassDef)) else 1)
        body = [body[0].with_changes(leading_lines=[*spacing, *_leading(body[0])]), *body[1:]]
    return _place(body, 0, line)


def _insert_in_section(
    body: list[cst.BaseStatement],
    line: cst.SimpleStatementLine,
    name: str,
    same: list[_Existing],
    force_sort: bool,
    *,
    is_from: bool = False,
) -> list[cst.BaseStatement]:
    """Insert into the section's statements: sorted when they are, else after its last
    plain ``import`` (or the section's last statement)."""

    def key(e: _Existing) -> tuple[object, ...]:
        return (*_sort_key(e.name), e.is_from) if force_sort else (e.is_from, *_sort_key(e.name))

    new_key = (*_sort_key(name), is_from) if force_sort else (is_from, *_sort_key(name))
    keys = [key(e) for e in same]
    plain = [e for e in same if e.is_from == is_from] or same
    if keys != sorted(keys):
        return _place(body, plain[-1].index + 1, line)
    later = [e for e, k in zip(same, keys, strict=True) if k > new_key]
    if not later:
        return _place(body, same[-1].index + 1, line)
    index = later[0].index
    if index == same[0].index:  # the new first line of the block takes the block's leading lines
        line = line.with_changes(leading_lines=_leading(body[index]))
        body = [*body[:index], body[index].with_changes(leading_lines=[]), *body[index + 1 :]]
    return _place(body, index, line)


def _leading(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    lines: Sequence[cst.EmptyLine] = getattr(statement, "leading_lines", ())
    return lines


def _place(body: list[cst.BaseStatement], index: int, line: cst.BaseStatement) -> list[cst.BaseStatement]:
    return [*body[:index], line, *body[index:]]


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
