"""Everything phase 1 computes about the project once, shared by planning and ``check``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from asyncify.analysis.blocking import BlockingAnalysis
from asyncify.analysis.index import FunctionRef, ProjectIndex
from asyncify.catalogue import load_builtin_catalogue
from asyncify.config import Config
from asyncify.findings import Finding
from asyncify.scan.source import SourceError, read_source
from asyncify.scan.summary import CallSite, ModuleSummary
from asyncify.structural.facts import ProjectFacts
from asyncify.structural.graph import CallGraph
from asyncify.structural.model import span_key
from asyncify.structural.propagation import Propagation, propagate
from asyncify.structural.twins import TwinNamer


def read_text(path: str) -> str:
    """A module's text as the interpreter decodes it; ``OSError`` when that fails."""
    try:
        return read_source(Path(path)).text
    except SourceError as error:
        raise OSError(str(error)) from None


class StructuralContext:
    """Index, blocking states, source facts, call graph and twin names of one project.

    ``read`` maps a summary's path to the module's text (default: read it from disk, as
    the fixer does); texts are read once and only for modules that need a closer look.
    """

    def __init__(
        self,
        summaries: list[ModuleSummary],
        config: Config,
        read: Callable[[str], str] | None = None,
        budget: int | None = None,
        analysis: BlockingAnalysis | None = None,
    ) -> None:
        """``analysis``: the detector's, when the caller has one (saves rebuilding it)."""
        self.config = config
        if analysis is None:
            catalogue = load_builtin_catalogue()
            if config.extra_blocking_calls:
                catalogue = catalogue.extended(list(config.extra_blocking_calls))
            analysis = BlockingAnalysis(ProjectIndex(summaries), catalogue)
        self.index = analysis.index
        self.blocking = analysis
        self.facts = ProjectFacts([s.path for s in summaries], read or read_text, budget)
        self.graph = CallGraph(self.index, self.blocking, self.facts)
        self.twins = TwinNamer(self.index, self.graph, self.facts, config.twin_name)
        self._propagations: dict[frozenset[str], Propagation] = {}

    def propagation(self, seeds: frozenset[str]) -> Propagation:
        if seeds not in self._propagations:
            self._propagations[seeds] = propagate(sorted(seeds), self.graph)
        return self._propagations[seeds]

    def located(self, finding: Finding) -> tuple[FunctionRef, CallSite, FunctionRef] | str:
        """The async caller, the call site and the helper of an indirect finding."""
        module = self.index.modules.get(finding.module)
        callee = self.index.functions.get(finding.call)
        caller = self.index.functions.get(module.qualify(finding.function)) if module else None
        if caller is None or callee is None:
            return f"`{finding.call}` is not a function of the scanned project"
        wanted = span_key(finding.span)
        for site in caller.summary.calls:
            if span_key(site.span) == wanted:
                return caller, site, callee
        return f"the call at {finding.path}:{finding.span.line} is not in the scan"
