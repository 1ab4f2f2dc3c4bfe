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

from asyncify.analysis.detect import Detector
from asyncify.analysis.index import ProjectIndex
from asyncify.catalogue import BlockingCatalogue, load_builtin_catalogue
from asyncify.config import Config, load_config
from asyncify.discovery import discover
from asyncify.findings import Finding
from asyncify.parsing import parse_module
from asyncify.plan import annotate_fixable
from asyncify.results import CheckResult, FileError
from asyncify.scan.cache import CACHE_DIR, ResultCache, ScanCache, TreeKey, tool_fingerprint, tree_key
from asyncify.scan.modules import ModuleNamer
from asyncify.scan.result import ScanFailed, Scanned, ScanResult
from asyncify.scan.runner import display_path, scan_files
from asyncify.scan.summariser import ScanContext, summarise_module
from asyncify.scan.worker import ScanJob, scan_text
from asyncify.vocabulary import Strategy


def config_for(paths: Sequence[Path], config_file: Path | None = None) -> Config:
    """The configuration for a run over ``paths``: an explicit file, or the nearest one."""
    if config_file is not None:
        import tomllib

        from asyncify.config import ConfigError, parse_table

        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{config_file}: cannot read configuration: {error}") from None
        return parse_table(data.get("tool", {}).get("asyncify", {}), config_file)
    start = paths[0] if paths else Path.cwd()
    return load_config(start)


def catalogue_for(config: Config) -> BlockingCatalogue:
    """The built-in catalogue plus the user's ``extra-blocking-calls``."""
    catalogue = load_builtin_catalogue()
    if config.extra_blocking_calls:
        catalogue = catalogue.extended(list(config.extra_blocking_calls))
    return catalogue


def scan_context(catalogue: BlockingCatalogue) -> ScanContext:
    entries = catalogue.entries()
    names = frozenset(entry.name for entry in entries)
    lazy = frozenset(entry.name for entry in entries if Strategy.COLLECT in entry.strategies)
    return ScanContext(blocking=names, guess_methods=catalogue.guess_methods, lazy=lazy)


def cache_directory(paths: Sequence[Path], config: Config) -> Path:
    """``.asyncify_cache`` beside the configuration, else in the first directory given."""
    if config.root is not None:
        return config.root / CACHE_DIR
    first = paths[0] if paths else Path.cwd()
    base = first if first.is_dir() else first.parent
    return base / CACHE_DIR


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

    With the cache on and an unchanged tree (same files, sizes, mtimes, configuration)
    the previous result is returned after one ``stat`` per file; ``want_summaries``
    (``fix`` needs them) skips that shortcut. ``explain``: work out which helper
    strategies apply to each indirect finding (``strategies``, ``strategy_notes``), which
    builds the project's call graph; ``fix`` and outputs that show neither skip it.
    ``on_files(total)`` is called once the files are known, ``progress(done)`` while
    they are scanned, and ``on_stage(name)`` when a later stage starts.

    ``report_only``: report findings and errors of these files only; the analysis still
    covers every file under ``paths``. ``sources``: text that replaces a file's content
    on disk (an editor's unsaved buffer); it is analysed, never cached, and applies only
    to files that discovery lists under ``paths``.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    discovery = discover(paths, config)
    errors = [FileError(path, message) for path, message in discovery.errors]
    timings["discover"] = time.perf_counter() - started
    if on_files is not None:
        on_files(len(discovery.files))

    started = time.perf_counter()
    catalogue = catalogue_for(config)
    fingerprint = f"{tool_fingerprint()}|{catalogue.fingerprint()}|{os.getcwd()}"
    directory = cache_directory(paths, config)
    results_cache, key = None, TreeKey("", racy=True)
    if config.cache and not want_summaries and not sources:
        namer = ModuleNamer()
        key = tree_key([(os.path.abspath(p), namer.name(p)[0]) for p in discovery.files])
        given = sorted(os.path.abspath(p) for p in paths)
        if report_only is not None:
            given.append(f"report_only={sorted(os.path.abspath(p) for p in report_only)}")
        results_cache = ResultCache(directory, f"{fingerprint}|{config!r}|{given}|{explain}")
        hit = results_cache.load(key.digest)
        if isinstance(hit, tuple) and len(hit) == 2:
            timings["scan"] = time.perf_counter() - started
            return CheckResult(list(hit[0]), errors + list(hit[1]), len(discovery.files), timings)
    cache = None
    if config.cache:
        cache = ScanCache(directory, fingerprint)
        cache.load()
    results = scan_files(discovery.files, scan_context(catalogue), jobs=jobs, cache=cache, progress=progress)
    if sources:
        results = _with_sources(discovery.files, results, sources, scan_context(catalogue))
    summaries = [r.summary for r in results if isinstance(r, Scanned)]
    scan_errors = [FileError(r.path, r.message) for r in results if isinstance(r, ScanFailed)]
    timings["scan"] = time.perf_counter() - started

    started = time.perf_counter()
    if on_stage is not None:
        on_stage("analysing")
    detector = Detector(ProjectIndex(summaries), catalogue, config)
    if report_only is None:
        findings = detector.findings()
    else:  # the whole project's index, but only the reported modules' findings
        reported = {os.path.abspath(p) for p in report_only}
        kept = [s for s in summaries if os.path.abspath(s.path) in reported]
        findings = sorted((f for s in kept for f in detector.module_findings(s)), key=Finding.sort_key)
        errors = [e for e in errors if os.path.abspath(e.path) in reported]
        scan_errors = [e for e in scan_errors if os.path.abspath(e.path) in reported]
    if explain and any(f.is_indirect for f in findings):
        from asyncify.structural.explain import annotate_strategies  # reads sources: only when needed

        if on_stage is not None:
            on_stage("explaining helper strategies")
        explaining = time.perf_counter()
        findings = annotate_strategies(findings, summaries, config, detector.blocking, _reader(sources))
        timings["explain"] = time.perf_counter() - explaining
    findings = annotate_fixable(findings, config)
    timings["analyse"] = time.perf_counter() - started
    if results_cache is not None and not key.racy:
        results_cache.save(key.digest, (findings, scan_errors))
    return CheckResult(findings, errors + scan_errors, len(discovery.files), timings, summaries)


def _with_sources(
    files: Sequence[Path], results: list[ScanResult], sources: Mapping[Path, str], context: ScanContext
) -> list[ScanResult]:
    """``results`` with each file that has an in-memory text scanned from that text.

    The file's own content was scanned (and cached) as usual first, so the cache keeps
    describing the disk and a later run without the text finds it fresh."""
    texts = {os.path.abspath(path): text for path, text in sources.items()}
    cwd = os.getcwd()
    namer = ModuleNamer()
    out = list(results)
    for index, path in enumerate(files):
        text = texts.get(os.path.abspath(path))
        if text is not None:
            module, is_package = namer.name(path)
            job = ScanJob(os.path.abspath(path), display_path(path, cwd), module, is_package)
            out[index] = scan_text(text, job, context)
    return out


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
    config = config or Config(cache=False)
    catalogue = catalogue_for(config)
    tree = parse_module(source, filename=filename)
    module = Path(filename).stem if filename.endswith(".py") else "__main__"
    summary = summarise_module(tree, source, module, False, filename, scan_context(catalogue))
    return Detector(ProjectIndex([summary]), catalogue, config).findings()
