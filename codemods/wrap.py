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

A chain of blocking calls, each wrapped (``open(p).read()``: the handle's read on the
handle ``open`` returns), runs in one worker thread instead of one per link:
``await asyncio.to_thread(lambda: open(p).read())``; the inner edits are absorbed (one
``-i`` question, applied with the outer). Only when nothing else in the chain is edited
or awaited, it binds no name (a lambda has its own scope), calls no ``super()`` (which a
lambda cannot) and no function that needs the event loop's thread (the arguments run in
the worker thread too): otherwise each link is wrapped on its own.

Fix safety: the call runs in another thread; thread-affine objects (sqlite3
connections, GUI toolkits) must not be wrapped, which the planner checks.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from asyncify.vocabulary import Backend, Strategy

from .base import Codemod, Plan, Refusal, RewriteContext, Site
from .context import awaited, dotted, prepend_args

RUNNERS = {
    Backend.ANYIO: "anyio.to_thread.run_sync",
    Backend.TRIO: "trio.to_thread.run_sync",
}


def _needs_partial(call: cst.Call) -> bool:
    """Keyword arguments (``k=v``, ``**kw``) cannot be passed through ``run_sync``."""
    return any(arg.keyword is not None or arg.star == "**" for arg in call.args)


def offload(
    call: cst.Call, backend: Backend, target_version: tuple[int, int], ref: Callable[[str], str] = str
) -> tuple[cst.Call, frozenset[str]]:
    """The thread-offloading call for ``call`` (not yet awaited) and the modules it uses;
    ``ref`` spells a module's name as new code must (``RewriteContext.ref``)."""
    if backend == Backend.ASYNCIO and target_version >= (3, 9):
        args = prepend_args(call, [call.func])
        return _call(ref("asyncio.to_thread"), call, args), frozenset({"asyncio"})
    if backend == Backend.ASYNCIO:
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


def offload_refusal(backend: str, target_version: tuple[int, int]) -> Refusal | None:
    """Why no offload can be written for ``target_version`` (before 3.7, asyncio has no
    ``get_running_loop``, and ``get_event_loop`` may pick another loop)."""
    if backend == "asyncio" and target_version < (3, 7):
        version = f"{target_version[0]}.{target_version[1]}"
        return Refusal(f"the project targets Python {version}; asyncio.get_running_loop() needs 3.7")
    return None


def plan_offload(site: Site, ctx: RewriteContext, shape: Callable[[cst.Call], cst.Call]) -> Plan | Refusal:
    """Replace the call with the awaited offload of ``shape(call)``, the call taken as it
    is after inner edits (``shape`` is the identity for wrap, ``list(...)`` for collect)."""
    refusal = offload_refusal(ctx.backend, ctx.target_version)
    if refusal is not None:
        return refusal
    _, modules = offload(shape(site.call), ctx.backend, ctx.target_version, ctx.ref)

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        new, _ = offload(shape(node), ctx.backend, ctx.target_version, ctx.ref)
        return awaited(node, new, site.call, site.parent)

    return Plan(rewrites=((site.call, rewrite),), imports=modules)


def plan_wrap(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Replace the call with the awaited offload of the call (of the whole chain, when
    the calls its receiver is made of are wrapped too)."""
    links = _wrapped_links(site.call, ctx)
    if not links:
        return plan_offload(site, ctx, lambda call: call)
    refusal = offload_refusal(ctx.backend, ctx.target_version)
    if refusal is not None:
        return refusal

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        thunk = cst.Call(func=cst.Lambda(params=cst.Parameters(), body=node.with_changes(lpar=[], rpar=[])))
        new, _ = offload(thunk, ctx.backend, ctx.target_version, ctx.ref)
        return awaited(node, new, site.call, site.parent)

    _, modules = offload(cst.Call(func=cst.Name("f")), ctx.backend, ctx.target_version, ctx.ref)
    return Plan(rewrites=((site.call, rewrite),), imports=modules, claims=links)


def _wrapped_links(call: cst.Call, ctx: RewriteContext) -> tuple[cst.Call, ...]:
    """The calls of ``call``'s receiver chain that are wrap edits too, when the chain can
    run whole in one thread (see the module docstring); else none."""
    links: list[cst.Call] = []
    current: cst.BaseExpression = call.func
    while True:
        if isinstance(current, (cst.Attribute, cst.Subscript)):
            current = current.value
        elif isinstance(current, cst.Call):
            other = ctx.site_of(current)
            if other is not None and other.strategy == Strategy.WRAP:
                links.append(current)
            current = current.func
        else:
            break
    if not links or not _runs_in_a_lambda(call, ctx, set(map(id, links))):
        return ()
    return tuple(links)


def _runs_in_a_lambda(call: cst.Call, ctx: RewriteContext, links: set[int]) -> bool:
    """Nothing in ``call`` is awaited, edited (but ``links``), bound, ``super()``, or a
    call that must stay on the event loop's thread (``ctx.pinned``: the arguments would
    run in the worker thread too)."""
    stack: list[cst.CSTNode] = [call]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Await, cst.Yield, cst.NamedExpr)):
            return False
        if isinstance(node, cst.Name) and node.value == "super":
            return False
        inner = node is not call and isinstance(node, cst.Call) and id(node) not in links
        if inner and (ctx.site_of(node) is not None or id(node) in ctx.pinned):
            return False
        stack.extend(node.children)
    return True


CODEMOD = Codemod(
    strategy=Strategy.WRAP,
    plan=plan_wrap,
    description="await the call in a worker thread (asyncio.to_thread / run_sync)",
)

