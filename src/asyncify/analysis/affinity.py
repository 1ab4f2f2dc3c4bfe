"""Why a blocking call must stay on the event loop's thread, though it blocks.

Two ways code reaches a worker thread when a call is moved there (``wrap``, ``collect``,
``extract``): the callee itself, with every sync project function it reaches, and the
project functions handed to it as arguments (``json.dump(obj, f, default=cb)`` calls
``cb`` in the thread). Either is *pinned* to the loop's thread when it

- is loop-bound (reaches ``asyncio.get_running_loop()`` and friends; the blocking
  analysis knows which), or
- is thread-bound (``asyncify.analysis.thread_facts``: thread-locals, ``ContextVar.set``,
  signal handlers, main-thread checks), found by walking the call graph from it.

``twin`` and ``propagate`` keep such code on the loop's thread (``await`` in place of the
thread hop), so the refusal suggests them. A function passed as an argument is recognised
from the summary's references on the call's lines, a little wider than the call itself:
the cost is a refusal, never a broken fix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from asyncify.analysis.blocking import BlockingAnalysis
from asyncify.analysis.thread_facts import needs_walk, thread_bound_functions
from asyncify.findings import display_name, helper_name
from asyncify.scan.source import SourceError, read_source
from asyncify.scan.summary import ModuleSummary, Span


def read_text(path: str) -> str | None:
    """A module's text as the interpreter decodes it; ``None`` when it cannot be read."""
    try:
        return read_source(Path(path)).text
    except SourceError:
        return None


class ThreadAffinity:
    """Answers, lazily and once per function, whether moving code to a thread breaks it."""

    def __init__(self, analysis: BlockingAnalysis, read: Callable[[str], str | None] = read_text) -> None:
        self.analysis = analysis
        self.index = analysis.index
        self.read = read
        self._modules: dict[str, dict[str, str]] = {}
        self._reach: dict[str, str | None] = {}

    def helper(self, qualname: str) -> str | None:
        """Why the sync function ``qualname`` (or one it reaches) must stay on the loop's
        thread because of the thread it runs in; ``None`` when it may move."""
        if qualname in self._reach:
            return self._reach[qualname]
        seen = {qualname}
        queue = [(qualname, "")]
        reason = None
        while queue and reason is None:
            current, via = queue.pop(0)
            own = self._own(current)
            if own is not None:
                name = helper_name(qualname)
                reason = f"`{name}` reaches `{helper_name(current)}`, which {own}" if via else f"`{name}` {own}"
                break
            for callee in self.analysis.callees(current):
                if callee not in seen:
                    seen.add(callee)
                    queue.append((callee, current))
        self._reach[qualname] = reason
        return reason

    def callbacks(self, module: ModuleSummary, function: str, span: Span, call: str) -> str | None:
        """Why a project function passed to the call at ``span`` must stay on the loop's
        thread (``call``: the callee as shown in the message)."""
        for reference in module.references:
            if reference.function != function or not span.line <= reference.line <= span.end_line:
                continue
            target = self.index.functions.get(reference.target)
            if target is None or target.summary.is_async:
                continue
            name = helper_name(target.qualname)
            loop = self.analysis.loop_bound(target.qualname)
            if loop is not None:
                return f"`{name}`, passed to {call}, calls {display_name(loop)}()"
            bound = self.helper(target.qualname)
            if bound is not None:
                return f"{bound}; it is passed to {call}"
        return None

    def _own(self, qualname: str) -> str | None:
        ref = self.index.functions.get(qualname)
        if ref is None:
            return None
        path = ref.module.path
        if path not in self._modules:
            text = self.read(path)
            facts: dict[str, str] = {}
            if text is not None and needs_walk(text):
                try:
                    facts = thread_bound_functions(text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    facts = {}
            self._modules[path] = facts
        return self._modules[path].get(ref.summary.qualname)
