"""wrap: run a blocking call in a worker thread and await it.

``f(a, k=v)`` becomes ``await asyncio.to_thread(f, a, k=v)``; ``obj.m(a)`` becomes
``await asyncio.to_thread(obj.m, a)``. The arguments are passed through untouched, so
any call among them still runs on the loop, before the thread starts — exactly when it
ran before. A result used as an operand of ``.attr``, ``[...]`` or ``(...)`` is
parenthesised: ``(await asyncio.to_thread(p.read_text)).splitlines()``.

Backends: anyio and trio use ``<backend>.to_thread.run_sync``, which takes no keyword
arguments for the callee, so those go through ``functools.partial``. Before Python 3.9
there is no ``asyncio.to_thread``: ``asyncio.get_running_loop().run_in_executor(None,
...)`` with the same ``partial`` rule.

Fix safety: the call runs in another thread; thread-affine objects (sqlite3
connections, GUI toolkits) must not be wrapped, which the planner checks.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from .base import Plan, Refusal, RewriteContext, Site, Strategy
from .command import AsyncifyCommand
from .context import awaited, dotted, prepend_args

RUNNERS = {
    "anyio": "anyio.to_thread.run_sync",
    "trio": "trio.to_thread.run_sync",
}


def _needs_partial(call: cst.Call) -> bool:
    """Keyword arguments (``k=v``, ``**kw``) cannot be passed through ``run_sync``."""
    return any(arg.keyword is not None or arg.star == "**" for arg in call.args)


def offload(
    call: cst.Call, backend: str, target_version: tuple[int, int], ref: Callable[[str], str] = str
) -> tuple[cst.Call, frozenset[str]]:
    """The thread-offloading call for ``call`` (not yet awaited) and the modules it uses;
    ``ref`` spells a module's name as new code must (``RewriteContext.ref``)."""
    if backend == "asyncio" and target_version >= (3, 9):
        args = prepend_args(call, [call.func])
        return _call(ref("asyncio.to_thread"), call, args), frozenset({"asyncio"})
    if backend == "asyncio":
        runner = "asyncio.get_running_loop().run_in_executor"
        lead: list[cst.BaseExpression] = [cst.Name("None")]
        modules = {"asyncio"}
    else:
        runner, lead, modules = RUNNERS[backend], [], {backend}
    runner = ref(runner)
    if _needs_partial(call):
        partial = _call(ref("functools.partial"), call, prepend_args(call, [call.func]))
        args = [*(cst.Arg(v, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for v in lead),
                cst.Arg(partial)]
        return cst.Call(func=dotted(runner), args=args), frozenset({*modules, "functools"})
    return _call(runner, call, prepend_args(call, [*lead, call.func])), frozenset(modules)


def _call(func: str, like: cst.Call, args: list[cst.Arg]) -> cst.Call:
    """A call of ``func`` laid out like ``like`` (same whitespace inside the brackets)."""
    return cst.Call(func=dotted(func), args=args, whitespace_before_args=like.whitespace_before_args)


def plan_offload(site: Site, ctx: RewriteContext, shape: Callable[[cst.Call], cst.Call]) -> Plan:
    """Replace the call with the awaited offload of ``shape(call)``, the call taken as it
    is after inner edits (``shape`` is the identity for wrap, ``list(...)`` for collect)."""
    _, modules = offload(shape(site.call), ctx.backend, ctx.target_version, ctx.ref)

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        new, _ = offload(shape(node), ctx.backend, ctx.target_version, ctx.ref)
        return awaited(node, new, site.call, site.parent)

    return Plan(rewrites=((site.call, rewrite),), imports=modules)


def plan_wrap(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Replace the call with the awaited offload of the call."""
    return plan_offload(site, ctx, lambda call: call)


STRATEGY = Strategy(
    name="wrap",
    plan=plan_wrap,
    description="await the call in a worker thread (asyncio.to_thread / run_sync)",
)


class WrapCommand(AsyncifyCommand):
    """Standalone libcst codemod: wrap every blocking call asyncify finds."""

    DESCRIPTION = (
        "Run blocking calls found by asyncify in async code in a worker thread: "
        "`await asyncio.to_thread(f, ...)` (anyio/trio: `to_thread.run_sync`)."
    )
    STRATEGY = "wrap"
