"""The reverse call graph and the facts about a function that decide where changes stop.

Built once per plan from the project index: every resolved call site by callee, every
use of a function as a value, and class inheritance both ways. ``intrinsic_stop`` says why
a function itself cannot become ``async def`` (PRODUCT "Rewriting" 5): it is used as a
value, is a property or a dunder, overrides or is overridden by a sync method, is a sync
entry point (CLI command, sync test), is registered or wrapped by a decorator, is a
generator, or may be called where the analysis cannot see the receiver's type.
"""

from __future__ import annotations

import enum
import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from asyncify.analysis.blocking import BlockingAnalysis
from asyncify.analysis.index import FunctionRef, ProjectIndex
from asyncify.scan.summary import MODULE_BODY, CallKind, CallSite, FunctionSummary, ModuleSummary
from asyncify.structural.facts import ProjectFacts
from asyncify.structural.model import SpanKey, span_key

PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})
PROPERTY_DECORATORS = frozenset({"property", "functools.cached_property", "cached_property"})
CLI_DECORATOR_ENDINGS = frozenset({"command", "group", "callback", "main"})
CLI_LIBRARIES = frozenset({"click", "typer", "cyclopts", "fire"})


class SpecialForm(enum.Enum):
    """What Python itself does with a function, which neither a twin nor ``async def``
    can follow: both the propagation stops and the twin refusals start from this."""

    DUNDER = "dunder"
    """Python calls it by its name, synchronously."""
    PROPERTY = "property"
    """Read as an attribute, synchronously."""
    DECORATED = "decorated"
    """Registered or wrapped by a decorator (other than ``staticmethod``/``classmethod``)."""


def special_form(summary: FunctionSummary) -> tuple[SpecialForm, str] | None:
    """The function's special form and its detail (the name or the decorator), or ``None``."""
    if summary.name.startswith("__") and summary.name.endswith("__"):
        return SpecialForm.DUNDER, summary.name
    for decorator in summary.decorators:
        if decorator in PROPERTY_DECORATORS or decorator.endswith((".setter", ".getter", ".deleter")):
            return SpecialForm.PROPERTY, decorator
    for decorator in summary.decorators:
        if decorator not in PLAIN_DECORATORS:
            return SpecialForm.DECORATED, decorator
    return None


@dataclass(frozen=True, slots=True)
class Caller:
    """A call site resolved to a project function."""

    function: FunctionRef
    site: CallSite


def where(module: ModuleSummary, line: int) -> str:
    return f"{module.path}:{line}"


def is_test_module(path: str) -> bool:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


class CallGraph:
    """Callers, value uses and inheritance over the whole project.

    Each table is built on first use: ``check`` explains a few findings and often needs
    only some of them (a helper that cannot have a twin never asks who calls it), and
    building the callers means resolving every call site of the project.
    """

    def __init__(self, index: ProjectIndex, blocking: BlockingAnalysis, facts: ProjectFacts) -> None:
        self.index = index
        self.blocking = blocking
        self.facts = facts
        self.by_path = {summary.path: summary for summary in index.summaries}
        self.tops = {summary.module.partition(".")[0] for summary in index.summaries}

    @cached_property
    def _call_tables(self) -> tuple[dict[str, list[Caller]], dict[tuple[str, SpanKey], str]]:
        callers: dict[str, list[Caller]] = {}
        resolved: dict[tuple[str, SpanKey], str] = {}
        resolve_call = self.index.resolve_call
        for ref in self.index.functions.values():
            for site in ref.summary.calls:
                if site.kind is CallKind.GUESS:
                    continue
                callee = resolve_call(site, ref.module)
                if callee is not None:
                    callers.setdefault(callee.qualname, []).append(Caller(ref, site))
                    resolved[(ref.module.path, span_key(site.span))] = callee.qualname
        return callers, resolved

    @property
    def callers(self) -> dict[str, list[Caller]]:
        """Every resolved call site, by the qualified name of the function it calls."""
        return self._call_tables[0]

    @property
    def resolved(self) -> dict[tuple[str, SpanKey], str]:
        """``(path, call span)`` -> the project function the call runs."""
        return self._call_tables[1]

    @cached_property
    def values(self) -> dict[str, list[str]]:
        """Functions used as values (not called), with where."""
        values: dict[str, list[str]] = {}
        for summary in self.index.summaries:
            for reference in summary.references:
                target = self.index.resolve(reference.target)
                if target is not None:
                    values.setdefault(target.qualname, []).append(where(summary, reference.line))
        return values

    @cached_property
    def parents(self) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = {}
        for qualified, (cls, _) in self.index.classes.items():
            for base in cls.bases:
                found = self.index.class_named(base)
                parent = found[1].qualify(found[0].qualname) if found else base
                parents.setdefault(qualified, []).append(parent)
        return parents

    @cached_property
    def children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for child, parents in self.parents.items():
            for parent in parents:
                children.setdefault(parent, []).append(child)
        return children

    def blocking_callees(self, ref: FunctionRef) -> Iterator[tuple[CallSite, FunctionRef]]:
        """Call sites of ``ref`` whose (sync, project) callee blocks there."""
        for site in ref.summary.calls:
            if site.awaited or site.kind is CallKind.GUESS:
                continue
            callee = self.index.resolve_call(site, ref.module)
            if callee is not None and self.blocking.blocking_at(site, callee) is not None:
                yield site, callee

    def class_of(self, ref: FunctionRef) -> str | None:
        name = ref.summary.class_name
        return ref.module.qualify(name) if name is not None else None

    def ancestors(self, cls: str) -> Iterator[str]:
        yield from _closure(cls, self.parents)

    def descendants(self, cls: str) -> Iterator[str]:
        yield from _closure(cls, self.children)

    def overridden_by(self, ref: FunctionRef) -> list[FunctionRef]:
        cls = self.class_of(ref)
        if cls is None:
            return []
        found = []
        for other in self.descendants(cls):
            method = self.index.functions.get(f"{other}.{ref.summary.name}")
            if method is not None:
                found.append(method)
        return found

    def overrides(self, ref: FunctionRef) -> str | None:
        """The base method ``ref`` overrides (project or standard library), if any."""
        cls = self.class_of(ref)
        if cls is None:
            return None
        name = ref.summary.name
        for base in self.ancestors(cls):
            method = self.index.functions.get(f"{base}.{name}")
            if method is not None:
                return None if method.summary.is_async else method.qualname
            if base not in self.index.classes and _stdlib_has(base, name):
                return f"{base}.{name}"
        return None

    def intrinsic_stop(self, ref: FunctionRef) -> str | None:
        """Why ``ref`` itself cannot become ``async def``, or ``None``."""
        summary, name = ref.summary, ref.summary.name
        if summary.qualname == MODULE_BODY:
            return "is the module body"
        if len(ref.alternatives) > 1:
            count = len(ref.alternatives)
            return f"has {count} definitions (conditional or redefined); which one runs is decided at run time"
        special = special_form(summary)
        if special is not None:
            form, detail = special
            if form is SpecialForm.DUNDER:
                return f"is the dunder method `{detail}`, which Python calls synchronously"
            if form is SpecialForm.PROPERTY:
                return "is a property, which is read synchronously"
            if _is_cli(detail):
                return f"is a sync entry point (CLI command `@{detail}`)"
            return f"is registered or wrapped by `@{detail}` (used as a value)"
        in_test_class = summary.class_name is None or summary.class_name.rpartition(".")[2].startswith("Test")
        if in_test_class and name.startswith("test") and is_test_module(ref.module.path):
            return f"is a sync entry point (the test `{name}` in {ref.module.path}, called by pytest)"
        values = self.values.get(ref.qualname)
        if values:
            return f"is used as a value at {values[0]} (callback, map, key= or handler)"
        base = self.overrides(ref)
        if base is not None:
            return f"overrides the sync method `{base}`"
        for other in self.overridden_by(ref):
            if not other.summary.is_async:
                return f"is overridden by the sync method `{other.qualname}`"
        facts = self.facts.of(ref.module.path)
        if facts is not None and summary.qualname in facts.generators:
            return "is a generator (its callers iterate it; they cannot await it)"
        if facts is not None and summary.qualname in facts.loop_runners:
            line = facts.loop_runners[summary.qualname]
            return f"starts an event loop at {where(ref.module, line)} (a sync entry point)"
        if summary.class_name is not None:
            unseen = self._unresolved_method_use(ref)
            if unseen:
                return unseen
        return None

    def lambda_use(self, ref: FunctionRef) -> str | None:
        """Where ``ref``'s name appears in a lambda (calls there are not call sites)."""
        name = ref.summary.name
        for path, facts in self.facts.containing(name):
            lines = facts.lambda_uses.get(name)
            if lines:
                return f"{path}:{lines[0]}"
        return None

    def _unresolved_method_use(self, ref: FunctionRef) -> str | None:
        """A ``.name(...)`` call or ``.name`` value the analysis could not tie to a function."""
        name = ref.summary.name
        for path, facts in self.facts.containing(name):
            module = self.by_path.get(path)
            for key, line, root in facts.attr_calls.get(name, ()):
                if (path, key) in self.resolved or self._outside(module, root):
                    continue
                return f"may be called where its receiver's type is unknown (`.{name}()` at {path}:{line})"
            for line, root in facts.attr_values.get(name, ()):
                if not self._outside(module, root):
                    return f"may be used as a value (`.{name}` at {path}:{line})"
        return None

    def _outside(self, module: ModuleSummary | None, root: str | None) -> bool:
        """Whether a receiver chain starts at an import of a module outside the project."""
        if module is None or root is None or root not in module.imports:
            return False
        return module.imports[root].partition(".")[0] not in self.tops


def _closure(start: str, edges: dict[str, list[str]]) -> Iterator[str]:
    """Everything reachable from ``start`` over ``edges`` (cycles terminate)."""
    seen: set[str] = {start}
    stack = list(edges.get(start, ()))
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        stack.extend(edges.get(current, ()))


def _is_cli(decorator: str) -> bool:
    head, _, last = decorator.rpartition(".")
    return (last in CLI_DECORATOR_ENDINGS and bool(head)) or decorator.partition(".")[0] in CLI_LIBRARIES


def _stdlib_has(base: str, name: str) -> bool:
    """Whether a standard-library base class defines ``name`` (imported to look)."""
    module, _, attr = base.rpartition(".")
    if not module or module.partition(".")[0] not in sys.stdlib_module_names:
        return False
    try:
        return hasattr(getattr(importlib.import_module(module), attr), name)
    except (ImportError, AttributeError):
        return False
