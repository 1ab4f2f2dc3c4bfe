"""collect: run a lazy directory iterator to completion in a worker thread.

``root.iterdir()``, ``root.glob(...)``, ``os.walk(...)``, ``os.scandir(...)`` and
``glob.iglob(...)`` read the disk while they are *iterated*, so wrapping only the call
(``await asyncio.to_thread(root.iterdir)``) would leave every read on the loop. The call
becomes ``await asyncio.to_thread(list, root.iterdir())``: the iterator is created on the
loop (creating it does no I/O) and consumed in the thread.

A list is not the iterator it replaces, so the call is collected only where it is
consumed on the spot: iterated by a ``for`` or a comprehension, unpacked with ``*``, or
passed to ``list``, ``sorted``, ``set``, ``tuple``, ``any``... Elsewhere it is refused:

- ``next(it)`` takes one entry (``next(os.walk(p))`` reads the top directory only): the
  ``next`` call itself moves to the thread instead, ``await asyncio.to_thread(next, it)``;
- ``with os.scandir(p) as it:`` needs the iterator's context manager (the engine's
  fallback moves the whole ``with`` block to a thread instead: ``extract``);
- a walk whose loop prunes its directory list in place (``dirs[:] = ...``,
  ``dirs.remove(d)``): once collected, the walk has already entered them;
- an iterator stored in a variable, returned or passed on: what uses it later
  (``close()``, ``next()``, pruning) is out of sight.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from asyncify.vocabulary import Strategy

from .base import Codemod, Plan, Refusal, RewriteContext, Site
from .context import awaited
from .wrap import offload, plan_offload

CONSUMERS = frozenset(
    {"list", "sorted", "tuple", "set", "frozenset", "sum", "min", "max", "any", "all", "dict", "enumerate", "zip"}
)
"""Builtins that consume an iterable on the spot and behave the same for a list."""

_PRUNING_METHODS = frozenset({"remove", "clear", "pop", "sort", "reverse", "append", "extend", "insert"})


def _collected(call: cst.Call) -> cst.Call:
    return cst.Call(func=cst.Name("list"), args=[cst.Arg(call)])


def plan_collect(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Replace the call with the awaited offload of ``list(call)`` where that is safe."""
    parent = site.parent
    shown = _shown(site.call)
    if isinstance(parent, cst.WithItem):
        return Refusal(f"`{shown}` is the context manager of a with statement; a list is not one")
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is site.call:
        pruned = _pruned(parent)
        if pruned is not None:
            return Refusal(
                f"the loop changes `{pruned}` in place to prune the walk; collected in a thread, "
                "the walk would already have entered every directory"
            )
        return plan_offload(site, ctx, _collected)
    if isinstance(parent, (cst.StarredElement, cst.StarredDictElement)):
        return plan_offload(site, ctx, _collected)
    if isinstance(parent, cst.Arg) and len(site.ancestors) > 1:
        consumer = site.ancestors[-2]
        if isinstance(consumer, cst.Call) and isinstance(consumer.func, cst.Name) and parent.star == "":
            if consumer.func.value == "next" and consumer.args[0] is parent:
                return _plan_next(site, consumer, ctx)
            if consumer.func.value in CONSUMERS:
                return plan_offload(site, ctx, _collected)
    return Refusal(
        f"the iterator of `{shown}` is used later (stored, returned or passed on), "
        "where a list would not behave like it"
    )


def _plan_next(site: Site, call: cst.Call, ctx: RewriteContext) -> Plan:
    """``next(os.walk(p))`` -> ``await asyncio.to_thread(next, os.walk(p))``."""
    grand = site.ancestors[-3] if len(site.ancestors) > 2 else None
    _, modules = offload(call, ctx.backend, ctx.target_version, ctx.ref)

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        new, _ = offload(node, ctx.backend, ctx.target_version, ctx.ref)
        return awaited(node, new, call, grand)

    return Plan(rewrites=((call, rewrite),), imports=modules)


def _pruned(loop: cst.For | cst.CompFor) -> str | None:
    """The directory-list name a walk's loop changes in place (``for root, dirs, files
    in os.walk(p)`` with ``dirs[:] = ...`` or ``dirs.remove(d)`` in its body), if any."""
    target = loop.target
    if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) < 2:
        return None
    second = target.elements[1].value
    if not isinstance(second, cst.Name):
        return None
    name = second.value
    body = loop.body if isinstance(loop, cst.For) else loop
    named = m.Name(name)
    changes = [
        m.AssignTarget(target=m.Subscript(value=named)),
        m.AugAssign(target=named | m.Subscript(value=named)),
        m.Del(target=m.Subscript(value=named)),
        m.Call(func=m.Attribute(value=named, attr=m.OneOf(*(m.Name(n) for n in _PRUNING_METHODS)))),
    ]
    if any(m.findall(body, pattern) for pattern in changes):
        return name
    return None


def _shown(call: cst.Call) -> str:
    func = cst.Module([]).code_for_node(call.func)
    return f"{func}()"


CODEMOD = Codemod(
    strategy=Strategy.COLLECT,
    fallbacks=(Strategy.EXTRACT,),
    fallback_reasons=("context manager of a with statement",),
    plan=plan_collect,
    description="consume a lazy directory iterator in a worker thread (to_thread(list, ...))",
)

