"""From the index and the blocking states to findings: every blocking call on the loop.

Only call sites recorded in ``async def`` bodies run on the event loop (the scanner
gives nested defs, lambdas and the module body records of their own). A call there is a
direct finding when the catalogue names its callee, and an indirect one when it resolves
to a project helper that blocks.
"""

from __future__ import annotations

from collections.abc import Iterator

from asyncify.analysis.blocking import Blocking, BlockingAnalysis
from asyncify.analysis.index import FunctionRef, ProjectIndex
from asyncify.catalogue import BlockingCatalogue, CatalogueEntry
from asyncify.config import Config
from asyncify.findings import ChainLink, Confidence, Finding, display_name, helper_name
from asyncify.rules import rule_for
from asyncify.rules.blocking_helper import BlockingHelper
from asyncify.scan.summary import CallKind, CallSite, FunctionSummary, ModuleSummary
from asyncify.scan.suppression import is_suppressed
from asyncify.vocabulary import HELPER_STRATEGIES


class Detector:
    """Turns call sites in async functions into findings."""

    def __init__(self, index: ProjectIndex, catalogue: BlockingCatalogue, config: Config) -> None:
        self.index = index
        self.catalogue = catalogue
        self.config = config
        self.blocking = BlockingAnalysis(index, catalogue)

    def findings(self) -> list[Finding]:
        found = [f for summary in self.index.summaries for f in self.module_findings(summary)]
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
        )

    def _indirect(
        self, site: CallSite, function: FunctionSummary, module: ModuleSummary, callee: FunctionRef, state: Blocking
    ) -> Finding:
        return Finding(
            code=BlockingHelper.code,
            message=BlockingHelper.format(helper_name(callee.qualname)),
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
        )

    def chain(self, start: FunctionRef) -> Iterator[ChainLink]:
        """``start`` (where it is defined), then each call down to the primitive."""
        yield ChainLink(start.qualname, start.module.path, start.summary.span.line)
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
