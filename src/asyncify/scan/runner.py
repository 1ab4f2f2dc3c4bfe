"""Scan many files: cache first, then a process pool for the rest (serial for a few)."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from asyncify.scan.cache import CacheEntry, ScanCache
from asyncify.scan.modules import ModuleNamer
from asyncify.scan.result import ScanFailed, ScanResult
from asyncify.scan.summariser import ScanContext
from asyncify.scan.worker import ScanJob, scan_batch

_BATCH = 64
_SERIAL_BELOW = 16
Progress = Callable[[int], None]


def display_path(path: Path, cwd: str) -> str:
    """Relative to the current directory when under it, with forward slashes."""
    absolute = os.path.abspath(path)
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        absolute = os.path.relpath(absolute, cwd)
    return absolute.replace(os.sep, "/")


def scan_files(
    files: Sequence[Path],
    context: ScanContext,
    *,
    jobs: int | None = None,
    cache: ScanCache | None = None,
    progress: Progress | None = None,
) -> list[ScanResult]:
    """Results in the order of ``files``; never raises for a bad file."""
    cwd = os.getcwd()
    namer = ModuleNamer()
    results: list[ScanResult | None] = [None] * len(files)
    pending: list[tuple[int, ScanJob]] = []
    for index, path in enumerate(files):
        module, is_package = namer.name(path)
        job = ScanJob(os.path.abspath(path), display_path(path, cwd), module, is_package)
        cached = _from_cache(cache, job)
        if cached is not None:
            results[index] = cached
        else:
            pending.append((index, job))
    if progress is not None and len(files) > len(pending):
        progress(len(files) - len(pending))
    for (index, job), (blob, digest) in zip(pending, _run(pending, context, jobs, progress)):
        results[index] = pickle.loads(blob)
        if cache is not None and digest:
            try:
                stat = os.stat(job.path)
            except OSError:
                continue
            cache.put(job.path, CacheEntry(stat.st_size, stat.st_mtime_ns, digest, job.module, blob))
    if cache is not None:
        cache.retain({os.path.abspath(p) for p in files})
        cache.save()
    return [r if r is not None else ScanFailed(str(files[i]), "not scanned") for i, r in enumerate(results)]


def _from_cache(cache: ScanCache | None, job: ScanJob) -> ScanResult | None:
    if cache is None:
        return None
    try:
        stat = os.stat(job.path)
    except OSError:
        return None
    entry = cache.get(job.path, stat, job.module)
    if entry is None and job.path in cache.entries:
        try:
            with open(job.path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
        except OSError:
            return None
        entry = cache.get_by_digest(job.path, digest, job.module)
        if entry is not None:
            cache.put(job.path, CacheEntry(stat.st_size, stat.st_mtime_ns, digest, job.module, entry.blob))
    return entry.result() if entry is not None else None


def _run(
    pending: list[tuple[int, ScanJob]], context: ScanContext, jobs: int | None, progress: Progress | None
) -> list[tuple[bytes, str]]:
    work = [job for _, job in pending]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(work) < _SERIAL_BELOW:
        out = []
        for job in work:
            out.extend(scan_batch([job], context))
            if progress is not None:
                progress(1)
        return out
    batches = [work[i : i + _BATCH] for i in range(0, len(work), _BATCH)]
    out = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch, results in zip(batches, pool.map(scan_batch, batches, [context] * len(batches))):
            out.extend(results)
            if progress is not None:
                progress(len(batch))
    return out
