"""Findings -> the structural plan: every twin, ``async def`` and awaited call, checked
for the whole project before any file is touched.

Phase 1 only restructures: twins are copies of their original made ``async def``,
propagated functions become ``async def``, calls to them are awaited (and renamed to the
twin), twins are imported and exported where their originals are. The blocking
primitives inside the new async code are left to phase 2 (the ordinary fix loop), which
finds them as direct findings in async code. Calls from new async code to blocking
helpers that get neither a twin nor ``async def`` are *fallbacks*: findings phase 2
fixes with ``wrap``.

Operations are grouped into components (a union-find over the functions they touch) so
that a component that fails to rewrite anywhere is dropped everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asyncify.analysis.index import FunctionRef
from asyncify.config import Config
from asyncify.findings import Finding, helper_name
from asyncify.plan import decide
from asyncify.rules.blocking_helper import BlockingHelper
from asyncify.scan.summary import CallSite, ModuleSummary
from asyncify.structural.context import StructuralContext
from asyncify.structural.model import (
    CallEdit,
    ExportEdit,
    FindingKey,
    ImportEdit,
    SpanKey,
    Stop,
    StructuralPlan,
    TwinOp,
    finding_key,
    span_key,
)
from asyncify.structural.propagation import Propagation
from asyncify.structural.renames import Renaming, plan_renames
from asyncify.structural.twins import NewExport, NewImport, Rename
from asyncify.vocabulary import HELPER_REWRITES, Strategy

HELPER_CODE = BlockingHelper.code


@dataclass(frozen=True, slots=True)
class _Seed:
    finding: Finding
    key: FindingKey
    strategy: Strategy
    caller: FunctionRef
    site: CallSite
    callee: FunctionRef


@dataclass(frozen=True, slots=True)
class _Call:
    caller: FunctionRef
    inside: str | None
    """The qualified name of the function whose *twin* holds the call (None: the original)."""
    span: SpanKey
    rename: str | None
    owner: str


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            item, self.parent[item] = self.parent[item], root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def structural_seeds(findings: Sequence[Finding], config: Config) -> list[Finding]:
    """The findings phase 1 handles: indirect ones whose strategy is twin or propagate."""
    return [
        f for f in findings if f.code == HELPER_CODE and decide(f, config).strategy in HELPER_REWRITES
    ]


def plan_structural(
    summaries: list[ModuleSummary],
    findings: Sequence[Finding],
    config: Config,
    *,
    read: Callable[[str], str] | None = None,
    context: StructuralContext | None = None,
) -> StructuralPlan:
    """The phase-1 plan for ``findings`` (others than twin/propagate AFY200 are ignored)."""
    return _Planner(context or StructuralContext(summaries, config, read)).run(structural_seeds(findings, config))


class _Planner:
    def __init__(self, context: StructuralContext) -> None:
        self.ctx = context
        self.plan = StructuralPlan()
        self.uf = _UnionFind()
        self.prop = Propagation()
        self.calls: dict[tuple[str, str | None, SpanKey], _Call] = {}
        self.converts: list[FunctionRef] = []
        self.twins: dict[str, FunctionRef] = {}
        self.queue: list[FunctionRef] = []
        self.imports: list[tuple[NewImport, str]] = []
        self.exports: list[tuple[NewExport, str]] = []
        self.resolved: list[tuple[FindingKey, str]] = []
        self.fallbacks: list[tuple[FindingKey, str]] = []
        self.stopped: dict[tuple[str, str], Stop] = {}
        self.renames: dict[str, Renaming] = {}

    def run(self, findings: list[Finding]) -> StructuralPlan:
        seeds = []
        for finding in sorted(findings, key=Finding.sort_key):
            located = self.ctx.located(finding)
            if isinstance(located, str):
                self.plan.refused[finding_key(finding)] = located
                continue
            strategy = decide(finding, self.ctx.config).strategy or Strategy.TWIN
            seeds.append(_Seed(finding, finding_key(finding), strategy, *located))
        propagated = frozenset(s.callee.qualname for s in seeds if s.strategy == Strategy.PROPAGATE)
        if propagated:
            self.prop = self.ctx.propagation(propagated)
            self.renames = plan_renames(self.ctx, self.prop.convert)
        for seed in seeds:
            self._seed(seed)
        for name in sorted(self.prop.convert):
            self._convert(self.ctx.index.functions[name])
        while self.queue:
            self._fill_twin(self.queue.pop(0))
        return self._finish()

    # ----- decisions ------------------------------------------------------------------

    def _seed(self, seed: _Seed) -> None:
        callee = seed.callee
        self.uf.union(seed.caller.qualname, callee.qualname)
        if callee.qualname in self.prop.convert:
            self.resolved.append((seed.key, callee.qualname))
            return
        if seed.strategy == Strategy.TWIN:
            problem = self.ctx.twins.problem(callee) or self.ctx.twins.claim(callee)
            result = self._twin_call(seed.caller, None, seed.site, callee) if problem is None else problem
            if isinstance(result, str):
                self.plan.refused[seed.key] = f"no async twin for `{helper_name(callee.qualname)}`: {result}"
            else:
                self.resolved.append((seed.key, callee.qualname))
            return
        twin = self._fix_for(callee, converted=True) == Strategy.TWIN
        if twin and not isinstance(self._twin_call(seed.caller, None, seed.site, callee), str):
            self.resolved.append((seed.key, callee.qualname))
            return
        self.fallbacks.append((seed.key, seed.caller.qualname))

    def _fix_for(self, callee: FunctionRef, *, converted: bool) -> Strategy | None:
        """``None`` (it converts: just await it), ``twin`` or ``wrap`` for a blocking
        callee of new async code."""
        name = callee.qualname
        if name in self.prop.convert:
            return None
        stop = self.prop.stops.get(name)
        twins = self.ctx.twins
        if stop is not None:
            problem = (twins.problem(callee) or twins.claim(callee)) if stop.from_callers else None
            if stop.from_callers and problem is None:
                self._stop(name, stop.reason, Strategy.TWIN)
                return Strategy.TWIN
            reason = stop.reason if problem is None else f"{stop.reason}; no twin: {problem}"
            self._stop(name, reason, Strategy.WRAP)
            return Strategy.WRAP
        if converted:
            return Strategy.WRAP
        problem = twins.problem(callee) or twins.claim(callee)
        if problem is None:
            return Strategy.TWIN
        self._stop(name, f"cannot have an async twin: {problem}", Strategy.WRAP)
        return Strategy.WRAP

    def _stop(self, name: str, reason: str, boundary: Strategy) -> None:
        self.stopped.setdefault((name, reason), Stop(name, reason, boundary))

    # ----- operations -----------------------------------------------------------------

    def _convert(self, ref: FunctionRef) -> None:
        self.converts.append(ref)
        renaming = self.renames.get(ref.qualname)
        for caller in self.ctx.graph.callers.get(ref.qualname, ()):
            name = renaming.calls.get((caller.function.qualname, span_key(caller.site.span))) if renaming else None
            self._edit(caller.function, None, caller.site, name, ref.qualname)
        for site, callee in self.ctx.graph.blocking_callees(ref):
            if callee.qualname in self.prop.convert or self._no_await(ref, site):
                continue
            fix = self._fix_for(callee, converted=True)
            if fix == Strategy.TWIN and not isinstance(self._twin_call(ref, None, site, callee), str):
                continue
            key = (ref.module.path, ref.summary.qualname, callee.qualname, HELPER_CODE)
            self.fallbacks.append((key, ref.qualname))

    def _fill_twin(self, ref: FunctionRef) -> None:
        """The calls inside ``ref``'s twin: awaited twins of the helpers it calls."""
        for site, callee in self.ctx.graph.blocking_callees(ref):
            if self._no_await(ref, site):
                continue
            fix = self._fix_for(callee, converted=False)
            if fix is None:
                self._edit(ref, ref.qualname, site, None, callee.qualname)
                continue
            if fix == Strategy.TWIN and not isinstance(self._twin_call(ref, ref.qualname, site, callee), str):
                continue
            key = (ref.module.path, self.ctx.twins.qualname(ref), callee.qualname, HELPER_CODE)
            self.fallbacks.append((key, ref.qualname))

    def _twin_call(self, caller: FunctionRef, inside: str | None, site: CallSite, callee: FunctionRef) -> Rename | str:
        rename = self.ctx.twins.call(caller, site, callee)
        if isinstance(rename, str):
            at = f"{caller.module.path}:{site.span.line}"
            self._stop(callee.qualname, f"the call at {at} cannot name its twin: {rename}", Strategy.WRAP)
            return rename
        self._edit(caller, inside, site, rename.name, callee.qualname)
        self.imports += [(i, callee.qualname) for i in rename.imports]
        self.exports += [(e, callee.qualname) for e in rename.exports]
        if callee.qualname not in self.twins:
            self.twins[callee.qualname] = callee
            self.queue.append(callee)
            module, name = callee.module, callee.summary.name
            if callee.summary.class_name is None and module.exports is not None and name in module.exports:
                self.exports.append((NewExport(module, name, self.ctx.twins.name(callee)), callee.qualname))
        return rename

    def _edit(self, caller: FunctionRef, inside: str | None, site: CallSite, rename: str | None, owner: str) -> None:
        self.uf.union(inside or caller.qualname, owner)
        key = (caller.module.path, inside, span_key(site.span))
        self.calls.setdefault(key, _Call(caller, inside, key[2], rename, owner))

    def _no_await(self, ref: FunctionRef, site: CallSite) -> bool:
        facts = self.ctx.facts.of(ref.module.path)
        return site.awaited or facts is None or span_key(site.span) in facts.no_await

    # ----- the plan -------------------------------------------------------------------

    def _replace(self, renaming: Renaming, component: str) -> None:
        """The imports and ``__all__`` entries that name a renamed function."""
        for new in renaming.imports:
            ops = self.plan.file(new.module.path, new.module.module, new.module.is_package)
            edit = ImportEdit(new.source, new.name, new.local, new.twin_name, new.twin_local, component, replace=True)
            if edit not in ops.imports:
                ops.imports.append(edit)
        for export in renaming.exports:
            ops = self.plan.file(export.module.path, export.module.module, export.module.is_package)
            added = ExportEdit(export.name, export.twin, component, replace=True)
            if added not in ops.exports:
                ops.exports.append(added)

    def _finish(self) -> StructuralPlan:
        plan, find = self.plan, self.uf.find
        for ref in self.converts:
            ops = plan.file(ref.module.path, ref.module.module, ref.module.is_package)
            ops.make_async[ref.summary.qualname] = find(ref.qualname)
            renaming = self.renames.get(ref.qualname)
            if renaming is not None:
                ops.renamed[ref.summary.qualname] = renaming.name
                self._replace(renaming, find(ref.qualname))
        for name, ref in self.twins.items():
            ops = plan.file(ref.module.path, ref.module.module, ref.module.is_package)
            ops.twins[ref.summary.qualname] = TwinOp(ref.summary.qualname, self.ctx.twins.name(ref), {}, find(name))
        for call in self.calls.values():
            module = call.caller.module
            ops = plan.file(module.path, module.module, module.is_package)
            edit = CallEdit(call.rename, find(call.owner))
            if call.inside is None:
                ops.calls[call.span] = edit
            else:
                ops.twins[self.ctx.index.functions[call.inside].summary.qualname].calls[call.span] = edit
        for new, owner in self.imports:
            ops = plan.file(new.module.path, new.module.module, new.module.is_package)
            imported = ImportEdit(new.source, new.name, new.local, new.twin_name, new.twin_local, find(owner))
            if imported not in ops.imports:
                ops.imports.append(imported)
        for export, owner in self.exports:
            ops = plan.file(export.module.path, export.module.module, export.module.is_package)
            added = ExportEdit(export.name, export.twin, find(owner))
            if added not in ops.exports:
                ops.exports.append(added)
        for key, owner in self.resolved:
            plan.findings[key] = find(owner)
        for key, owner in self.fallbacks:
            plan.fallback[key] = Strategy.WRAP
            plan.fallback_components[key] = find(owner)
        plan.stops = [self.stopped[key] for key in sorted(self.stopped)]
        return plan

