"""The run-time report in ``check`` and ``fix``: what the CLI calls.

``check --runtime`` scans as usual (keeping the module summaries), then merges the
report (``merge_check``). ``fix --runtime`` hands ``fix_extension`` to the fixer, which
merges the report into the findings of every pass, so AFY300 call sites are planned
and wrapped like any other finding; after a pass rewrote a file, its sites are located
again in the new text (the fixed ones are gone, the others relocate by their call text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from asyncify.config import Config
from asyncify.findings import Finding
from asyncify.results import CheckResult
from asyncify.runtime.document import RuntimeReport, read_report
from asyncify.runtime.merge import RuntimeMerge, merge_runtime
from asyncify.scan.summary import ModuleSummary

__all__ = ["fix_extension", "merge_check", "read_report", "text_on_disk"]


def text_on_disk(path: str) -> str | None:
    from asyncify.scan.source import SourceError, read_source

    try:
        return read_source(Path(path)).text
    except (SourceError, OSError):
        return None


def merge_check(result: CheckResult, report: RuntimeReport, source: Path, config: Config) -> RuntimeMerge:
    """``result`` (run with ``want_summaries=True``) with the report merged in."""
    return merge_runtime(report, source, result.findings, result.summaries, config, text_on_disk)


FindingsExtension = Callable[[Sequence[Finding], Mapping[str, ModuleSummary], Callable[[str], str]], list[Finding]]


def fix_extension(report: RuntimeReport, source: Path, config: Config) -> FindingsExtension:
    """For ``run_fix``: the findings of a pass plus the report's AFY300 call sites."""

    def extend(
        findings: Sequence[Finding], summaries: Mapping[str, ModuleSummary], text_of: Callable[[str], str]
    ) -> list[Finding]:
        from asyncify.scan.source import SourceError

        def read(path: str) -> str | None:
            try:
                return text_of(path)
            except (SourceError, OSError):
                return None

        return merge_runtime(report, source, findings, list(summaries.values()), config, read).findings

    return extend
