"""The per-file scan, run in worker processes: read, parse, summarise; never raises.

Deeply nested code (a 100,000-term ``1 + 1 + ...``, a 1,000-branch ``elif`` chain) is
legal Python that overflows the default recursion limit of ``ast.parse`` (its tree
conversion is recursive C) and of the summariser (a recursive walk). Such a file is
retried once in a thread with a large stack and a raised recursion limit, so it is
analysed like any other file; only if that fails too is it reported as too deeply
nested. The limit is raised only while that thread runs (the recursion limit is
process-wide; scans run one at a time per process), and the stack is sized so that the
raised limit is reached long before the stack is exhausted: a ``RecursionError``, never
a crash.

The cyclic garbage collector is paused while a file is parsed and summarised: the tree
holds no reference cycles to collect, and collections triggered by its millions of
allocations would otherwise double the time of a large file.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import hashlib
import pickle
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from asyncify.scan.result import ScanFailed, Scanned, ScanResult
from asyncify.scan.source import SourceError, read_source
from asyncify.scan.summariser import ScanContext, summarise_module

DEEP_RECURSION_LIMIT = 300_000
"""The recursion limit of the retry: a 100,000-term expression chain fits (it takes about 250,000)."""

DEEP_STACK_BYTES = 1 << 30
"""The retry thread's stack (reserved, not committed): 3.5 KiB per level of the raised
limit. Pure-Python recursion costs no C stack; the costliest C recursion measured (a
recursive ``sorted(key=...)``) takes 2.5 KiB per level and ``ast.parse``'s tree
conversion about 100 bytes per level (allowed 3 levels per unit of the limit), so the
limit is always reached first: a ``RecursionError``, not a crash."""

PARSER_TOO_DEEP = "too deeply nested for the Python parser"
SUMMARY_TOO_DEEP = "too deeply nested to analyse"


@dataclass(frozen=True, slots=True)
class ScanJob:
    """One file to scan: where it is, how to show it, and the module it is."""

    path: str
    display: str
    module: str
    is_package: bool


class _TooDeep(Exception):
    """Parsing or summarising ran out of recursion; ``args[0]`` says which."""


def scan_file(job: ScanJob, context: ScanContext) -> tuple[ScanResult, str]:
    """Scan one file; returns the result and the digest of its content ('' if unread)."""
    try:
        source = read_source(Path(job.path))
    except SourceError as error:
        return ScanFailed(job.display, str(error)), ""
    digest = hashlib.blake2b(source.data, digest_size=16).hexdigest()
    with _gc_paused():
        try:
            return _scan_text(source.text, job, context), digest
        except _TooDeep:
            pass
        return _scan_deep(source.text, job, context), digest


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


def _scan_text(text: str, job: ScanJob, context: ScanContext) -> ScanResult:
    """Parse and summarise ``text``; raises only ``_TooDeep`` (the caller retries)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=job.display)
    except SyntaxError as error:
        where = f" (line {error.lineno}, column {error.offset})" if error.lineno else ""
        return ScanFailed(job.display, f"syntax error: {error.msg}{where}")
    except RecursionError:
        raise _TooDeep(PARSER_TOO_DEEP) from None
    except MemoryError:
        # The parser's own nesting limit (it raises MemoryError), or a file too large.
        return ScanFailed(job.display, f"{PARSER_TOO_DEEP} (or too large for memory)")
    except ValueError as error:
        return ScanFailed(job.display, f"cannot parse: {error}")
    try:
        summary = summarise_module(tree, text, job.module, job.is_package, job.display, context)
    except RecursionError:
        raise _TooDeep(SUMMARY_TOO_DEEP) from None
    except MemoryError:
        return ScanFailed(job.display, "out of memory while scanning")
    except Exception as error:  # a scanner bug must not stop the run; report it on the file
        return ScanFailed(job.display, f"internal error while scanning: {type(error).__name__}: {error}")
    return Scanned(summary)


def _scan_deep(text: str, job: ScanJob, context: ScanContext) -> ScanResult:
    """``_scan_text`` again with a big stack and a raised recursion limit."""
    outcome: list[ScanResult] = []

    def scan() -> None:
        try:
            outcome.append(_scan_text(text, job, context))
        except _TooDeep as error:
            outcome.append(ScanFailed(job.display, str(error)))
        except BaseException as error:  # noqa: BLE001  (reported on the file, never lost in the thread)
            outcome.append(ScanFailed(job.display, f"internal error while scanning: {type(error).__name__}: {error}"))

    if not _run_with_deep_stack(scan):
        return ScanFailed(job.display, SUMMARY_TOO_DEEP)
    return outcome[0] if outcome else ScanFailed(job.display, SUMMARY_TOO_DEEP)


def _run_with_deep_stack(call: Callable[[], None]) -> bool:
    """Run ``call`` in a thread with a big stack and a high recursion limit; False if
    no such thread can be started (a platform without settable stacks, no memory)."""

    def target() -> None:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, DEEP_RECURSION_LIMIT))
        try:
            call()
        finally:
            sys.setrecursionlimit(previous)

    try:
        previous_stack = threading.stack_size()
        threading.stack_size(DEEP_STACK_BYTES)
    except (ValueError, RuntimeError):
        return False
    try:
        # A daemon, so that Ctrl-C during join() ends the process without waiting.
        thread = threading.Thread(target=target, name="asyncify-deep-scan", daemon=True)
        thread.start()
    except (RuntimeError, MemoryError):
        return False
    finally:
        threading.stack_size(previous_stack)
    thread.join()
    return True


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the duration."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
