"""``fix`` in memory: check, plan, rewrite, re-check, until nothing fixable is left.

Nothing here writes a file. The result holds, per file, the original source (bytes,
encoding, BOM) and the new text, plus every change with the finding it resolves, so the
review layer can show diffs, print a patch, ask change by change, or write atomically.
Only files with edits are parsed by libcst; every other file stays as the ``ast`` scan
left it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asyncify.analysis.detect import Detector
from asyncify.analysis.index import ProjectIndex
from asyncify.api import catalogue_for, run_check
from asyncify.config import Config
from asyncify.dependencies import DeclaredDependencies, dependency_notes, undeclared_modules
from asyncify.findings import Finding
from asyncify.fix_files import FileFix, FileOpener, current_text, fix_file_pass, may_extract, rescan
from asyncify.gate import FileGate
from asyncify.mock_targets import mocked_targets
from asyncify.plan import Change, annotate_fixable, decide
from asyncify.project import find_project_root
from asyncify.project_style import ProjectStyle
from asyncify.results import CheckResult, FileError
from asyncify.scan.summary import ModuleSummary
from asyncify.selection import ReportFilter
from asyncify.structural.model import Component, FindingKey, Stop
from asyncify.structural.planner import structural_seeds
from asyncify.vocabulary import Strategy

MAX_PASSES = 4
FILE_LEFT_ALONE = "file left alone"

FindingsExtension = Callable[[Sequence[Finding], Mapping[str, ModuleSummary], Callable[[str], str]], list[Finding]]
"""Adds findings to each pass's (``fix --runtime``: the AFY300 call sites of a run-time
report); gets the summaries and each file's current text, rewritten or on disk."""


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
    skipped: dict[str, str] = field(default_factory=dict)
    """Files ``fix`` left alone (outside the root, a symlink, over budget, failed): why."""
    root: Path | None = None
    """The project root: nothing outside it may be written."""
    outside: list[str] = field(default_factory=list)
    """Files a twin or propagation must change that are not among the files named
    (``report_only``): a run that did not allow it must not write them."""
    notes: list[str] = field(default_factory=list)
    """Lines for the summary about the project's dependencies (``asyncify.dependencies``)."""
    components: list[Component] = field(default_factory=list)
    """Phase 1's components, each applied whole or not at all (``fix -i`` asks about each)."""
    mocked: dict[str, str] = field(default_factory=dict)
    """Test files ``--update-mocks`` rewrote -> their text before (``fix -i`` asks about each)."""


def run_fix(
    paths: Sequence[Path],
    config: Config,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    extend: FindingsExtension | None = None,
    report_only: Sequence[Path] | None = None,
    allow_outside: bool = False,
    sources: Mapping[Path, str] | None = None,
    target: FixTarget | None = None,
    withheld: Collection[FindingKey] = (),
    update_mocks: bool = False,
    kept_mocks: Collection[str] = (),
) -> FixResult:
    """Plan every fix for ``paths`` and compute the rewritten texts; writes nothing.

    The findings are not explained (which helper strategies apply is ``check``'s output;
    ``fix`` decides from the configuration and phase 1 works the rest out itself). Each
    file is fixed on its own: a file outside the project root, a symlink to another file
    of the run, a file over the budget (``asyncify.gate``), or one whose rewrite fails
    (recursion, an internal error) is left alone with the reason, and the run goes on
    with the others. ``report_only``: fix only the findings in these files, planned with
    the whole index of ``paths``; files a twin or propagation must change beyond them are
    listed in ``outside`` and, with ``allow_outside``, fixed like named ones.
    ``sources``: in-memory texts that replace files' contents (``run_check``); the
    rewritten texts start from them. ``target``: fix that one finding only.
    ``withheld``: findings that must not seed phase 1 (``fix -i``: the components the
    user rejected), so the run is the one it would be without those components.
    ``update_mocks``: rewrite the tests that mock what phase 1 changed
    (``asyncify.mock_updates``) instead of only listing them, before the passes (the
    tests' own blocking calls are then planned against the updated text); ``kept_mocks``:
    test files whose mocks stay as they are (``fix -i``: the updates the user rejected).
    """
    check = run_check(
        paths,
        config,
        jobs=jobs,
        progress=progress,
        on_files=on_files,
        on_stage=on_stage,
        want_summaries=True,
        explain=False,
        report_only=report_only,
        sources=sources,
    )
    only = ReportFilter(report_only) if report_only is not None else None
    texts = {os.path.abspath(path): text for path, text in (sources or {}).items()}
    if target is not None and target.strategy.rewrites_helpers:
        config = replace(config, strategy=target.strategy)
    if on_stage is not None:
        on_stage("planning fixes")
    summaries = {s.path: s for s in check.summaries}
    project_backends = frozenset().union(*(s.backends for s in summaries.values())) if summaries else frozenset()
    root = find_project_root(paths, config.project_root)
    dependencies = DeclaredDependencies.read(root, (q for s in summaries.values() for q in s.imports.values()))
    gate = FileGate(root, summaries, config.fix_max_bytes, config.fix_max_depth, only.covers if only else None)
    opener = FileOpener(gate, project_backends, config, texts)
    chosen = replace(config, strategy=target.strategy) if target is not None else config  # a chosen action forces
    opener.undeclared = undeclared_modules(dependencies, chosen)
    opener.style = ProjectStyle.read(root)

    def extended(found: list[Finding]) -> list[Finding]:
        """``found`` plus what ``extend`` adds (``fix --runtime``), read in this run's texts."""
        return extend(found, summaries, lambda path: current_text(path, opener.files)) if extend else found

    refused: dict[int, str] = {}
    planned: dict[int, Change] = {}
    findings = extended(check.findings)
    untouched = _untouched(findings, target)
    seeds = findings
    if target is not None:  # phase 1 only for a twin or propagate target
        seeds = [f for f in findings if target.matches(f) and target.strategy.rewrites_helpers]
    seeds = [f for f in seeds if _signature(f) not in withheld] if withheld else seeds
    structural = _structural_phase(check, seeds, summaries, config, opener)
    mock_notes, mocked, rescanned = _mock_phase(root, structural, opener, summaries, config, update_mocks, kept_mocks)
    rescanned = rescanned or structural.changed
    # phase 1's files beyond those named (--update-mocks is the permission to change tests)
    outside = sorted(
        path
        for path, opened in opener.files.items()
        if only is not None and opened.changed and not only.covers(path) and str(opened.source.path) not in mocked
    )
    if only is not None and allow_outside and outside:
        only = ReportFilter([*(report_only or []), *(Path(path) for path in outside)])
    detector: Detector | None = None  # the analysis of the current texts, once made
    if rescanned:
        detector = _detector(list(summaries.values()), config)
        findings = extended(_findings(detector, only))
    fallback = structural.fallback
    key = 0
    passes = 0
    converged = True
    for attempt in range(1, MAX_PASSES + 2):
        # The target is found by its span, which only the original text has (an added
        # import moves every line after it): the first pass fixes it, or it is refused.
        first = target if attempt == 1 and not structural.changed else None
        signatures = _refused_signatures(refused, planned)
        pending = _fixable_by_file(findings, config, signatures, fallback, opener.skipped, untouched, first)
        if not pending:
            break
        trial = attempt > MAX_PASSES  # only to learn whether another pass would change something
        progressed = False
        for path, decided in pending.items():
            file_fix = opener.open(path, summaries[path])
            if file_fix is None:
                continue
            changes = []
            for finding, strategy in decided:
                key += 1
                changes.append(Change(key, finding, strategy))
            planned.update((c.key, c) for c in changes)
            pinned = None
            # extract moves a whole block to a thread, wrap a chain of calls and their arguments
            if len(changes) > 1 or any(may_extract(c.strategy) for c in changes):
                detector = detector or _detector(list(summaries.values()), config)
                pinned = detector.pinned(summaries[path])
                pinned.update((f.span, f.thread_bound) for f in findings if f.path == path and f.thread_bound)
            fixed = fix_file_pass(file_fix, changes, summaries[path], config, refused, opener, pinned)
            if fixed is None:
                continue
            progressed = True
            if trial:
                break
            applied, text, summary = fixed
            if attempt == 1:
                file_fix.first_pass.extend(applied)
                file_fix.pinned = dict(pinned or {})
            file_fix.changes.extend(applied)
            file_fix.text = text
            summaries[path] = summary
        if trial:
            converged = not progressed
            break
        if not progressed:
            break
        passes = attempt
        detector = _detector(list(summaries.values()), config)
        findings = extended(_findings(detector, only))
    signatures = _refused_signatures(refused, planned)
    left = _left(findings, {**untouched, **structural.refused, **signatures}, opener.skipped, config)
    changed = [f for f in opener.files.values() if f.changed]
    errors = check.errors + opener.errors
    used = {str(f.options.backend) for f in changed} | {
        str(c.strategy) for f in changed for c in f.changes if c.key not in f.notes
    }
    notes = dependency_notes((n for f in changed for n in f.notes.values()), used, dependencies, config)
    notes += mock_notes
    return FixResult(
        check,
        changed,
        left,
        errors,
        converged,
        passes,
        structural.stops,
        dict(opener.skipped),
        root,
        outside,
        notes,
        structural.components,
        mocked,
    )


def _mock_phase(
    root: Path | None,
    structural: _StructuralResult,
    opener: FileOpener,
    summaries: dict[str, ModuleSummary],
    config: Config,
    update_mocks: bool,
    kept: Collection[str],
) -> tuple[list[str], dict[str, str], bool]:
    """The tests that mock what phase 1 changed: rewritten (``--update-mocks``, right
    after phase 1, the rewritten files re-scanned so the passes plan against them) or
    listed. Returns the summary's lines, the rewritten files' texts before, and whether
    a summary was re-scanned."""
    if root is None:
        return [], {}, False
    if not update_mocks:
        return [m.line() for m in mocked_targets(root, structural.callees)], {}, False
    from asyncify.mock_updates import update_test_mocks  # libcst: only when asked

    mocks = update_test_mocks(root, structural.callees, structural.twins, opener, summaries, kept)
    rescanned = False
    for path, test_fix in opener.files.items():
        if str(test_fix.source.path) in mocks.before and path in summaries:
            summaries[path] = rescan(test_fix.text, summaries[path], config)
            rescanned = True
    return mocks.notes, mocks.before, rescanned


@dataclass
class _StructuralResult:
    changed: bool = False
    fallback: dict[FindingKey, Strategy] = field(default_factory=dict)
    refused: dict[FindingKey, str] = field(default_factory=dict)
    stops: list[Stop] = field(default_factory=list)
    callees: dict[tuple[str, str], str] = field(default_factory=dict)
    components: list[Component] = field(default_factory=list)
    twins: set[tuple[str, str]] = field(default_factory=set)


def _structural_phase(
    check: CheckResult,
    findings: Sequence[Finding],
    summaries: dict[str, ModuleSummary],
    config: Config,
    opener: FileOpener,
) -> _StructuralResult:
    """Phase 1 for ``--strategy twin|propagate``: twins, ``async def`` and awaited calls.

    Phase 2 (the ordinary passes) then fixes the blocking calls that now sit in async
    code. Texts are read once, through the same ``FileFix`` the passes use; a file that
    may not be rewritten (``asyncify.gate``) cannot be read here, so every component
    that would change it is dropped whole.
    """
    seeds = structural_seeds(list(findings), config)
    if not seeds:
        return _StructuralResult()

    def read(path: str) -> str:
        file_fix = opener.open(path, summaries[path])
        if file_fix is None:
            raise OSError(f"{path}: {opener.skipped.get(path, 'cannot be read')}")
        return file_fix.source.text

    from asyncify.restructure import run_structural  # libcst: only when restructuring

    try:
        stage = run_structural(check.summaries, seeds, config, read=read, line_length=opener.style.line_length)
    except (RecursionError, MemoryError) as error:
        reason = f"twin/propagate not applied: {type(error).__name__} while restructuring"
        return _StructuralResult(refused={_signature(f): reason for f in seeds})
    for path, text in stage.texts.items():
        file_fix = opener.files[path]
        file_fix.text = file_fix.base = text
        file_fix.origins.append(f"--strategy {config.strategy}: twins, async defs and the calls that await them")
        summaries[path] = rescan(text, summaries[path], config)
    return _StructuralResult(
        bool(stage.texts),
        dict(stage.fallback),
        dict(stage.refused),
        list(stage.stops),
        dict(stage.callees),
        list(stage.components),
        set(stage.twins),
    )


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
    skipped: dict[str, str],
    untouched: dict[FindingKey, str] | None = None,
    target: FixTarget | None = None,
) -> dict[str, list[tuple[Finding, Strategy]]]:
    """Per file, the findings a pass fixes and how; phase 1's fallbacks come first.

    ``untouched`` findings are skipped unless they are the ``target`` itself (which
    may share its signature with another call of the same function)."""
    by_file: dict[str, list[tuple[Finding, Strategy]]] = {}
    for finding in findings:
        signature = _signature(finding)
        if signature in refused or finding.path in skipped:
            continue
        if target is not None and target.matches(finding) and target.strategy.per_call:
            chosen = decide(finding, replace(config, strategy=target.strategy)).strategy
            if chosen is not None:
                by_file.setdefault(finding.path, []).append((finding, chosen))
            continue
        if untouched and signature in untouched:
            continue
        strategy = fallback.get(signature)
        if strategy is None or finding.needs_loop is not None or finding.thread_bound is not None:
            strategy = decide(finding, config).strategy  # never wrap a loop-bound helper
        if strategy is not None and strategy.per_call:
            by_file.setdefault(finding.path, []).append((finding, strategy))
    return by_file


def _findings(detector: Detector, only: ReportFilter | None) -> list[Finding]:
    """The findings of the project, or of the files ``only`` covers."""
    chosen = None if only is None else [s for s in detector.index.summaries if only.covers(s.path)]
    return detector.findings(chosen)


def _detector(summaries: list[ModuleSummary], config: Config) -> Detector:
    return Detector(ProjectIndex(summaries), catalogue_for(config), config)


def _left(
    findings: Sequence[Finding], refusals: dict[FindingKey, str], skipped: dict[str, str], config: Config
) -> list[tuple[Finding, str]]:
    """Findings that remain after the last pass, each with why it was not fixed."""
    left = []
    for finding in annotate_fixable(findings, config):
        reason = skipped.get(finding.path)
        reason = reason and f"{FILE_LEFT_ALONE}: {reason}"
        reason = reason or finding.not_fixable or refusals.get(_signature(finding)) or "not fixed"
        left.append((finding, reason))
    return left
