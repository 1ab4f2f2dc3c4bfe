"""Where the scanner is: the innermost function, whether ``await`` may be written there,
which guards hold, and the class body being read.

Every change of position is a ``with`` block (``with frames.entering(function):``,
``with frames.off_loop():``, ...): the whole position is saved when the block opens and
restored when it closes, so no handler saves and restores fields by hand and a nested
definition can never leak its state into the code after it.
"""

from __future__ import annotations

from types import TracebackType

from asyncify.scan.scope import ClassScope, FunctionScope, Resolver
from asyncify.scan.summary import MODULE_BODY, CallSite, FunctionSummary, Param, Span


class FunctionRecord:
    """A function being scanned; frozen into a ``FunctionSummary`` when it ends.

    (A plain class with slots: one is made per function scanned.)
    """

    __slots__ = (
        "calls",
        "class_name",
        "decorators",
        "is_async",
        "is_module",
        "param_names",
        "params",
        "qualname",
        "returns",
        "scope",
        "span",
    )

    def __init__(
        self,
        qualname: str,
        is_async: bool,
        span: Span,
        scope: FunctionScope,
        params: tuple[Param, ...] = (),
        class_name: str | None = None,
        decorators: tuple[str, ...] = (),
        returns: str | None = None,
        param_names: frozenset[str] = frozenset(),
    ) -> None:
        self.qualname = qualname
        self.is_async = is_async
        self.span = span
        self.scope = scope
        self.params = params
        self.class_name = class_name
        self.decorators = decorators
        self.returns = returns
        self.param_names = param_names
        self.calls: list[CallSite] = []
        self.is_module = qualname == MODULE_BODY

    def freeze(self) -> FunctionSummary:
        calls = tuple(self.calls)
        fields = (
            self.qualname, self.is_async, self.span, calls, self.params, self.class_name, self.decorators, self.returns,
            False,
        )
        return tuple.__new__(FunctionSummary, fields)  # the NamedTuple's own __new__ is Python code


_Position = tuple[
    FunctionRecord, bool, frozenset[str], "ClassScope | None", bool, bool, "FunctionScope | None"
]


class Frames:
    """The scanner's current position; each method opens a ``with`` block that changes it.

    ``awaitable``: an ``await`` may be written in place of a call here (an ``async def``
    body, outside generator expressions, default arguments, decorators and class bodies).
    ``outer_awaitable``: the same, just outside the generator expression being scanned
    (its first iterable is evaluated there). ``guards``: parameters whose ``is not None``
    check encloses this point. ``loop_checked``: inside ``try: get_running_loop()``, where
    asking for the loop is a test, not a need. ``class_body``: the class whose body
    statements (not methods) are being scanned.
    """

    __slots__ = (
        "_saved",
        "awaitable",
        "class_body",
        "function",
        "guards",
        "loop_checked",
        "outer_awaitable",
        "resolver",
    )

    def __init__(self, module_body: FunctionRecord, resolver: Resolver) -> None:
        self.function = module_body
        self.awaitable = False
        self.outer_awaitable = False
        self.guards: frozenset[str] = frozenset()
        self.loop_checked = False
        self.class_body: ClassScope | None = None
        self.resolver = resolver
        resolver.function = module_body.scope
        self._saved: list[_Position] = []

    def _save(self) -> Frames:
        self._saved.append(
            (
                self.function,
                self.awaitable,
                self.guards,
                self.class_body,
                self.loop_checked,
                self.outer_awaitable,
                self.resolver.function,
            )
        )
        return self

    def __enter__(self) -> Frames:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        (
            self.function,
            self.awaitable,
            self.guards,
            self.class_body,
            self.loop_checked,
            self.outer_awaitable,
            self.resolver.function,
        ) = self._saved.pop()

    def entering(self, function: FunctionRecord) -> Frames:
        """The body of ``function``: its own scope, no guards, await only if it is async."""
        self._save()
        self.function = function
        self.awaitable = function.is_async
        self.guards = frozenset()
        self.class_body = None
        self.resolver.function = function.scope
        return self

    def in_class(self, owner: ClassScope) -> Frames:
        """The statements of a class body: not async context."""
        self._save()
        self.class_body = owner
        self.awaitable = False
        return self

    def off_loop(self) -> Frames:
        """Code where ``await`` may not be written: defaults, decorators, class headers."""
        self._save()
        self.awaitable = False
        return self

    def in_generator(self) -> Frames:
        """A generator expression: lazy, except its first iterable (see ``outer_awaitable``)."""
        self._save()
        self.outer_awaitable = self.awaitable
        self.awaitable = False
        return self

    def guarded(self, params: frozenset[str]) -> Frames:
        """The body of an ``if`` that holds only when ``params`` are not None."""
        self._save()
        self.guards = self.guards | params
        return self

    def checking_loop(self) -> Frames:
        """The body of ``try: get_running_loop()``."""
        self._save()
        self.loop_checked = True
        return self

    def local_name(self, name: str) -> str:
        """The module-relative qualname of a def or class, as ``__qualname__`` spells it."""
        if self.class_body is not None:
            return f"{self.class_body.local_qualname}.{name}"
        if self.function.is_module:
            return name
        return f"{self.function.qualname}.<locals>.{name}"
