"""From the index and the blocking states to findings: every blocking call on the loop.

Only call sites recorded in ``async def`` bodies run on the event loop (the scanner
gives nested defs, lambdas and the module body records of their own). A call there is a
direct finding when the catalogue names its callee, and an indirect one when it resolves
to a project helper that blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from asyncify.analysis.affinity import ThreadAffinity, read_text
from asyncify.analysis.blocking import Blocking, BlockingAnalysis
from asyncify.analysis.index import FunctionRef, ProjectIndex
from asyncify.catalogue import BlockingCatalogue, CatalogueEntry
from asyncify.config import Config
from asyncify.findings import ChainLink, Confidence, Finding, display_name, helper_name
from asyncify.rules import rule_for
from asyncify.rules.blocking_helper import BlockingHelper
from asyncify.scan.receivers import LOOP_BOUND_CALLS
from asyncify.scan.summary import CallKind, CallSite, FunctionSummary, ModuleSummary, Span
from asyncify.scan.suppression import is_suppressed
from asyncify.vocabulary import HELPER_STRATEGIES


class Detector:
    """Turns call sites in async functions into findings."""

    def __init__(
        self,
        index: ProjectIndex,
        catalogue: BlockingCatalogue,
        config: Config,
        read: Callable[[str], str | None] = read_text,
    ) -> None:
        """``read``: a module's text by path, for the thread-affinity facts the summaries
        do not carry (read only for helpers that may move to a thread)."""
        self.index = index
        self.catalogue = catalogue
        self.config = config
        self.blocking = BlockingAnalysis(index, catalogue)
        self.affinity = ThreadAffinity(self.blocking, read)

    def findings(self, modules: Sequence[ModuleSummary] | None = None) -> list[Finding]:
        """Every finding of the project, or of ``modules`` only (the analysis still sees all)."""
        chosen = self.index.summaries if modules is None else modules
        found = [f for summary in chosen for f in self.module_findings(summary)]
        return sorted(found, key=Finding.sort_key)

    def module_findings(self, module: ModuleSummary) -> Iterator[Finding]:
        for function in module.functions:
            if not function.is_async:
                continue
            for site in function.calls:
                if site.awaited:
                    continue
                finding = self._finding(site, function, module)
                if finding is None or not self.config.is_selected(finding.code):
                    continue
                rule = rule_for(finding.code)
                codes = (finding.code, *(rule.noqa if rule else ()))
                if is_suppressed(module.suppressions, (site.span.line, site.span.end_line), codes):
                    continue
                yield finding

    def pinned(self, module: ModuleSummary) -> dict[Span, str]:
        """Calls in the module's async functions that must stay on the event loop's thread,
        with why: loop-only APIs, and project helpers that are loop- or thread-bound."""
        out: dict[Span, str] = {}
        for function in module.functions:
            if not function.is_async:
                continue
            for site in function.calls:
                if site.target in LOOP_BOUND_CALLS:
                    out[site.span] = f"it calls {display_name(site.target)}(), which needs the event loop's thread"
                    continue
                callee = self.index.resolve_call(site, module)
                if callee is None or callee.summary.is_async:
                    continue
                loop = self.blocking.loop_bound(callee.qualname)
                if loop is not None:
                    name = helper_name(callee.qualname)
                    out[site.span] = f"`{name}` calls {display_name(loop)}() and needs the event loop's thread"
                else:
                    bound = self.affinity.helper(callee.qualname)
                    if bound is not None:
                        out[site.span] = bound
        return out

    def _finding(self, site: CallSite, function: FunctionSummary, module: ModuleSummary) -> Finding | None:
        if site.kind is CallKind.GUESS:
            entry = self.catalogue.guess(site.target)
            if entry is None:
                return None
            declared = self.catalogue.is_pattern(entry)  # ``*.method``: any receiver, as configured
            return self._direct(site, function, module, entry, Confidence.CERTAIN if declared else Confidence.LIKELY)
        entry = self.blocking.primitive(site.target)
        if entry is not None:
            confidence = Confidence.LIKELY if entry.likely else Confidence.CERTAIN
            return self._direct(site, function, module, entry, confidence)
        callee = self.index.resolve_call(site, module)
        if callee is None:
            return None
        state = self.blocking.blocking_at(site, callee)
        if state is None:
            return None
        return self._indirect(site, function, module, callee, state)

    def _direct(
        self,
        site: CallSite,
        function: FunctionSummary,
        module: ModuleSummary,
        entry: CatalogueEntry,
        confidence: Confidence,
    ) -> Finding:
        rule = rule_for(entry.code)
        call = entry.name if site.kind is not CallKind.GUESS else f"<unknown>.{site.target}"
        shown = display_name(entry.name) if site.kind is not CallKind.GUESS else f".{site.target}"
        message = entry.message or (rule.format(shown) if rule else f"`{shown}` blocks the event loop")
        if confidence is Confidence.LIKELY and site.kind is CallKind.GUESS:
            message += f" (receiver type unknown; looks like {display_name(entry.name)})"
        if entry.alternative and entry.message is None:
            message += f"; async alternative: {entry.alternative}"
        return Finding(
            code=entry.code,
            message=message,
            path=module.path,
            module=module.module,
            span=site.span,
            function=function.qualname,
            call=call.removeprefix("builtins."),
            confidence=confidence,
            strategies=entry.strategies,
            awaitable=site.awaitable,
            thread_affine=entry.thread_affine,
            thread_bound=self.affinity.callbacks(module, function.qualname, site.span, f"{shown}()"),
        )

    def _indirect(
        self, site: CallSite, function: FunctionSummary, module: ModuleSummary, callee: FunctionRef, state: Blocking
    ) -> Finding:
        message = BlockingHelper.format(helper_name(callee.qualname))
        if len(callee.alternatives) > 1:
            which = callee.definition_at(state.step.site.span.line).span.line
            message += f" (through its definition at line {which}, one of {len(callee.alternatives)})"
        return Finding(
            code=BlockingHelper.code,
            message=message,
            path=module.path,
            module=module.module,
            span=site.span,
            function=function.qualname,
            call=callee.qualname,
            confidence=Confidence.CERTAIN,
            strategies=HELPER_STRATEGIES,
            awaitable=site.awaitable,
            chain=tuple(self.chain(callee)),
            thread_affine=state.thread_affine,
            needs_loop=self.blocking.loop_bound(callee.qualname),
            thread_bound=self.affinity.helper(callee.qualname)
            or self.affinity.callbacks(module, function.qualname, site.span, f"`{helper_name(callee.qualname)}`"),
        )

    def chain(self, start: FunctionRef) -> Iterator[ChainLink]:
        """``start`` (where it is defined), then each call down to the primitive."""
        first = self.blocking.state(start.qualname)
        defined = start.definition_at(first.step.site.span.line) if first is not None else start.summary
        yield ChainLink(start.qualname, start.module.path, defined.span.line)
        current: FunctionRef | None = start
        seen = {start.qualname}
        while current is not None:
            state = self.blocking.state(current.qualname)
            if state is None:
                return
            step = state.step
            if step.primitive is not None:
                yield ChainLink(step.primitive.name.removeprefix("builtins."), current.module.path, step.site.span.line)
                return
            if step.helper is None or step.helper in seen:
                return
            seen.add(step.helper)
            following = self.index.functions.get(step.helper)
            yield ChainLink(step.helper, current.module.path, step.site.span.line)
            current = following
