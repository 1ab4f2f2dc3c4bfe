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
from asyncify.scan.receivers import COROUTINE_CONSUMERS, LOOP_BOUND_CALLS, THREAD_CONSUMERS, normalise_type
from asyncify.scan.summary import CallKind, CallSite
from asyncify.scan.typeexpr import is_deferred

STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
_OFFLOADERS = frozenset({"asyncio.to_thread", "anyio.to_thread.run_sync", "trio.to_thread.run_sync"})
_LAZY_METHODS = frozenset({"iterdir", "glob", "rglob", "walk"})
_QUALIFIED = CallKind.QUALIFIED


class CallRecorder:
    """Resolves call targets and appends the call sites the analysis reads."""

    def __init__(self, context: ScanContext, frames: Frames, positions: Positions) -> None:
        self.context = context
        self.frames = frames
        self.resolver = frames.resolver
        self.positions = positions
        self.deferred = False
        """Whether a ``CallKind.DEFERRED`` site was recorded."""

    def target(self, func: ast.expr) -> tuple[str | None, CallKind]:
        """The callee's qualified name (or guessed method name) and how it was found."""
        if type(func) is ast.Name:
            scope = self.frames.function.scope
            if func.id == scope.self_name and scope.is_classmethod and scope.owner is not None:
                return scope.owner.qualname, _QUALIFIED
            return self.resolver.name(func.id), _QUALIFIED
        if type(func) is ast.Attribute:
            return self._method_target(func)
        return None, _QUALIFIED

    def _method_target(self, func: ast.Attribute) -> tuple[str | None, CallKind]:
        value = func.value
        if type(value) is ast.Call and type(value.func) is ast.Name and value.func.id == "super":
            owner = self.frames.function.scope.owner
            if owner is not None:
                return f"{owner.qualname}.{func.attr}", CallKind.SUPER
            return None, _QUALIFIED
        resolver = self.resolver
        dotted = resolver.dotted(value)
        if dotted is not None:
            return f"{normalise_type(dotted)}.{func.attr}", _QUALIFIED
        typed = resolver.type_of(value)
        if typed is not None:
            if is_deferred(typed):
                guess = "~" if func.attr in self.context.guess_methods else ""
                return f"{typed}#{guess}{func.attr}", CallKind.DEFERRED
            return f"{typed}.{func.attr}", _QUALIFIED
        if func.attr in self.context.guess_methods:
            return func.attr, CallKind.GUESS
        return None, _QUALIFIED

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
        if kind is CallKind.DEFERRED:
            if lazy:
                return  # an iterator made for a worker thread to consume
            if coroutine:
                target = target.replace("#~", "#")  # an awaitable: never guessed to block
            self.deferred = True
        context = self.context
        if lazy and (target in context.lazy or (kind is CallKind.GUESS and target in _LAZY_METHODS)):
            return
        if kind is _QUALIFIED and target.partition(".")[0] in STDLIB and target not in context.blocking:
            if target.rpartition(".")[0] in context.objects:
                pass  # a method of a blocking object type (a file's ``read``)
            elif target not in LOOP_BOUND_CALLS or self.frames.loop_checked:
                return
        self.frames.function.calls.append(self._call_site(node, target, kind, awaited))

    def _call_site(self, node: ast.Call, target: str, kind: CallKind, awaited: bool) -> CallSite:
        """The call with what the guard analysis needs of its arguments (one pass over them)."""
        star_args = False
        none_positions: list[int] = []
        for position, arg in enumerate(node.args):
            if type(arg) is ast.Constant:
                if arg.value is None:
                    none_positions.append(position)
            elif type(arg) is ast.Starred:
                star_args = True
        keywords: list[str] = []
        none_keywords: list[str] = []
        for keyword in node.keywords:
            name = keyword.arg
            if name is None:
                star_args = True
                continue
            keywords.append(name)
            value = keyword.value
            if type(value) is ast.Constant and value.value is None:
                none_keywords.append(name)
        frames = self.frames
        fields = (
            target,
            kind,
            self.positions.span(node),
            awaited,
            frames.awaitable,
            frames.guards,
            len(node.args),
            tuple(keywords),
            tuple(none_positions),
            tuple(none_keywords),
            star_args,
        )
        return tuple.__new__(CallSite, fields)  # in CallSite's field order; faster than CallSite(...)


def consumes_coroutines(func: ast.expr) -> bool:
    """``gather(...)``, ``create_task(...)``, ...: the arguments are awaitables."""
    if type(func) is ast.Attribute:
        return func.attr in COROUTINE_CONSUMERS
    return type(func) is ast.Name and func.id in COROUTINE_CONSUMERS


def collects_in_thread(node: ast.Call, target: str | None) -> bool:
    """``to_thread(list, it)`` / ``run_in_executor(None, next, it)``: ``it`` is consumed
    in the worker thread."""
    args = node.args
    if target in _OFFLOADERS:
        return bool(args) and type(args[0]) is ast.Name and args[0].id in THREAD_CONSUMERS
    func = node.func
    if type(func) is ast.Attribute and func.attr == "run_in_executor":
        return len(args) > 1 and type(args[1]) is ast.Name and args[1].id in THREAD_CONSUMERS
    return False


def is_chain(node: ast.expr) -> bool:
    """``a.b.c``: a name followed by attributes only."""
    while type(node) is ast.Attribute:
        node = node.value
    return type(node) is ast.Name
