"""``--strategy propagate``: which functions become ``async def``, and where it stops.

From the helpers that async code calls, the *blocking* set is every sync function on a
blocking path below them; the *candidates* add, transitively, every sync caller of a
candidate (each must become async in turn). A candidate may convert when it has no stop
of its own and every caller can follow: an ``async def`` or a converting candidate,
calling where ``await`` may be written. That is a greatest fixpoint: candidates with a
stop are removed, then any candidate with a caller that stays sync, until nothing
changes. What converts is the blocking functions that survive plus the callers they
drag along — nothing is converted that does not lead to a blocking call.

A stop is *intrinsic* (the function is a value, a property, a dunder, an override, a
decorated or entry-point function, a generator, or may be called unseen) or comes *from
its callers* (module level, ``__main__`` block, lambda, generator expression, default
argument, decorator, class body, an awaited call, no caller in the project, or a sync
caller that stays sync). The boundary fix at a stopped blocking function is a twin when
the stop comes from its callers (async code gets an async version, sync callers keep the
original) and wrap otherwise (PRODUCT "Rewriting" 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from asyncify.findings import helper_name
from asyncify.scan.summary import MODULE_BODY
from asyncify.structural.graph import Caller, CallGraph, where
from asyncify.structural.model import span_key


@dataclass(frozen=True, slots=True)
class StopReason:
    """Why a candidate stays sync; ``from_callers`` selects the twin boundary."""

    reason: str
    from_callers: bool
    root: str | None = None
    """For a stop dragged in by a caller: the first function of the chain and its reason."""


@dataclass
class Propagation:
    blocking: set[str] = field(default_factory=set)
    candidates: set[str] = field(default_factory=set)
    convert: set[str] = field(default_factory=set)
    stops: dict[str, StopReason] = field(default_factory=dict)


def propagate(seeds: Iterable[str], graph: CallGraph) -> Propagation:
    """The propagation plan for helpers ``seeds`` (qualified names of sync functions)."""
    result = Propagation()
    index = graph.index
    work = [s for s in seeds if s in index.functions and not index.functions[s].summary.is_async]
    while work:
        name = work.pop()
        if name in result.blocking:
            continue
        result.blocking.add(name)
        work.extend(callee.qualname for _, callee in graph.blocking_callees(index.functions[name]))
    work = sorted(result.blocking)
    while work:
        name = work.pop()
        if name in result.candidates:
            continue
        result.candidates.add(name)
        for caller in graph.callers.get(name, ()):
            summary = caller.function.summary
            if not summary.is_async and summary.qualname != MODULE_BODY:
                work.append(caller.function.qualname)
    for name in sorted(result.candidates):
        stop = _own_stop(name, graph)
        if stop is not None:
            result.stops[name] = stop
    alive = result.candidates - set(result.stops)
    changed = True
    while changed:
        changed = False
        for name in sorted(alive):
            stuck = _stuck_caller(name, alive, graph)
            if stuck is not None:
                result.stops[name] = _dragged(stuck, result.stops)
                alive.discard(name)
                changed = True
    convert = alive & result.blocking
    work = sorted(convert)
    while work:
        name = work.pop()
        for caller in graph.callers.get(name, ()):
            qualname = caller.function.qualname
            if not caller.function.summary.is_async and qualname not in convert:
                convert.add(qualname)
                work.append(qualname)
    result.convert = convert
    return result


def _own_stop(name: str, graph: CallGraph) -> StopReason | None:
    """An intrinsic stop, or a stop from a call site that can never be awaited."""
    ref = graph.index.functions[name]
    intrinsic = graph.intrinsic_stop(ref)
    if intrinsic is not None:
        return StopReason(intrinsic, False)
    in_lambda = graph.lambda_use(ref)
    if in_lambda is not None:
        return StopReason(f"is called in a lambda at {in_lambda}, where await is not allowed", True)
    callers = graph.callers.get(name, ())
    if not callers:
        return StopReason("is not called anywhere in the project (an entry point or public API stays sync)", True)
    for caller in callers:
        reason = _site_stop(caller, graph)
        if reason is not None:
            return StopReason(reason, True)
    return None


def _site_stop(caller: Caller, graph: CallGraph) -> str | None:
    module, site = caller.function.module, caller.site
    at = where(module, site.span.line)
    facts = graph.facts.of(module.path)
    if facts is None:
        return f"{module.path} cannot be read again to check the call at {at}"
    why = facts.no_await.get(span_key(site.span))
    if why is not None:
        return f"is called {why} at {at}, where await is not allowed"
    if caller.function.summary.qualname == MODULE_BODY:
        if facts.in_main_block(site.span.line):
            return f'is called from the `if __name__ == "__main__":` block at {at} (a sync entry point)'
        return f"is called from module level at {at}"
    if site.awaited:
        return f"its result is awaited at {at} (it returns an awaitable already)"
    return None


def _stuck_caller(name: str, alive: set[str], graph: CallGraph) -> Caller | None:
    for caller in graph.callers.get(name, ()):
        summary = caller.function.summary
        if not summary.is_async and caller.function.qualname not in alive:
            return caller
    return None


def _dragged(caller: Caller, stops: dict[str, StopReason]) -> StopReason:
    """The stop of a function whose caller stays sync, naming the root cause."""
    ref = caller.function
    at = where(ref.module, caller.site.span.line)
    name = helper_name(ref.qualname)
    cause = stops.get(ref.qualname)
    if cause is None:
        root = f"`{name}` cannot become async"
    elif cause.root is not None:
        root = cause.root
    else:
        root = f"`{name}` {cause.reason}"
    return StopReason(f"is called by `{name}` at {at}, which stays sync because {root}", True, root)
