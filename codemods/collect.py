"""collect: run a lazy directory iterator to completion in a worker thread.

``root.iterdir()``, ``root.glob(...)``, ``os.walk(...)``, ``os.scandir(...)`` and
``glob.iglob(...)`` read the disk while they are *iterated*, so wrapping only the call
(``await asyncio.to_thread(root.iterdir)``) would leave every read on the loop. The call
becomes ``await asyncio.to_thread(list, root.iterdir())``: the iterator is created on the
loop (creating it does no I/O) and consumed in the thread. The result is a list instead
of an iterator, which every ``for`` loop, ``sorted()`` and comprehension accepts.
"""

from __future__ import annotations

import libcst as cst

from asyncify.vocabulary import Strategy

from .base import Codemod, Plan, Refusal, RewriteContext, Site
from .wrap import plan_offload


def _collected(call: cst.Call) -> cst.Call:
    return cst.Call(func=cst.Name("list"), args=[cst.Arg(call)])


def plan_collect(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Replace the call with the awaited offload of ``list(call)``."""
    return plan_offload(site, ctx, _collected)


CODEMOD = Codemod(
    strategy=Strategy.COLLECT,
    plan=plan_collect,
    description="consume a lazy directory iterator in a worker thread (to_thread(list, ...))",
)

