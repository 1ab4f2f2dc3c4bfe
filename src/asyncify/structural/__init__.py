"""Helper strategies, the analysis: which helpers may get a twin or become ``async def``,
how each call names the twin, and where propagation stops. Pure ``ast`` over summaries
(no libcst): ``check`` uses it to say which strategies apply to an indirect finding, and
``fix --strategy twin|propagate`` plans phase 1 with it; ``asyncify.restructure`` then
rewrites the texts, and the ordinary fix loop rewrites the blocking calls that now sit
in async code.

* ``plan_structural(summaries, findings, config)`` -> :class:`StructuralPlan`: twins,
  ``async def``s, awaited calls, imports and exports per file; where propagation stops
  and why (``stops``); findings refused (``refused``) and findings phase 2 must fix with
  ``wrap`` (``fallback``).
* ``explain_strategies(finding, index, config)``: for ``check``, which of wrap, twin
  and propagate apply to an indirect finding, and why the others do not.

Twin names: see :mod:`asyncify.structural.naming`.
"""

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

__all__ = [
    "FindingKey",
    "Stop",
    "StructuralContext",
    "StructuralOutcome",
    "StructuralPlan",
    "explain_strategies",
    "finding_key",
    "plan_structural",
    "structural_seeds",
    "twin_name",
]
