"""Scan many files: cache first, then a process pool for the rest (serial for a few).

Workers send each result encoded once (``ScanOutput.blob``, see ``codec``); the parent
decodes it as it arrives, while the workers go on, and the cache keeps the same bytes. Decoding makes
a few million small tuples with no reference cycles, so the cyclic garbage collector is
paused meanwhile (its collections would otherwise cost more than the decoding) and the
summaries are moved out of its reach afterwards (``gc.freeze``): the analysis that
follows allocates a lot, and each full collection would walk them all again.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from asyncify.scan.cache import CacheEntry, ScanCache
from asyncify.scan.codec import decode
from asyncify.scan.context import ScanContext
from asyncify.scan.modules import ModuleNamer, display_path
from asyncify.scan.result import ScanFailed, ScanResult
from asyncify.scan.worker import ScanJob, ScanOutput, exit_with_parent, scan_batch

_BATCH = 32
_SERIAL_BELOW = 16
_FREEZE_FROM = 500
"""Files from which freezing pays (it also keeps any cyclic garbage the caller holds at
that moment until the process ends, so small runs, tests among them, do not freeze)."""
Progress = Callable[[int], None]


def scan_files(
    files: Sequence[Path],
    context: ScanContext,
    *,
    jobs: int | None = None,
    cache: ScanCache | None = None,
    progress: Progress | None = None,
    keep: Sequence[Path] = (),
) -> list[ScanResult]:
    """Results in the order of ``files``; never raises for a bad file. The cache keeps
    the entries of ``files`` and of ``keep`` (files scanned another way this time, such as
    an editor's unsaved text) and forgets the rest."""
    cwd = os.getcwd()
    namer = ModuleNamer()
    results: list[ScanResult | None] = [None] * len(files)
    pending: list[tuple[int, ScanJob]] = []
    with _gc_paused():
        for index, path in enumerate(files):
            module, is_package = namer.name(path)
            job = ScanJob(os.path.abspath(path), display_path(path, cwd), module, is_package)
            blob = cache.fresh(job.path, module) if cache is not None else None
            if blob is not None:
                results[index] = decode(blob)
            else:
                pending.append((index, job))
        if progress is not None and len(files) > len(pending):
            progress(len(files) - len(pending))
        for (index, job), output in zip(
            pending, _run([job for _, job in pending], context, jobs, progress), strict=True
        ):
            results[index] = decode(output.blob)
            if cache is not None and output.digest and output.stamp is not None:
                cache.put(job.path, CacheEntry(output.stamp, output.read_ns, output.digest, job.module, output.blob))
    if len(files) >= _FREEZE_FROM:
        gc.freeze()
    if cache is not None:
        cache.retain({os.path.abspath(p) for p in [*files, *keep]})
        cache.save()
    return [r if r is not None else ScanFailed(str(files[i]), "not scanned") for i, r in enumerate(results)]


def _run(
    work: list[ScanJob], context: ScanContext, jobs: int | None, progress: Progress | None
) -> Iterator[ScanOutput]:
    """Each job's output, in order, as soon as it (and those before it) are done."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(work) < _SERIAL_BELOW:
        for job in work:
            yield from scan_batch([job], context)
            if progress is not None:
                progress(1)
        return
    batches = [work[i : i + _BATCH] for i in range(0, len(work), _BATCH)]
    with ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        for batch, outputs in zip(batches, pool.map(scan_batch, batches, [context] * len(batches)), strict=True):
            yield from outputs
            if progress is not None:
                progress(len(batch))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
