"""The per-file scan, run in worker processes: read, parse, summarise; never raises."""

from __future__ import annotations

import ast
import hashlib
import pickle
import warnings
from dataclasses import dataclass
from pathlib import Path

from asyncify.scan.result import ScanFailed, Scanned, ScanResult
from asyncify.scan.source import SourceError, read_source
from asyncify.scan.summariser import ScanContext, summarise_module


@dataclass(frozen=True, slots=True)
class ScanJob:
    """One file to scan: where it is, how to show it, and the module it is."""

    path: str
    display: str
    module: str
    is_package: bool


def scan_file(job: ScanJob, context: ScanContext) -> tuple[ScanResult, str]:
    """Scan one file; returns the result and the digest of its content ('' if unread)."""
    try:
        source = read_source(Path(job.path))
    except SourceError as error:
        return ScanFailed(job.display, str(error)), ""
    digest = hashlib.blake2b(source.data, digest_size=16).hexdigest()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source.text, filename=job.display)
    except SyntaxError as error:
        where = f" (line {error.lineno}, column {error.offset})" if error.lineno else ""
        return ScanFailed(job.display, f"syntax error: {error.msg}{where}"), digest
    except (RecursionError, MemoryError):
        return ScanFailed(job.display, "too deeply nested for the Python parser"), digest
    except ValueError as error:
        return ScanFailed(job.display, f"cannot parse: {error}"), digest
    try:
        summary = summarise_module(tree, source.text, job.module, job.is_package, job.display, context)
    except RecursionError:
        return ScanFailed(job.display, "too deeply nested to analyse"), digest
    except Exception as error:  # a scanner bug must not stop the run; report it on the file
        return ScanFailed(job.display, f"internal error while scanning: {type(error).__name__}: {error}"), digest
    return Scanned(summary), digest


def scan_batch(jobs: list[ScanJob], context: ScanContext) -> list[tuple[bytes, str]]:
    """Scan several files in one task, so the context is pickled once per batch.

    Each result comes back pickled: the parent unpickles it once for the analysis and
    stores the same bytes in the cache, instead of pickling every summary again.
    """
    out = []
    for job in jobs:
        result, digest = scan_file(job, context)
        out.append((pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), digest))
    return out
