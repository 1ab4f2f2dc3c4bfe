"""sleep: ``time.sleep(x)`` becomes ``await asyncio.sleep(x)``.

The call is found by detection through any alias (``from time import sleep``, ``import
time as t``), so only the callee is replaced; the argument and its layout stay. anyio
and trio projects get ``await anyio.sleep(x)`` / ``await trio.sleep(x)``. The old
``time`` import is left alone: it may have other users, and removing it safely needs
scope analysis the engine does not run.

Fix safety: safe — the coroutine waits as long as before, other tasks run meanwhile.
"""

from __future__ import annotations

import libcst as cst

from asyncify.vocabulary import Strategy

from .base import Codemod, Plan, Refusal, RewriteContext, Site
from .context import awaited, dotted


def plan_sleep(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Swap the callee for the backend's sleep and await it."""
    args = site.call.args
    if len(args) != 1 or args[0].keyword is not None or args[0].star:
        return Refusal("time.sleep() takes exactly one positional argument here")
    target = ctx.ref(f"{ctx.backend}.sleep")

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        new = node.with_changes(func=dotted(target), whitespace_after_func=cst.SimpleWhitespace(""))
        return awaited(node, new, site.call, site.parent)

    return Plan(rewrites=((site.call, rewrite),), imports=frozenset({ctx.backend}))


CODEMOD = Codemod(
    strategy=Strategy.SLEEP,
    plan=plan_sleep,
    description="await the backend's sleep instead of time.sleep",
)

