"""Naming ``AsyncMock`` in a test module, importing it where the import sorter would.

Used by ``asyncify.codemods.async_mocks``: the name the module already has is reused;
a new name joins the module's ``from unittest.mock import ...`` at its sorted place (as
ruff orders the names of one import: constants, classes, then the rest), or becomes a
new ``from unittest.mock import AsyncMock`` line placed by ``codemods.imports``.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from asyncify.codemods.imports import ImportSections, add_from_import

ASYNC_MOCK = "AsyncMock"
MOCK_MODULES = ("unittest.mock", "mock")


def async_mock_reference(module: cst.Module) -> tuple[str, bool]:
    """How the module can name ``AsyncMock``, and whether it already imports that name:
    ``AsyncMock`` imported, else added to a ``from unittest.mock import ...`` line the
    module has, else ``mock.AsyncMock`` through an imported ``unittest.mock`` module, else a
    new import line."""
    via_module = None
    from_line = False
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                source = get_full_name_for_node(small.module)
                if isinstance(small.names, cst.ImportStar):
                    continue
                from_line = from_line or source == "unittest.mock"
                for alias in small.names:
                    local = alias.evaluated_alias or alias.evaluated_name
                    if source in MOCK_MODULES and alias.evaluated_name == ASYNC_MOCK:
                        return local, True
                    if source == "unittest" and alias.evaluated_name == "mock":
                        via_module = via_module or f"{local}.{ASYNC_MOCK}"
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.evaluated_name == "unittest.mock":
                        via_module = via_module or f"{alias.evaluated_alias or 'unittest.mock'}.{ASYNC_MOCK}"
    return (via_module, True) if via_module and not from_line else (ASYNC_MOCK, False)


def import_async_mock(module: cst.Module, sections: ImportSections | None) -> cst.Module:
    """Add ``AsyncMock`` to the module's ``from unittest.mock import ...`` (at its sorted
    place, as ruff orders names: constants, classes, then the rest), else a new import."""
    body = list(module.body)
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        small = statement.body[0]
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and small.module is not None
            and get_full_name_for_node(small.module) == "unittest.mock"
            and not isinstance(small.names, cst.ImportStar)
        ):
            body[index] = statement.with_changes(body=[small.with_changes(names=_with_name(list(small.names)))])
            return module.with_changes(body=body)
    return add_from_import(module, "unittest.mock", ASYNC_MOCK, sections)


def _member_key(name: str) -> tuple[int, str]:
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, name.lower())


def _with_name(names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    keys = [_member_key(a.evaluated_name) for a in names]
    new = cst.ImportAlias(cst.Name(ASYNC_MOCK))
    index = len(names)
    if keys == sorted(keys):
        index = next((i for i, k in enumerate(keys) if k > _member_key(ASYNC_MOCK)), len(names))
    spelled = next((a.comma for a in names[:-1] if isinstance(a.comma, cst.Comma)), None)
    comma = spelled or cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if index < len(names):
        return [*names[:index], new.with_changes(comma=comma), *names[index:]]
    last = names[-1]
    return [*names[:-1], last.with_changes(comma=comma), new.with_changes(comma=last.comma)]
