"""Call recording: what a call expression calls, and whether the analysis needs to see it.

A call is recorded as a ``CallSite`` on the innermost function when its callee resolves
(through imports, receiver types, ``self``/``cls``/``super()``) or, for a receiver of
unknown type, when the method name is one of the catalogue's distinctive ones. Calls
into the standard library are dropped unless the catalogue names them or they need the
event loop's thread: the analysis could do nothing with them.
"""

from __future__ import annotations

import ast
import sys

from asyncify.scan.context import ScanContext
from asyncify.scan.frames import Frames
from asyncify.scan.positions import Positions
from asyncify.scan.receivers import COROUTINE_CONSUMERS, LOOP_BOUND_CALLS, normalise_type
from asyncify.scan.summary import CallKind, CallSite

STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
_OFFLOADERS = frozenset({"asyncio.to_thread", "anyio.to_thread.run_sync", "trio.to_thread.run_sync"})
_LAZY_METHODS = frozenset({"iterdir", "glob", "rglob", "walk"})


class CallRecorder:
    """Resolves call targets and appends the call sites the analysis reads."""

    def __init__(self, context: ScanContext, frames: Frames, positions: Positions) -> None:
        self.context = context
        self.frames = frames
        self.resolver = frames.resolver
        self.positions = positions

    def target(self, func: ast.expr) -> tuple[str | None, CallKind]:
        """The callee's qualified name (or guessed method name) and how it was found."""
        if isinstance(func, ast.Name):
            scope = self.frames.function.scope
            if func.id == scope.self_name and scope.is_classmethod and scope.owner is not None:
                return scope.owner.qualname, CallKind.QUALIFIED
            return self.resolver.name(func.id), CallKind.QUALIFIED
        if isinstance(func, ast.Attribute):
            return self._method_target(func)
        return None, CallKind.QUALIFIED

    def _method_target(self, func: ast.Attribute) -> tuple[str | None, CallKind]:
        value = func.value
        scope = self.frames.function.scope
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
            if scope.owner is not None:
                return f"{scope.owner.qualname}.{func.attr}", CallKind.SUPER
            return None, CallKind.QUALIFIED
        dotted = self.resolver.dotted(value)
        if dotted is not None:
            return f"{normalise_type(dotted)}.{func.attr}", CallKind.QUALIFIED
        typed = self.resolver.type_of(value)
        if typed is not None:
            return f"{typed}.{func.attr}", CallKind.QUALIFIED
        if func.attr in self.context.guess_methods:
            return func.attr, CallKind.GUESS
        return None, CallKind.QUALIFIED

    def record(
        self, node: ast.Call, target: str | None, kind: CallKind, *, awaited: bool, coroutine: bool, lazy: bool
    ) -> None:
        """Append the call site, unless the analysis could never use it.

        ``coroutine`` marks an argument of ``gather``/``create_task``/... (a guessed method
        there returns a coroutine), ``lazy`` one of ``to_thread(list, ...)`` (creating a
        lazy iterator there does no I/O: the thread consumes it).
        """
        if target is None or (coroutine and kind is CallKind.GUESS):
            return
        context = self.context
        if lazy and (target in context.lazy or (kind is CallKind.GUESS and target in _LAZY_METHODS)):
            return
        if kind is CallKind.QUALIFIED and target.partition(".")[0] in STDLIB and target not in context.blocking:
            if target not in LOOP_BOUND_CALLS or self.frames.loop_checked:
                return
        self.frames.function.calls.append(self._call_site(node, target, kind, awaited))

    def _call_site(self, node: ast.Call, target: str, kind: CallKind, awaited: bool) -> CallSite:
        none_positions = tuple(i for i, a in enumerate(node.args) if isinstance(a, ast.Constant) and a.value is None)
        none_keywords = tuple(
            k.arg for k in node.keywords if k.arg and isinstance(k.value, ast.Constant) and k.value.value is None
        )
        return CallSite(
            target=target,
            kind=kind,
            span=self.positions.span(node),
            awaited=awaited,
            awaitable=self.frames.awaitable,
            guards=self.frames.guards,
            positional=len(node.args),
            keywords=tuple(k.arg for k in node.keywords if k.arg),
            none_positions=none_positions,
            none_keywords=none_keywords,
            star_args=any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords),
        )


def consumes_coroutines(func: ast.expr) -> bool:
    """``gather(...)``, ``create_task(...)``, ...: the arguments are awaitables."""
    if isinstance(func, ast.Attribute):
        return func.attr in COROUTINE_CONSUMERS
    return isinstance(func, ast.Name) and func.id in COROUTINE_CONSUMERS


def collects_in_thread(node: ast.Call, target: str | None) -> bool:
    """``to_thread(list, it)`` / ``run_in_executor(None, list, it)``: ``it`` is consumed
    in the worker thread."""
    args = node.args
    if target in _OFFLOADERS:
        return bool(args) and isinstance(args[0], ast.Name) and args[0].id == "list"
    if isinstance(node.func, ast.Attribute) and node.func.attr == "run_in_executor":
        return len(args) > 1 and isinstance(args[1], ast.Name) and args[1].id == "list"
    return False


def is_chain(node: ast.expr) -> bool:
    """``a.b.c``: a name followed by attributes only."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)
