"""Conditions that decide whether a call runs: ``None`` guards, loop checks, type checking.

The analysis uses these facts to avoid two kinds of false finding: a helper whose blocking
call sits under ``if param is not None:`` does not block where the caller passes ``None``,
and a sync wrapper whose blocking branch runs only when ``get_running_loop()`` raises does
not block its async callers.
"""

from __future__ import annotations

import ast

from asyncify.scan.receivers import RUNNING_LOOP_CHECKS, TYPE_CHECKING_NAMES
from asyncify.scan.scope import Resolver

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def guard_params(test: ast.expr, params: frozenset[str], *, negated: bool) -> frozenset[str]:
    """Parameters that must be non-None for the body of ``if test`` to run.

    With ``negated`` the test is an early exit (``if x is None: return``), and the
    guarded code is what follows it.
    """
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or if negated else ast.And):
        found: frozenset[str] = frozenset()
        for value in test.values:
            found |= guard_params(value, params, negated=negated)
        return found
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return guard_params(test.operand, params, negated=not negated)
    if isinstance(test, ast.Name) and not negated and test.id in params:
        return frozenset({test.id})
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.left, ast.Name)
        and test.left.id in params
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        wanted = ast.IsNot if not negated else ast.Is
        if isinstance(test.ops[0], wanted):
            return frozenset({test.left.id})
    return frozenset()


def exits_early(node: ast.If) -> bool:
    """``if test: ...; return`` with no ``else``: the code after it runs only when ``test`` is false."""
    body = node.body
    return not node.orelse and bool(body) and isinstance(body[-1], _EXITS)


def is_type_checking(test: ast.expr, resolver: Resolver) -> bool:
    """``if TYPE_CHECKING:`` (imported from typing, or a bare name): never runs."""
    if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
        return True
    return resolver.dotted(test) in TYPE_CHECKING_NAMES


def checks_running_loop(body: list[ast.stmt], resolver: Resolver) -> bool:
    """A ``try`` body that calls ``get_running_loop()``: its ``except RuntimeError`` runs off the loop."""
    return any(
        isinstance(c, ast.Call) and resolver.dotted(c.func) in RUNNING_LOOP_CHECKS
        for stmt in body
        for c in ast.walk(stmt)
    )


_THREAD_IDENTS = frozenset({"threading.get_ident", "threading.get_native_ident", "_thread.get_ident"})


def off_loop_thread_arm(test: ast.expr, resolver: Resolver) -> str | None:
    """``if loop_thread_id != threading.get_ident():``: the arm (``"body"`` or ``"orelse"``)
    that runs only on a thread other than the event loop's, which the loop never reaches."""
    if type(test) is not ast.Compare or len(test.ops) != 1:
        return None
    sides = (test.left, test.comparators[0])
    if not any(isinstance(side, ast.Call) and resolver.dotted(side.func) in _THREAD_IDENTS for side in sides):
        return None
    op = type(test.ops[0])
    if op is ast.NotEq or op is ast.IsNot:
        return "body"
    if op is ast.Eq or op is ast.Is:
        return "orelse"
    return None


def catches_runtime_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(k, ast.Name) and k.id == "RuntimeError" for k in kinds)
