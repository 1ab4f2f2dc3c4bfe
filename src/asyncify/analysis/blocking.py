"""Which sync functions block: a fixpoint over the call graph, with one shortest witness.

A sync function blocks when it calls a blocking primitive (a catalogue entry) or a
blocking project helper. A function whose every blocking call sits under
``if param is not None:`` is *guarded*: it blocks only when one of those parameters is
not ``None``, so a call site that passes ``None`` (or omits a parameter whose default is
``None``) does not block. States only grow (not blocking -> guarded -> unconditional;
guard sets widen; chains shorten), so the worklist terminates on recursion and cycles.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from asyncify.analysis.index import FunctionRef, ProjectIndex
from asyncify.catalogue import BlockingCatalogue, CatalogueEntry
from asyncify.scan.receivers import LOOP_BOUND_CALLS
from asyncify.scan.summary import CallKind, CallSite, FunctionSummary, ModuleSummary


@dataclass(frozen=True, slots=True)
class Step:
    """The call a blocking function makes on its shortest path to a primitive."""

    site: CallSite
    primitive: CatalogueEntry | None
    helper: str | None


@dataclass(frozen=True, slots=True)
class Blocking:
    """Why a function blocks: ``length`` hops to a primitive, via ``step``."""

    length: int
    step: Step
    guards: frozenset[str]
    thread_affine: bool


@dataclass(frozen=True, slots=True)
class _Edge:
    site: CallSite
    primitive: CatalogueEntry | None
    callee: str | None


def defeats_guard(site: CallSite, callee: FunctionSummary, guards: frozenset[str]) -> bool:
    """True when the call passes ``None`` (or the ``None`` default) for every guard parameter."""
    if not guards or site.star_args:
        return False
    bound = callee.class_name is not None and "staticmethod" not in callee.decorators
    params = callee.params[1:] if bound else callee.params
    for position, param in enumerate(params):
        if param.name not in guards:
            continue
        if param.name in site.none_keywords:
            continue
        if param.positional and position < site.positional:
            if position not in site.none_positions:
                return False
            continue
        if param.name in site.keywords:
            return False
        if not param.default_none:
            return False
    return all(name in {p.name for p in params} for name in guards)


class BlockingAnalysis:
    """Runs the fixpoint once; ``state(qualname)`` answers for every sync function."""

    def __init__(self, index: ProjectIndex, catalogue: BlockingCatalogue) -> None:
        self.index = index
        self.catalogue = catalogue
        self.states: dict[str, Blocking] = {}
        self._edges: dict[str, list[_Edge]] = {}
        self._callers: dict[str, set[str]] = {}
        self._guards: dict[str, frozenset[str]] = {}
        self._loop_bound: dict[str, str] = {}
        self._build()
        self._solve()
        self._mark_loop_bound()

    def state(self, qualname: str) -> Blocking | None:
        return self.states.get(qualname)

    def primitive(self, target: str) -> CatalogueEntry | None:
        """The catalogue entry a call target is: by its name, or through a module-level
        instance of a library type in another module (``from app.clients import http``;
        ``http.get(url)`` calls ``requests.Session.get``)."""
        entry = self.catalogue.lookup(target)
        if entry is None and target.partition(".")[0] in self.index.tops:
            owner, _, method = target.rpartition(".")
            typed = self.index.instances.get(owner)
            if typed is not None and typed.partition(".")[0] not in self.index.tops:
                entry = self.catalogue.lookup(f"{typed}.{method}")
        return entry

    def blocking_at(self, site: CallSite, callee: FunctionRef) -> Blocking | None:
        """The callee's blocking state as seen from this call site (None when defeated)."""
        state = self.states.get(callee.qualname)
        if state is None or callee.summary.is_async:
            return None
        if state.guards and defeats_guard(site, callee.summary, state.guards):
            return None
        return state

    def callees(self, qualname: str) -> list[str]:
        """The sync project functions ``qualname`` calls (blocking or not)."""
        return [edge.callee for edge in self._edges.get(qualname, ()) if edge.callee is not None]

    def loop_bound(self, qualname: str) -> str | None:
        """The loop-only API (``asyncio.get_running_loop``) a sync function reaches, if any."""
        return self._loop_bound.get(qualname)

    def _mark_loop_bound(self) -> None:
        """Sync functions that need the event loop's thread, and every sync caller of them."""
        pending = list(self._loop_bound)
        while pending:
            callee = pending.pop()
            for caller in self._callers.get(callee, ()):
                if caller not in self._loop_bound:
                    self._loop_bound[caller] = self._loop_bound[callee]
                    pending.append(caller)

    def _build(self) -> None:
        for ref in self.index.functions.values():
            if ref.summary.is_async:
                continue
            for site in ref.summary.calls:
                if site.target in LOOP_BOUND_CALLS and ref.qualname not in self._loop_bound:
                    self._loop_bound[ref.qualname] = site.target
            edges = self._edges_of(ref.summary, ref.module)
            if edges:
                self._edges[ref.qualname] = edges
                for edge in edges:
                    if edge.callee is not None:
                        self._callers.setdefault(edge.callee, set()).add(ref.qualname)

    def _edges_of(self, function: FunctionSummary, module: ModuleSummary) -> list[_Edge]:
        edges = []
        for site in function.calls:
            if site.awaited or site.kind is CallKind.GUESS:
                continue
            entry = self.primitive(site.target)
            if entry is not None:
                if not entry.likely:
                    edges.append(_Edge(site, entry, None))
                continue
            callee = self.index.resolve_call(site, module)
            if callee is not None and not callee.summary.is_async and callee.qualname != "":
                edges.append(_Edge(site, None, callee.qualname))
        return edges

    def _live(self, edge: _Edge) -> bool:
        """An edge blocks when it reaches a primitive or a blocking callee not defeated here."""
        if edge.primitive is not None:
            return True
        assert edge.callee is not None
        callee_guards = self._guards.get(edge.callee)
        if callee_guards is None:
            return False
        callee = self.index.functions[edge.callee].summary
        return not (callee_guards and defeats_guard(edge.site, callee, callee_guards))

    def _evaluate(self, qualname: str) -> frozenset[str] | None:
        """None (not blocking), the guard set, or the empty set (blocks unconditionally)."""
        guards: frozenset[str] = frozenset()
        blocking = False
        for edge in self._edges.get(qualname, ()):
            if not self._live(edge):
                continue
            if not edge.site.guards:
                return frozenset()
            blocking = True
            guards |= edge.site.guards
        return guards if blocking else None

    def _solve(self) -> None:
        """Phase 1: which functions block, and under which guards (monotone, terminates)."""
        queue = deque(self._edges)
        queued = set(queue)
        while queue:
            qualname = queue.popleft()
            queued.discard(qualname)
            new = self._evaluate(qualname)
            if new is None or new == self._guards.get(qualname):
                continue
            self._guards[qualname] = new
            for caller in self._callers.get(qualname, ()):
                if caller not in queued:
                    queued.add(caller)
                    queue.append(caller)
        self._witnesses()

    def _witnesses(self) -> None:
        """Phase 2: shortest chains, breadth first from the primitives.

        An unconditionally blocking function's witness uses an unguarded call, so the
        chain shown is one that always runs.
        """
        def qualifies(qualname: str, edge: _Edge) -> bool:
            return self._live(edge) and (bool(self._guards[qualname]) or not edge.site.guards)

        frontier: list[str] = []
        for qualname in self._guards:
            for edge in self._edges[qualname]:
                if edge.primitive is not None and qualifies(qualname, edge):
                    step = Step(edge.site, edge.primitive, None)
                    self.states[qualname] = Blocking(1, step, self._guards[qualname], edge.primitive.thread_affine)
                    frontier.append(qualname)
                    break
        length = 1
        while frontier:
            length += 1
            following: list[str] = []
            for callee in frontier:
                for caller in self._callers.get(callee, ()):
                    if caller in self.states or caller not in self._guards:
                        continue
                    for edge in self._edges[caller]:
                        if edge.callee == callee and qualifies(caller, edge):
                            affine = self.states[callee].thread_affine
                            step = Step(edge.site, None, callee)
                            self.states[caller] = Blocking(length, step, self._guards[caller], affine)
                            following.append(caller)
                            break
            frontier = following
