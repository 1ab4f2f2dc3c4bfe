"""``fix`` in memory: check, plan, rewrite, re-check, until nothing fixable is left.

Nothing here writes a file. The result holds, per file, the original source (bytes,
encoding, BOM) and the new text, plus every change with the finding it resolves, so the
review layer can show diffs, print a patch, ask change by change, or write atomically.
Only files with edits are parsed by libcst; every other file stays as the ``ast`` scan
left it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asyncify.analysis.detect import Detector
from asyncify.analysis.index import ProjectIndex
from asyncify.api import catalogue_for, run_check, scan_context
from asyncify.config import Config
from asyncify.dependencies import DeclaredDependencies, dependency_notes, undeclared_modules
from asyncify.edits import Edit, RewriteOptions, RewriteOutcome
from asyncify.findings import Finding
from asyncify.gate import FileGate
from asyncify.mock_targets import mocked_targets
from asyncify.parsing import parse_module
from asyncify.plan import Change, annotate_fixable, backend_for, decide, rewrite_options
from asyncify.project import find_project_root
from asyncify.project_style import ProjectStyle
from asyncify.results import CheckResult, FileError
from asyncify.scan.source import SourceError, SourceFile, read_source
from asyncify.scan.summariser import summarise_module
from asyncify.scan.summary import ModuleSummary, Span
from asyncify.scan.worker import call_with_deep_stack
from asyncify.structural.model import FindingKey, Stop
from asyncify.structural.planner import structural_seeds
from asyncify.vocabulary import Strategy

MAX_PASSES = 4
FILE_LEFT_ALONE = "file left alone"


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
    pinned: dict[Span, str] = field(default_factory=dict)
    """The calls the first pass kept on the event loop's thread (``apply`` keeps them)."""
    notes: dict[int, str] = field(default_factory=dict)
    """Changes applied with another strategy than planned, and why (``RewriteOutcome.notes``)."""
    absorbed: dict[int, int] = field(default_factory=dict)
    """Changes another change made itself -> its key (``RewriteOutcome.absorbed``)."""

    @property
    def changed(self) -> bool:
        return self.text != self.source.text

    def apply(self, keys: set[int]) -> RewriteOutcome:
        """The original with only the first-pass changes in ``keys`` applied."""
        edits = [c.edit() for c in self.first_pass if c.key in keys]
        start = self.base if self.base is not None else self.source.text
        return apply_edits(start, edits, self.options, self.display, self.pinned)


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
    notes: list[str] = field(default_factory=list)
    """Lines for the summary about the project's dependencies (``asyncify.dependencies``)."""


def apply_edits(
    text: str,
    edits: Sequence[Edit],
    options: RewriteOptions,
    filename: str,
    pinned: Mapping[Span, str] | None = None,
) -> RewriteOutcome:
    """Run the engine; a refused edit is retried along its codemod's fallbacks (an
    ``aiofiles`` block as ``extract``, the whole ``with`` in a worker thread, then ``wrap``).
    ``pinned``: calls that must stay on the event loop's thread (``Detector.pinned``)."""
    from asyncify.rewrite import rewrite_with_fallbacks  # libcst: only when something is rewritten

    return rewrite_with_fallbacks(text, edits, options, filename=filename, pinned=pinned)


def _may_extract(strategy: Strategy) -> bool:
    """Whether an edit of ``strategy`` may end up moving a whole block to a thread."""
    from asyncify.codemods import registry

    codemod = registry().get(strategy)
    return codemod is not None and Strategy.EXTRACT in codemod.fallbacks


def run_fix(
    paths: Sequence[Path],
    config: Config,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> FixResult:
    """Plan every fix for ``paths`` and compute the rewritten texts; writes nothing.

    The findings are not explained (which helper strategies apply is ``check``'s output;
    ``fix`` decides from the configuration and phase 1 works the rest out itself). Each
    file is fixed on its own: a file outside the project root, a symlink to another file
    of the run, a file over the budget (``asyncify.gate``), or one whose rewrite fails
    (recursion, an internal error) is left alone with the reason, and the run goes on
    with the others.
    """
    check = run_check(
        paths, config, jobs=jobs, progress=progress, on_files=on_files, on_stage=on_stage, want_summaries=True,
        explain=False,
    )
    if on_stage is not None:
        on_stage("planning fixes")
    summaries = {s.path: s for s in check.summaries}
    project_backends = frozenset().union(*(s.backends for s in summaries.values())) if summaries else frozenset()
    root = find_project_root(paths, config.project_root)
    dependencies = DeclaredDependencies.read(root, (q for s in summaries.values() for q in s.imports.values()))
    opener = _Opener(FileGate(root, summaries, config.fix_max_bytes, config.fix_max_depth), project_backends, config)
    opener.undeclared = undeclared_modules(dependencies, config)
    opener.style = ProjectStyle.read(root)
    refused: dict[int, str] = {}
    planned: dict[int, Change] = {}
    findings = check.findings
    structural = _structural_phase(check, findings, summaries, config, opener)
    detector: Detector | None = None  # the analysis of the current texts, once made
    if structural.changed:
        detector = _detector(list(summaries.values()), config)
        findings = detector.findings()
    fallback = structural.fallback
    key = 0
    passes = 0
    converged = True
    for attempt in range(1, MAX_PASSES + 2):
        pending = _fixable_by_file(findings, config, _refused_signatures(refused, planned), fallback, opener.skipped)
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
            if any(_may_extract(c.strategy) for c in changes):  # only extract moves more than its call
                detector = detector or _detector(list(summaries.values()), config)
                pinned = detector.pinned(summaries[path])
                pinned.update((f.span, f.thread_bound) for f in findings if f.path == path and f.thread_bound)
            fixed = _fix_file(file_fix, changes, summaries[path], config, refused, opener, pinned)
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
        findings = detector.findings()
    signatures = _refused_signatures(refused, planned)
    left = _left(findings, {**structural.refused, **signatures}, opener.skipped, config)
    changed = [f for f in opener.files.values() if f.changed]
    errors = check.errors + opener.errors
    used = {str(f.options.backend) for f in changed} | {
        str(c.strategy) for f in changed for c in f.changes if c.key not in f.notes
    }
    notes = dependency_notes((n for f in changed for n in f.notes.values()), used, dependencies, config)
    notes += [m.line() for m in mocked_targets(root, structural.callees)] if root is not None else []
    return FixResult(
        check, changed, left, errors, converged, passes, structural.stops, dict(opener.skipped), root, notes
    )


class _Opener:
    """Opens each file once for fixing, or records why it is left alone (``skipped``)."""

    def __init__(self, gate: FileGate, project_backends: frozenset[str], config: Config) -> None:
        self.gate = gate
        self.project_backends = project_backends
        self.config = config
        self.files: dict[str, FileFix] = {}
        self.skipped: dict[str, str] = {}
        self.errors: list[FileError] = []
        self.undeclared: frozenset[str] = frozenset()
        self.style = ProjectStyle()

    def open(self, path: str, summary: ModuleSummary) -> FileFix | None:
        if path in self.files:
            return self.files[path]
        if path in self.skipped:
            return None
        try:
            source = read_source(Path(path))
        except SourceError as error:
            self.errors.append(FileError(path, str(error)))
            self.skipped[path] = f"cannot be read: {error}"
            return None
        reason = self.gate.refusal(path, source)
        if reason is not None:
            self.skipped[path] = reason
            return None
        options = rewrite_options(backend_for(summary.backends, self.project_backends, self.config), self.config)
        options = replace(options, undeclared=self.undeclared, style=self.style)
        self.files[path] = FileFix(display=path, source=source, text=source.text, options=options)
        return self.files[path]

    def skip(self, path: str, reason: str) -> None:
        """Leave ``path`` as the earlier passes made it; no later pass touches it."""
        self.skipped[path] = reason


def _fix_file(
    file_fix: FileFix,
    changes: list[Change],
    summary: ModuleSummary,
    config: Config,
    refused: dict[int, str],
    opener: _Opener,
    pinned: Mapping[Span, str] | None,
) -> tuple[list[Change], str, ModuleSummary] | None:
    """One pass over one file: the changes applied, the new text and its summary; ``None``
    when nothing applied. Whatever goes wrong stays with this file (see ``run_fix``)."""
    try:
        outcome = apply_edits(file_fix.text, [c.edit() for c in changes], file_fix.options, file_fix.display, pinned)
        refused.update(outcome.refused)
        file_fix.notes.update(outcome.notes)
        file_fix.absorbed.update(outcome.absorbed)
        applied = [c for c in changes if c.key in outcome.applied]
        if not applied:
            return None
        return applied, outcome.source, _rescan(outcome.source, summary, config)
    except RecursionError:
        reason = "too deeply nested to analyse after the rewrite"
    except MemoryError:
        reason = "out of memory while rewriting"
    except Exception as error:  # noqa: BLE001  (a bug in one file's fix must not stop the run)
        reason = f"internal error: {type(error).__name__}: {error}"
    refused.update((c.key, reason) for c in changes)
    opener.skip(file_fix.display, reason)
    return None


@dataclass
class _StructuralResult:
    changed: bool = False
    fallback: dict[FindingKey, Strategy] = field(default_factory=dict)
    refused: dict[FindingKey, str] = field(default_factory=dict)
    stops: list[Stop] = field(default_factory=list)
    callees: dict[tuple[str, str], str] = field(default_factory=dict)


def _structural_phase(
    check: CheckResult,
    findings: Sequence[Finding],
    summaries: dict[str, ModuleSummary],
    config: Config,
    opener: _Opener,
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
        summaries[path] = _rescan(text, summaries[path], config)
    return _StructuralResult(
        bool(stage.texts), dict(stage.fallback), dict(stage.refused), list(stage.stops), dict(stage.callees)
    )


def _signature(finding: Finding) -> FindingKey:
    """What identifies a finding across passes (its position moves as the file is edited)."""
    return (finding.path, finding.function, finding.call, finding.code)


def _refused_signatures(refused: dict[int, str], planned: dict[int, Change]) -> dict[FindingKey, str]:
    return {_signature(planned[key].finding): reason for key, reason in refused.items() if key in planned}


def _fixable_by_file(
    findings: Sequence[Finding],
    config: Config,
    refused: dict[FindingKey, str],
    fallback: dict[FindingKey, Strategy],
    skipped: dict[str, str],
) -> dict[str, list[tuple[Finding, Strategy]]]:
    """Per file, the findings a pass fixes and how; phase 1's fallbacks come first."""
    by_file: dict[str, list[tuple[Finding, Strategy]]] = {}
    for finding in findings:
        signature = _signature(finding)
        if signature in refused or finding.path in skipped:
            continue
        strategy = fallback.get(signature)
        if strategy is None or finding.needs_loop is not None or finding.thread_bound is not None:
            strategy = decide(finding, config).strategy  # never wrap a loop-bound helper
        if strategy is not None and strategy.per_call:
            by_file.setdefault(finding.path, []).append((finding, strategy))
    return by_file


def _rescan(text: str, old: ModuleSummary, config: Config) -> ModuleSummary:
    """The summary of the rewritten text, so the next pass sees what is left (deeply
    nested text is retried with a deep stack, as the scan does)."""
    context = scan_context(catalogue_for(config))

    def summarise() -> ModuleSummary:
        tree = parse_module(text, filename=old.path)
        return summarise_module(tree, text, old.module, old.is_package, old.path, context)

    try:
        return summarise()
    except RecursionError:
        return call_with_deep_stack(summarise)


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
