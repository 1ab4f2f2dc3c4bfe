"""Phase 1 of ``fix --strategy twin|propagate``: restructure the call graph, then let the
ordinary fix loop rewrite the blocking calls that now sit in async code.

* ``plan_structural(summaries, findings, config)`` -> :class:`StructuralPlan`: twins,
  ``async def``s, awaited calls, imports and exports per file; where propagation stops
  and why (``stops``); findings refused (``refused``) and findings phase 2 must fix with
  ``wrap`` (``fallback``).
* ``apply_structural(plan, texts)`` -> :class:`StructuralOutcome`: the new texts,
  all-or-nothing per connected component.
* ``run_structural(summaries, findings, config)``: both, reading texts from disk.
* ``explain_strategies(finding, index, config)``: for ``check``, which of wrap, twin
  and propagate apply to an indirect finding, and why the others do not.

Twin names: see :mod:`asyncify.structural.naming`.
"""

from typing import TYPE_CHECKING, Any

from asyncify.structural.context import StructuralContext
from asyncify.structural.explain import explain_strategies
from asyncify.structural.model import (
    FindingKey,
    Stop,
    StructuralOutcome,
    StructuralPlan,
    finding_key,
)
from asyncify.structural.naming import twin_name
from asyncify.structural.planner import plan_structural, structural_seeds

if TYPE_CHECKING:
    from asyncify.structural.apply import apply_structural, run_structural


def __getattr__(name: str) -> Any:
    """``apply_structural``/``run_structural`` import libcst: load them on first use, so
    ``check`` (which only explains strategies) starts without it."""
    if name in ("apply_structural", "run_structural"):
        from asyncify.structural import apply

        return getattr(apply, name)
    raise AttributeError(name)


__all__ = [
    "FindingKey",
    "Stop",
    "StructuralContext",
    "StructuralOutcome",
    "StructuralPlan",
    "apply_structural",
    "explain_strategies",
    "finding_key",
    "plan_structural",
    "run_structural",
    "structural_seeds",
    "twin_name",
]
