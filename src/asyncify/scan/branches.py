"""Per-branch types of local names: a name's type at a use is what reaches it.

Not a dataflow framework: the walk is one pass in source order, and only branching
statements save and join the types of the function's locals. In straight-line code an
assignment replaces the name's type. ``if``/``else``, ``try``/``except`` and ``match``
arms each start from the types before the statement and are joined after it: a name
typed alike on every arm that falls through keeps its type, a name typed differently is
unknown, and an arm that ends in ``return`` or ``raise`` does not reach the join. In a
loop body the names typed before the loop are *pinned*: an assignment to one merges
with its earlier type (the next iteration may see either), and after the loop the types
are joined with those before it (the body may not run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from asyncify.scan.scope import CONFLICT, FunctionScope

_EXITS = (ast.Return, ast.Raise)


def falls_through(body: list[ast.stmt]) -> bool:
    """Whether the end of ``body`` reaches the code after the statement holding it."""
    return not body or not isinstance(body[-1], _EXITS)


def join(states: Iterable[dict[str, str]]) -> dict[str, str]:
    """The types after arms meet (each arm's types as it ended)."""
    result: dict[str, str] | None = None
    for state in states:
        if result is None:
            result = dict(state)
            continue
        for name, typed in state.items():
            old = result.get(name)
            if old is None:
                result[name] = typed
            elif old != typed:
                result[name] = CONFLICT
    return result if result is not None else {}


def bind_local(scope: FunctionScope, name: str, typed: str | None) -> None:
    """An assignment to a local: replaces its type, or merges with it when pinned."""
    types = scope.types
    if name in scope.pinned:
        old = types.get(name)
        types[name] = typed if typed is not None and (old is None or old == typed) else CONFLICT
    else:
        types[name] = typed or CONFLICT


def reset(scope: FunctionScope, state: dict[str, str]) -> None:
    """Make ``state`` the current types (in place: closures hold the scope, not a copy)."""
    types = scope.types
    types.clear()
    types.update(state)


def target_names(target: ast.expr) -> set[str]:
    """The names a ``for`` target binds."""
    return {node.id for node in ast.walk(target) if type(node) is ast.Name}
