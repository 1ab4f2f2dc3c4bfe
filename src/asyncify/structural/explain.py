"""``asyncify check``: for an indirect finding, which helper strategies apply and why not.

``wrap`` applies wherever ``await`` may be written and the helper may run in a thread;
``twin`` where the helper may have a twin and the call can name it; ``propagate`` where
the helper itself would become ``async def`` (otherwise the reason it stops there, and
the boundary fix ``fix --strategy propagate`` would use instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from asyncify.analysis.blocking import BlockingAnalysis
from asyncify.analysis.index import ProjectIndex
from asyncify.config import Config
from asyncify.findings import Finding, helper_name
from asyncify.plan import decide
from asyncify.scan.summary import ModuleSummary
from asyncify.structural.context import StructuralContext
from asyncify.structural.facts import TooManyModules
from asyncify.structural.planner import HELPER_CODE
from asyncify.vocabulary import HELPER_STRATEGIES, Strategy

CHECK_BUDGET = 60
"""Most modules ``check`` parses to explain one finding's strategies."""
NOT_AWAITABLE = (
    "await is not allowed at this call (generator expression, lambda, default argument, decorator or class body)"
)


def explain_strategies(
    finding: Finding,
    index: ProjectIndex,
    config: Config,
    *,
    context: StructuralContext | None = None,
) -> dict[Strategy, str | None]:
    """``{WRAP: ..., TWIN: ..., PROPAGATE: ...}``: ``None`` when the strategy
    applies, else why not. Pass one ``context`` for many findings of a project."""
    ctx = context or StructuralContext(index.summaries, config)
    if finding.code != HELPER_CODE:
        return {}
    wrap: str | None = None
    if not finding.awaitable:
        wrap = NOT_AWAITABLE
    elif finding.thread_affine and not config.unsafe_fixes:
        wrap = "the helper uses a thread-affine object; moving it to a thread needs --unsafe-fixes"
    located = ctx.located(finding)
    if isinstance(located, str):
        return {Strategy.WRAP: wrap, Strategy.TWIN: located, Strategy.PROPAGATE: located}
    caller, site, callee = located
    name = helper_name(callee.qualname)
    twin = NOT_AWAITABLE if not finding.awaitable else ctx.twins.problem(callee)
    if twin is None:
        rename = ctx.twins.call(caller, site, callee)
        twin = rename if isinstance(rename, str) else None
    elif finding.awaitable:
        twin = f"`{name}` cannot have an async twin: {twin}"
    propagate: str | None = NOT_AWAITABLE if not finding.awaitable else None
    if propagate is None:
        plan = ctx.propagation(frozenset({callee.qualname}))
        if callee.qualname not in plan.convert:
            stop = plan.stops.get(callee.qualname)
            reason = stop.reason if stop is not None else "cannot become async"
            boundary = (
                "a twin" if stop is not None and stop.from_callers and ctx.twins.problem(callee) is None else "wrap"
            )
            propagate = f"propagation stops at `{name}`, which {reason} (it would fall back to {boundary})"
    return {Strategy.WRAP: wrap, Strategy.TWIN: twin, Strategy.PROPAGATE: propagate}


def annotate_strategies(
    findings: list[Finding],
    summaries: list[ModuleSummary],
    config: Config,
    analysis: BlockingAnalysis | None = None,
    read: Callable[[str], str] | None = None,
) -> list[Finding]:
    """Indirect findings with only the strategies that apply, and why the others do not.

    ``wrap`` also takes the planner's own refusal (a helper that needs the event loop's
    thread). Direct findings are returned unchanged. ``read``: a module's text by summary
    path (default: from disk).
    """
    if not any(f.code == HELPER_CODE for f in findings):
        return findings
    context = StructuralContext(summaries, config, read=read, budget=CHECK_BUDGET, analysis=analysis)
    out = []
    for finding in findings:
        if finding.code != HELPER_CODE:
            out.append(finding)
            continue
        try:
            reasons = explain_strategies(finding, context.index, config, context=context)
        except TooManyModules as error:
            unknown = f"not worked out by check ({error}); see `asyncify fix --strategy {{}} --dry-run`"
            reasons = {Strategy.WRAP: None, Strategy.TWIN: unknown.format(Strategy.TWIN)}
            reasons[Strategy.PROPAGATE] = unknown.format(Strategy.PROPAGATE)
        if reasons.get(Strategy.WRAP) is None:
            decision = decide(finding, replace(config, strategy=Strategy.WRAP))
            reasons[Strategy.WRAP] = decision.reason
        applicable = tuple(s for s in HELPER_STRATEGIES if reasons.get(s) is None)
        notes = tuple((s, r) for s, r in reasons.items() if r is not None)
        out.append(replace(finding, strategies=applicable, strategy_notes=notes))
    return out
