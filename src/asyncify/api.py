"""The library API the CLI is a thin shell over: discover -> scan -> analyse -> findings.

Everything here takes explicit arguments and returns plain results; nothing prints, and
nothing raises for a bad *file* (those become ``FileError`` entries). Bad configuration
raises ``ConfigError``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from asyncify.catalogue import BlockingCatalogue, load_builtin_catalogue
from asyncify.config import Config, load_config, read_config_file
from asyncify.discovery import discover
from asyncify.project import find_project_root
from asyncify.results import CheckResult, FileError
from asyncify.scan.cache import CACHE_DIR, ResultCache, ScanCache, TreeKey, tool_fingerprint, tree_key
from asyncify.scan.context import ScanContext
from asyncify.scan.modules import ModuleNamer, display_path
from asyncify.scan.source import SourceError, read_source
from asyncify.selection import ReportFilter
from asyncify.vocabulary import Strategy

if TYPE_CHECKING:
    from asyncify.findings import Finding
    from asyncify.scan.result import ScanResult

# The scanner, the analysis and the planner are imported where a run needs them: a
# check answered from the result cache (an unchanged tree) uses none of them.


def config_for(paths: Sequence[Path], config_file: Path | None = None, project_root: Path | None = None) -> Config:
    """The configuration for a run over ``paths``: an explicit file, or the nearest one
    up to the project root (``asyncify.project``), which the result carries."""
    root = find_project_root(paths, project_root)
    if config_file is not None:
        config = read_config_file(config_file)
    else:
        config = load_config(paths[0] if paths else Path.cwd(), root)
    return config.with_overrides(project_root=root)


def catalogue_for(config: Config) -> BlockingCatalogue:
    """The built-in catalogue plus the user's ``extra-blocking-calls`` and ``extra-blocking-classes``."""
    catalogue = load_builtin_catalogue()
    if config.extra_blocking_calls or config.extra_blocking_classes:
        catalogue = catalogue.extended(list(config.extra_blocking_calls), list(config.extra_blocking_classes))
    return catalogue


def scan_context(catalogue: BlockingCatalogue) -> ScanContext:
    entries = catalogue.entries()
    names = frozenset(entry.name for entry in entries)
    lazy = frozenset(entry.name for entry in entries if Strategy.COLLECT in entry.strategies)
    return ScanContext(
        blocking=names,
        guess_methods=catalogue.guess_methods,
        lazy=lazy,
        objects=catalogue.class_names,
        returns=catalogue.returns,
        items=catalogue.items,
        attributes=catalogue.attributes,
        subresources=catalogue.subresources,
        properties=catalogue.properties,
    )


def cache_directory(paths: Sequence[Path], config: Config) -> Path:
    """``.asyncify_cache`` in the project root: never above it."""
    return find_project_root(paths, config.project_root) / CACHE_DIR


def run_check(
    paths: Sequence[Path],
    config: Config,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    want_summaries: bool = False,
    explain: bool = True,
    report_only: Sequence[Path] | None = None,
    sources: Mapping[Path, str] | None = None,
) -> CheckResult:
    """Check ``paths``: every blocking call on the event loop, direct and indirect.

    ``paths`` is what is analysed (the project); ``report_only`` restricts the findings
    and file errors returned to these files (or the files under these directories), while
    the analysis still covers ``paths``. ``sources`` holds text that replaces a file's
    contents on disk (an editor's unsaved buffer; the file need not exist); it is scanned
    in this process and never cached as the file's disk version.

    With the cache on and an unchanged tree (same files, sizes, mtimes, configuration)
    the previous result is returned after one ``stat`` per file; ``want_summaries``
    (``fix`` needs them) and ``sources`` skip that shortcut. ``explain``: work out which
    helper strategies apply to each reported indirect finding (``strategies``,
    ``strategy_notes``), which builds the project's call graph; ``fix`` and outputs that
    show neither skip it. ``on_files(total)`` is called once the files are known,
    ``progress(done)`` while they are scanned, and ``on_stage(name)`` when a later stage
    starts.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    only = ReportFilter(report_only) if report_only is not None else None
    texts = {_normalised(path): text for path, text in (sources or {}).items() if not _same_as_disk(path, text)}
    discovery = discover(paths, config)
    files = list(discovery.files)
    errors = [FileError(p, message) for p, message in discovery.errors]
    if texts:
        known = {_normalised(p) for p in files}
        files += [Path(display_path(Path(a), os.getcwd())) for a in sorted(texts) if a not in known]
        errors = [e for e in errors if _normalised(e.path) not in texts]
    timings["discover"] = time.perf_counter() - started
    reported_files = len(files) if only is None else sum(1 for f in files if only.covers(f))
    if on_files is not None:
        on_files(len(files))

    started = time.perf_counter()
    catalogue = catalogue_for(config)
    fingerprint = f"{tool_fingerprint()}|{catalogue.fingerprint()}|{os.getcwd()}"
    directory = cache_directory(paths, config)
    results_cache, key = None, TreeKey("", racy=True)
    if config.cache and not want_summaries and not texts:
        namer = ModuleNamer()
        key = tree_key([(os.path.abspath(p), namer.name(p)[0]) for p in files])
        # The directories given name the tree (files named beside them lie in it, and the
        # tree key covers the file set), so ``check FILE`` finds ``check .``'s result.
        given = sorted(os.path.abspath(p) for p in paths if os.path.isdir(p)) or sorted(map(os.path.abspath, paths))
        results_cache = ResultCache(directory, f"{fingerprint}|{config!r}|{given}|{explain}")
        hit = results_cache.load(key.digest)
        if isinstance(hit, tuple) and len(hit) == 2:
            timings["scan"] = time.perf_counter() - started
            found, failed = list(hit[0]), errors + list(hit[1])
            if only is not None:
                found = [f for f in found if only.covers(f.path)]
                failed = [e for e in failed if only.covers(e.path)]
            return CheckResult(found, failed, reported_files, timings, leftovers=discovery.leftovers)
    from asyncify.analysis.detect import Detector
    from asyncify.analysis.index import ProjectIndex
    from asyncify.plan import annotate_fixable
    from asyncify.scan.result import ScanFailed, Scanned
    from asyncify.scan.runner import scan_files

    cache = None
    if config.cache:
        cache = ScanCache(directory, fingerprint)
        cache.load()
    context = scan_context(catalogue)
    in_memory = [f for f in files if _normalised(f) in texts] if texts else []
    on_disk = [f for f in files if _normalised(f) not in texts] if texts else files
    results = scan_files(on_disk, context, jobs=jobs, cache=cache, progress=progress, keep=in_memory)
    results += [_scan_source(f, texts, context) for f in in_memory]
    summaries = [r.summary for r in results if isinstance(r, Scanned)]
    scan_errors = [FileError(r.path, r.message) for r in results if isinstance(r, ScanFailed)]
    timings["scan"] = time.perf_counter() - started

    started = time.perf_counter()
    if on_stage is not None:
        on_stage("analysing")
    detector = Detector(ProjectIndex(summaries), catalogue, config)
    # With a result worth saving, everything is worked out (explaining all findings costs
    # little more than one: the project's call tables dominate) and saved, so the next
    # run over any files of this unchanged tree only stats it.
    saving = results_cache is not None and not key.racy
    if only is None or saving:
        findings = detector.findings()
    else:
        findings = detector.findings([s for s in detector.index.summaries if only.covers(s.path)])
    if explain and any(f.is_indirect for f in findings):
        from asyncify.structural.explain import annotate_strategies  # reads sources: only when needed

        if on_stage is not None:
            on_stage("explaining helper strategies")
        explaining = time.perf_counter()
        findings = annotate_strategies(findings, summaries, config, detector.blocking, _reader(sources))
        timings["explain"] = time.perf_counter() - explaining
    findings = annotate_fixable(findings, config)
    timings["analyse"] = time.perf_counter() - started
    if results_cache is not None and saving:
        results_cache.save(key.digest, (findings, scan_errors))
    if only is not None:
        findings = [f for f in findings if only.covers(f.path)]
        errors = [e for e in errors if only.covers(e.path)]
        scan_errors = [e for e in scan_errors if only.covers(e.path)]
    return CheckResult(findings, errors + scan_errors, reported_files, timings, summaries, discovery.leftovers)


def _scan_source(path: Path, texts: Mapping[str, str], context: ScanContext) -> ScanResult:
    """A file whose text was given in memory, scanned in this process."""
    from asyncify.scan.worker import ScanJob, scan_text

    module, is_package = ModuleNamer().name(path)
    job = ScanJob(os.path.abspath(path), display_path(path, os.getcwd()), module, is_package)
    return scan_text(texts[_normalised(path)], job, context)


def _same_as_disk(path: Path, text: str) -> bool:
    """An editor's buffer that matches the file (just saved): the disk version, cached."""
    try:
        return read_source(path).text == text
    except SourceError:
        return False


def _normalised(path: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.abspath(path))


def _reader(sources: Mapping[Path, str] | None) -> Callable[[str], str] | None:
    """A module's text by path: the in-memory text when there is one, else the disk's."""
    if not sources:
        return None
    from asyncify.structural.context import read_text

    texts = {os.path.abspath(path): text for path, text in sources.items()}

    def read(path: str) -> str:
        text = texts.get(os.path.abspath(path))
        return text if text is not None else read_text(path)

    return read


def findings_for_source(source: str, filename: str = "<string>", config: Config | None = None) -> list[Finding]:
    """Findings of one module's text on its own (the standalone codemods use this)."""
    from asyncify.analysis.detect import Detector
    from asyncify.analysis.index import ProjectIndex
    from asyncify.parsing import parse_module
    from asyncify.scan.summariser import summarise_module

    config = config or Config(cache=False)
    catalogue = catalogue_for(config)
    tree = parse_module(source, filename=filename)
    module = Path(filename).stem if filename.endswith(".py") else "__main__"
    summary = summarise_module(tree, source, module, False, filename, scan_context(catalogue))
    return Detector(ProjectIndex([summary]), catalogue, config).findings()
