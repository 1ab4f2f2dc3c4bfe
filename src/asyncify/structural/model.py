"""The structural plan and its outcome: plain, frozen records (STYLE 10, 20).

A plan holds, per file, the operations of phase 1 (twins, ``async def``, awaited call
sites, imports and exports of twins); every operation carries the *component* it belongs
to, so that a component whose rewrite fails in any of its files can be dropped from all
of them (no half-converted state). Findings are keyed by :data:`FindingKey`, the same
``(path, function, call, code)`` that ``asyncify.fixer`` uses to follow a finding across
passes: a fallback can name a finding that only exists once phase 1 has rewritten the
text (a blocking call inside a twin).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asyncify.findings import Finding
from asyncify.scan.summary import Span
from asyncify.vocabulary import Strategy

FindingKey = tuple[str, str, str, str]
"""``(path, enclosing function qualname, called helper, code)``."""

SpanKey = tuple[int, int, int, int]
"""A call's span as a tuple (1-based lines and character columns, end exclusive)."""


def finding_key(finding: Finding) -> FindingKey:
    return (finding.path, finding.function, finding.call, finding.code)


def span_key(span: Span) -> SpanKey:
    return (span.line, span.column, span.end_line, span.end_column)


@dataclass(frozen=True, slots=True)
class CallEdit:
    """``f(args)`` -> ``await f(args)``, with the called name replaced by ``rename`` if set.

    ``rename`` replaces the last name of the callee: the ``Name`` of ``helper(...)`` or
    the attribute of ``mod.helper(...)`` / ``self.m(...)`` / ``super().m(...)``.
    """

    rename: str | None
    component: str


@dataclass(frozen=True, slots=True)
class TwinOp:
    """Insert an ``async def <name>`` copy of the def ``qualname`` right after it.

    ``calls`` are the edits inside the copy, keyed by the span of the call in the
    *original* def (the original keeps its calls as they are).
    """

    qualname: str
    name: str
    calls: dict[SpanKey, CallEdit]
    component: str


@dataclass(frozen=True, slots=True)
class ImportEdit:
    """Beside ``from <source> import <name> [as <local>]``, also import the twin.

    ``source`` is the absolute module (relative imports are resolved against the file's
    package). Written as ``twin_name`` or ``twin_name as twin_local``.
    """

    source: str
    name: str
    local: str
    twin_name: str
    twin_local: str
    component: str
    replace: bool = False
    """Propagation renamed the function: the import names the new name instead."""


@dataclass(frozen=True, slots=True)
class ExportEdit:
    """In the module's ``__all__``, list ``twin`` right after ``name`` (``replace``: in
    place of it, for a function propagation renamed)."""

    name: str
    twin: str
    component: str
    replace: bool = False


@dataclass
class FileOps:
    """Everything phase 1 changes in one file."""

    path: str
    module: str
    is_package: bool
    make_async: dict[str, str] = field(default_factory=dict)
    """Module-relative qualname of a def to turn into ``async def`` -> component."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Of those, the ones renamed as they become async (``load_sync`` -> ``load_async``)."""
    twins: dict[str, TwinOp] = field(default_factory=dict)
    calls: dict[SpanKey, CallEdit] = field(default_factory=dict)
    imports: list[ImportEdit] = field(default_factory=list)
    exports: list[ExportEdit] = field(default_factory=list)

    def components(self) -> set[str]:
        found = set(self.make_async.values())
        found |= {t.component for t in self.twins.values()}
        found |= {c.component for c in self.calls.values()}
        found |= {i.component for i in self.imports} | {e.component for e in self.exports}
        return found

    def restricted(self, alive: set[str]) -> FileOps:
        """Only the operations of the components in ``alive``."""
        return FileOps(
            path=self.path,
            module=self.module,
            is_package=self.is_package,
            make_async={q: c for q, c in self.make_async.items() if c in alive},
            renamed={q: n for q, n in self.renamed.items() if self.make_async.get(q) in alive},
            twins={q: t for q, t in self.twins.items() if t.component in alive},
            calls={k: e for k, e in self.calls.items() if e.component in alive},
            imports=[i for i in self.imports if i.component in alive],
            exports=[e for e in self.exports if e.component in alive],
        )


@dataclass(frozen=True, slots=True)
class Stop:
    """Where propagation (or a chain of twins) stops, why, and the boundary fix chosen.

    ``boundary`` is ``"twin"`` (async callers await a twin, sync callers keep the
    original) or ``"wrap"`` (the calls from async code are left to phase 2, which runs
    them in a worker thread).
    """

    function: str
    reason: str
    boundary: Strategy

    def line(self) -> str:
        return f"{self.function}: {self.reason} -> {self.boundary}"


@dataclass
class StructuralPlan:
    """What phase 1 will do, checked for the whole project before any file is touched.

    ``findings`` maps every finding phase 1 resolves itself (the call now awaits a twin
    or a converted function) to its component; ``fallback`` names findings, present or
    appearing after phase 1 (a blocking call inside a twin), that phase 2 must fix with
    the given strategy (``"wrap"``), and ``fallback_components`` their components;
    ``refused`` the findings left alone, with the reason.
    """

    files: dict[str, FileOps] = field(default_factory=dict)
    stops: list[Stop] = field(default_factory=list)
    refused: dict[FindingKey, str] = field(default_factory=dict)
    fallback: dict[FindingKey, Strategy] = field(default_factory=dict)
    fallback_components: dict[FindingKey, str] = field(default_factory=dict)
    findings: dict[FindingKey, str] = field(default_factory=dict)

    def file(self, path: str, module: str, is_package: bool) -> FileOps:
        ops = self.files.get(path)
        if ops is None:
            ops = self.files[path] = FileOps(path, module, is_package)
        return ops


@dataclass
class StructuralOutcome:
    """Phase 1's result: new texts (changed files only) and what phase 2 must know.

    ``applied`` are the findings resolved by phase 1 itself; ``fallback`` the findings
    phase 2 fixes with the named strategy; ``refused`` the findings left, with the reason
    (plan refusals and components that failed to transform or compile); ``failed`` the
    files whose rewrite failed, with the reason.
    """

    texts: dict[str, str]
    applied: list[FindingKey]
    fallback: dict[FindingKey, Strategy]
    refused: dict[FindingKey, str]
    stops: list[Stop]
    failed: dict[str, str] = field(default_factory=dict)
    callees: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(module, qualname)`` of each function whose callers now await something else -> the
    name they await (a twin, a renamed or converted function): what tests mock."""
    components: list[Component] = field(default_factory=list)
    """The components applied, each with its operations per file it changes (``fix -i``)."""
    twins: set[tuple[str, str]] = field(default_factory=set)
    """The ``callees`` that got a twin (the sync original stays for sync callers)."""


@dataclass(frozen=True)
class Component:
    """One component as applied: what ``fix -i`` offers as a single question.

    ``findings`` are those it resolves and its boundary fallbacks (a run that must leave
    the component out does not seed phase 1 with them); ``files`` its operations in each
    file it changes; ``line_length`` the split length it was rewritten with.
    """

    name: str
    findings: frozenset[FindingKey]
    files: dict[str, FileOps]
    line_length: int | None = None
