"""``fix`` in memory: check, plan, rewrite, re-check, until nothing fixable is left.

Nothing here writes a file. The result holds, per file, the original source (bytes,
encoding, BOM) and the new text, plus every change with the finding it resolves, so the
review layer can show diffs, print a patch, ask change by change, or write atomically.
Only files with edits are parsed by libcst; every other file stays as the ``ast`` scan
left it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asyncify.analysis.detect import Detector
from asyncify.analysis.index import ProjectIndex
from asyncify.api import catalogue_for, run_check, scan_context
from asyncify.config import Config
from asyncify.edits import Edit, RewriteOptions, RewriteOutcome
from asyncify.findings import Finding
from asyncify.parsing import parse_module
from asyncify.plan import Change, annotate_fixable, backend_for, decide, rewrite_options
from asyncify.results import CheckResult, FileError
from asyncify.scan.source import SourceError, SourceFile, read_source
from asyncify.scan.summariser import summarise_module
from asyncify.scan.summary import ModuleSummary
from asyncify.structural.model import FindingKey, Stop
from asyncify.structural.planner import structural_seeds
from asyncify.vocabulary import Strategy

MAX_PASSES = 4


@dataclass
class FileFix:
    """One file's planned rewrite: original source, new text, and the changes made."""

    display: str
    source: SourceFile
    text: str
    options: RewriteOptions
    changes: list[Change] = field(default_factory=list)
    first_pass: list[Change] = field(default_factory=list)
    """Changes planned against the original text: what ``-i`` offers one by one."""
    base: str | None = None
    """The text after phase 1 (twins, propagation), when it changed this file: the
    first-pass changes are planned against it."""

    @property
    def changed(self) -> bool:
        return self.text != self.source.text

    def apply(self, keys: set[int]) -> RewriteOutcome:
        """The original with only the first-pass changes in ``keys`` applied."""
        edits = [c.edit() for c in self.first_pass if c.key in keys]
        start = self.base if self.base is not None else self.source.text
        return apply_edits(start, edits, self.options, self.display)


@dataclass(frozen=True, slots=True)
class FixTarget:
    """Fix one finding with one strategy (an editor's code action).

    Every other finding of the project is left alone, except those the fix itself
    brings into async code (the blocking calls inside a new twin, say), which are fixed
    as ``fix`` would. ``twin`` and ``propagate`` run as ``fix --strategy ...`` would,
    seeded with this finding only.
    """

    finding: Finding
    strategy: Strategy

    def matches(self, finding: Finding) -> bool:
        return _signature(finding) == _signature(self.finding) and finding.span == self.finding.span


@dataclass
class FixResult:
    """Everything ``fix`` would do, and everything it would leave with the reason."""

    check: CheckResult
    files: list[FileFix]
    left: list[tuple[Finding, str]]
    errors: list[FileError]
    converged: bool = True
    passes: int = 0
    stops: list[Stop] = field(default_factory=list)
    """Where ``--strategy twin|propagate`` stopped, why, and the boundary fix chosen."""


def apply_edits(text: str, edits: Sequence[Edit], options: RewriteOptions, filename: str) -> RewriteOutcome:
    """Run the engine; a refused edit is retried with its codemod's fallback strategy (an
    ``aiofiles`` block as ``extract``, the whole ``with`` in a worker thread, then ``wrap``)."""
    from asyncify.rewrite import rewrite_with_fallbacks  # libcst: only when something is rewritten

    return rewrite_with_fallbacks(text, edits, options, filename=filename)


def run_fix(
    paths: Sequence[Path],
    config: Config,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    sources: Mapping[Path, str] | None = None,
    target: FixTarget | None = None,
) -> FixResult:
    """Plan every fix for ``paths`` and compute the rewritten texts; writes nothing.

    The findings are not explained (which helper strategies apply is ``check``'s output;
    ``fix`` decides from the configuration and phase 1 works the rest out itself).
    ``sources``: in-memory texts that replace files' contents (``run_check``); the
    rewritten texts start from them. ``target``: fix that one finding only."""
    check = run_check(
        paths, config, jobs=jobs, progress=progress, on_files=on_files, on_stage=on_stage, want_summaries=True,
        explain=False, sources=sources,
    )
    texts = {os.path.abspath(path): text for path, text in (sources or {}).items()}
    if target is not None and target.strategy.rewrites_helpers:
        config = replace(config, strategy=target.strategy)
    if on_stage is not None:
        on_stage("planning fixes")
    summaries = {s.path: s for s in check.summaries}
    project_backends = frozenset().union(*(s.backends for s in summaries.values())) if summaries else frozenset()
    files: dict[str, FileFix] = {}
    errors: list[FileError] = []
    refused: dict[int, str] = {}
    planned: dict[int, Change] = {}
    findings = check.findings
    untouched = _untouched(findings, target)
    seeds = findings
    if target is not None:  # phase 1 only for a twin or propagate target
        seeds = [f for f in findings if target.matches(f) and target.strategy.rewrites_helpers]
    structural = _structural_phase(check, seeds, summaries, project_backends, config, files, errors, texts)
    if structural.changed:
        findings = _detect(list(summaries.values()), config)
    fallback = structural.fallback
    key = 0
    passes = 0
    converged = False
    for passes in range(1, MAX_PASSES + 1):
        # The target is found by its span, which only the original text has (an added
        # import moves every line after it): the first pass fixes it, or it is refused.
        first = target if passes == 1 and not structural.changed else None
        pending = _fixable_by_file(findings, config, _refused_signatures(refused, planned), fallback, untouched, first)
        if not pending:
            converged = True
            break
        progressed = False
        for path, decided in pending.items():
            file_fix = files.get(path) or _open(path, summaries[path], project_backends, config, errors, texts)
            if file_fix is None:
                continue
            files[path] = file_fix
            changes = []
            for finding, strategy in decided:
                key += 1
                changes.append(Change(key, finding, strategy))
            planned.update((c.key, c) for c in changes)
            outcome = apply_edits(file_fix.text, [c.edit() for c in changes], file_fix.options, path)
            refused.update(outcome.refused)
            applied = [c for c in changes if c.key in outcome.applied]
            if not applied:
                continue
            progressed = True
            if passes == 1:
                file_fix.first_pass.extend(applied)
            file_fix.changes.extend(applied)
            file_fix.text = outcome.source
            summaries[path] = _rescan(file_fix, summaries[path], config)
        if not progressed:
            break
        findings = _detect(list(summaries.values()), config)
    else:
        converged = not _fixable_by_file(findings, config, _refused_signatures(refused, planned), fallback, untouched)
    left = _left(findings, {**untouched, **structural.refused, **_refused_signatures(refused, planned)}, config)
    changed = [f for f in files.values() if f.changed]
    return FixResult(check, changed, left, check.errors + errors, converged, passes, structural.stops)


@dataclass
class _StructuralResult:
    changed: bool = False
    fallback: dict[FindingKey, Strategy] = field(default_factory=dict)
    refused: dict[FindingKey, str] = field(default_factory=dict)
    stops: list[Stop] = field(default_factory=list)


def _structural_phase(
    check: CheckResult,
    findings: Sequence[Finding],
    summaries: dict[str, ModuleSummary],
    project_backends: frozenset[str],
    config: Config,
    files: dict[str, FileFix],
    errors: list[FileError],
    texts: Mapping[str, str],
) -> _StructuralResult:
    """Phase 1 for ``--strategy twin|propagate``: twins, ``async def`` and awaited calls.

    Phase 2 (the ordinary passes) then fixes the blocking calls that now sit in async
    code. Texts are read once, through the same ``FileFix`` the passes use.
    """
    seeds = structural_seeds(list(findings), config)
    if not seeds:
        return _StructuralResult()
    opened: dict[str, FileFix | None] = {}

    def read(path: str) -> str:
        if path not in opened:
            opened[path] = _open(path, summaries[path], project_backends, config, errors, texts)
        file_fix = opened[path]
        if file_fix is None:
            raise OSError(f"cannot read {path}")
        return file_fix.source.text

    from asyncify.restructure import run_structural  # libcst: only when restructuring

    stage = run_structural(check.summaries, seeds, config, read=read)
    for path, text in stage.texts.items():
        file_fix = opened[path]
        assert file_fix is not None
        file_fix.text = file_fix.base = text
        files[path] = file_fix
        summaries[path] = _rescan(file_fix, summaries[path], config)
    return _StructuralResult(bool(stage.texts), dict(stage.fallback), dict(stage.refused), list(stage.stops))


def _signature(finding: Finding) -> FindingKey:
    """What identifies a finding across passes (its position moves as the file is edited)."""
    return (finding.path, finding.function, finding.call, finding.code)


def _refused_signatures(refused: dict[int, str], planned: dict[int, Change]) -> dict[FindingKey, str]:
    return {_signature(planned[key].finding): reason for key, reason in refused.items() if key in planned}


def _untouched(findings: Sequence[Finding], target: FixTarget | None) -> dict[FindingKey, str]:
    """With a target, every other finding there was before the fix: left alone."""
    if target is None:
        return {}
    return {_signature(f): "another finding than the one chosen" for f in findings if not target.matches(f)}


def _fixable_by_file(
    findings: Sequence[Finding],
    config: Config,
    refused: dict[FindingKey, str],
    fallback: dict[FindingKey, Strategy],
    untouched: dict[FindingKey, str] | None = None,
    target: FixTarget | None = None,
) -> dict[str, list[tuple[Finding, Strategy]]]:
    """Per file, the findings a pass fixes and how; phase 1's fallbacks come first.

    ``untouched`` findings are skipped unless they are the ``target`` itself (which
    may share its signature with another call of the same function)."""
    by_file: dict[str, list[tuple[Finding, Strategy]]] = {}
    for finding in findings:
        signature = _signature(finding)
        if signature in refused:
            continue
        if target is not None and target.matches(finding) and target.strategy.per_call:
            chosen = decide(finding, replace(config, strategy=target.strategy)).strategy
            if chosen is not None:
                by_file.setdefault(finding.path, []).append((finding, chosen))
            continue
        if untouched and signature in untouched:
            continue
        strategy = fallback.get(signature)
        if strategy is None or finding.needs_loop is not None:
            strategy = decide(finding, config).strategy  # never wrap a loop-bound helper
        if strategy is not None and strategy.per_call:
            by_file.setdefault(finding.path, []).append((finding, strategy))
    return by_file


def _open(
    path: str,
    summary: ModuleSummary,
    project_backends: frozenset[str],
    config: Config,
    errors: list[FileError],
    texts: Mapping[str, str],
) -> FileFix | None:
    """The file's source (its in-memory text in ``texts`` when it has one) ready to rewrite."""
    text = texts.get(os.path.abspath(path))
    if text is not None:
        source = SourceFile(Path(path), text.encode("utf-8"), text, "utf-8", False)
    else:
        try:
            source = read_source(Path(path))
        except SourceError as error:
            errors.append(FileError(path, str(error)))
            return None
    options = rewrite_options(backend_for(summary.backends, project_backends, config), config)
    return FileFix(display=path, source=source, text=source.text, options=options)


def _rescan(file_fix: FileFix, old: ModuleSummary, config: Config) -> ModuleSummary:
    """The summary of the rewritten text, so the next pass sees what is left."""
    context = scan_context(catalogue_for(config))
    tree = parse_module(file_fix.text, filename=file_fix.display)
    return summarise_module(tree, file_fix.text, old.module, old.is_package, old.path, context)


def _detect(summaries: list[ModuleSummary], config: Config) -> list[Finding]:
    return Detector(ProjectIndex(summaries), catalogue_for(config), config).findings()


def _left(findings: Sequence[Finding], refusals: dict[FindingKey, str], config: Config) -> list[tuple[Finding, str]]:
    """Findings that remain after the last pass, each with why it was not fixed."""
    left = []
    for finding in annotate_fixable(findings, config):
        reason = finding.not_fixable or refusals.get(_signature(finding)) or "not fixed"
        left.append((finding, reason))
    return left
