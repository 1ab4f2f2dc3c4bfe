"""The library API the CLI is a thin shell over: discover -> scan -> analyse -> findings.

Everything here takes explicit arguments and returns plain results; nothing prints, and
nothing raises for a bad *file* (those become ``FileError`` entries). Bad configuration
raises ``ConfigError``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
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
from asyncify.scan.result import ScanFailed, Scanned
from asyncify.scan.runner import scan_files
from asyncify.scan.summariser import ScanContext, summarise_module
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
) -> CheckResult:
    """Check ``paths``: every blocking call on the event loop, direct and indirect.

    With the cache on and an unchanged tree (same files, sizes, mtimes, configuration)
    the previous result is returned after one ``stat`` per file; ``want_summaries``
    (``fix`` needs them) skips that shortcut. ``explain``: work out which helper
    strategies apply to each indirect finding (``strategies``, ``strategy_notes``), which
    builds the project's call graph; ``fix`` and outputs that show neither skip it.
    ``on_files(total)`` is called once the files are known, ``progress(done)`` while
    they are scanned, and ``on_stage(name)`` when a later stage starts.
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
    if config.cache and not want_summaries:
        namer = ModuleNamer()
        key = tree_key([(os.path.abspath(p), namer.name(p)[0]) for p in discovery.files])
        given = sorted(os.path.abspath(p) for p in paths)
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
    summaries = [r.summary for r in results if isinstance(r, Scanned)]
    scan_errors = [FileError(r.path, r.message) for r in results if isinstance(r, ScanFailed)]
    timings["scan"] = time.perf_counter() - started

    started = time.perf_counter()
    if on_stage is not None:
        on_stage("analysing")
    detector = Detector(ProjectIndex(summaries), catalogue, config)
    findings = detector.findings()
    if explain and any(f.is_indirect for f in findings):
        from asyncify.structural.explain import annotate_strategies  # reads sources: only when needed

        if on_stage is not None:
            on_stage("explaining helper strategies")
        explaining = time.perf_counter()
        findings = annotate_strategies(findings, summaries, config, detector.blocking)
        timings["explain"] = time.perf_counter() - explaining
    findings = annotate_fixable(findings, config)
    timings["analyse"] = time.perf_counter() - started
    if results_cache is not None and not key.racy:
        results_cache.save(key.digest, (findings, scan_errors))
    return CheckResult(findings, errors + scan_errors, len(discovery.files), timings, summaries)


def findings_for_source(source: str, filename: str = "<string>", config: Config | None = None) -> list[Finding]:
    """Findings of one module's text on its own (the standalone codemods use this)."""
    config = config or Config(cache=False)
    catalogue = catalogue_for(config)
    tree = parse_module(source, filename=filename)
    module = Path(filename).stem if filename.endswith(".py") else "__main__"
    summary = summarise_module(tree, source, module, False, filename, scan_context(catalogue))
    return Detector(ProjectIndex([summary]), catalogue, config).findings()
