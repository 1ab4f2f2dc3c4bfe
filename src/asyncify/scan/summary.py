"""Per-module summaries: the small, picklable record the whole-project analysis reads.

A summary is built once per file from the stdlib ``ast`` (fast path, no libcst) and is all
that later stages need: which functions a module defines, which calls they make (with the
callee already resolved through imports where the scanner could), which names it imports
and which of its functions are used as values. The call graph is built from summaries
alone, so nothing is parsed twice and summaries can be cached by file content.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple


class CallKind(enum.Enum):
    """How the scanner found the callee of a call site."""

    QUALIFIED = "qualified"
    """``target`` is a dotted qualified name (``os.path.exists``, ``pkg.mod.Class.m``)."""
    SUPER = "super"
    """``super().m()``: ``target`` is ``pkg.mod.Class.m`` and lookup starts at the bases."""
    GUESS = "guess"
    """Receiver type unknown; ``target`` is the bare method name (``read_text``)."""
    DEFERRED = "deferred"
    """The receiver's type depends on other modules: ``target`` is ``TYPE#method``
    (``TYPE#~method`` when a distinctive method name is guessed at should the type stay
    unknown); the project index turns the site into a qualified or guessed one."""


class Span(NamedTuple):
    """A source range: 1-based lines, 1-based character columns, end exclusive.

    The records below a module (spans, call sites, functions, classes, references) are
    named tuples rather than dataclasses: a large project has hundreds of thousands of
    them, and tuples pickle and unpickle several times faster.
    """

    line: int
    column: int
    end_line: int
    end_column: int


class CallSite(NamedTuple):
    """One call expression inside a function body.

    ``awaitable`` is False where an ``await`` may not be written in place of the call
    (generator expressions, default arguments, decorators, module level, sync code).
    ``guards`` names the parameters whose ``is not None`` check encloses the call.
    The ``none_*`` fields describe the arguments so that the analysis can see a guard
    defeated by a literal ``None`` at a call site.
    """

    target: str
    kind: CallKind
    span: Span
    awaited: bool = False
    awaitable: bool = True
    guards: frozenset[str] = frozenset()
    positional: int = 0
    keywords: tuple[str, ...] = ()
    none_positions: tuple[int, ...] = ()
    none_keywords: tuple[str, ...] = ()
    star_args: bool = False


class Param(NamedTuple):
    """A parameter of a function, with what the guard analysis needs of its default."""

    name: str
    positional: bool
    default_none: bool
    has_default: bool


class FunctionSummary(NamedTuple):
    """A function, method, or the module body (``qualname == "<module>"``).

    ``qualname`` is relative to the module: ``func``, ``Class.method``,
    ``outer.<locals>.inner``. ``class_name`` is the enclosing class's module-relative
    qualname for methods.
    """

    qualname: str
    is_async: bool
    span: Span
    calls: tuple[CallSite, ...]
    params: tuple[Param, ...] = ()
    class_name: str | None = None
    decorators: tuple[str, ...] = ()
    returns: str | None = None
    superseded: bool = False
    """A later ``def`` of the same name in the same block replaces this one (a call can
    reach only the later one); definitions in different branches all may run."""

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


MODULE_BODY = "<module>"


class ClassSummary(NamedTuple):
    """A class: its resolved bases and the types of attributes the scanner could infer."""

    qualname: str
    bases: tuple[str, ...]
    attributes: dict[str, str]
    span: Span | None = None


class Reference(NamedTuple):
    """A project name used as a value (not called): a callback, ``map(f, ...)``, ``key=f``."""

    target: str
    line: int
    function: str


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """Everything the analysis needs to know about one module."""

    path: str
    module: str
    is_package: bool
    imports: dict[str, str]
    functions: tuple[FunctionSummary, ...]
    classes: tuple[ClassSummary, ...]
    instances: dict[str, str]
    references: tuple[Reference, ...]
    suppressions: dict[int, frozenset[str] | None]
    exports: tuple[str, ...] | None = None
    backends: frozenset[str] = frozenset()
    deferred: bool = False
    """Some call site is ``CallKind.DEFERRED`` (the index resolves those first)."""

    def qualify(self, local: str) -> str:
        """The project-wide qualified name of a module-relative name."""
        return f"{self.module}.{local}" if self.module else local
