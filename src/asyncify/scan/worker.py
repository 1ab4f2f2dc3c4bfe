"""The per-file scan, run in worker processes: read, parse, summarise; never raises.

Deeply nested code (a 1,000-branch ``elif`` chain, a few thousand terms of ``1 + 1 +
...``) is legal Python that overflows the default recursion limit of ``ast.parse`` (its
tree conversion is recursive C) or of the summariser (a recursive walk). Such a file is
retried once by ``call_with_deep_stack``: in a thread with a large stack and a raised
recursion limit, so it is analysed like any other file.

The retry accepts at most ``MAX_NESTING`` levels of syntax tree. Deeper files (a
100,000-term sum) are reported as too deeply nested rather than analysed, because the
rest of the pipeline could not follow: ``fix`` parses a file with findings with libcst,
whose native parser overflows the 8 MiB main-thread stack, a crash and not an exception,
at about 7,000 levels. Raise the cap once every consumer of the tree runs under
``call_with_deep_stack`` too.

The cyclic garbage collector is paused while a file is parsed and summarised: a syntax
tree holds no reference cycles to collect, and the collections its millions of
allocations would trigger double the time of a large file.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

from asyncify.parsing import parse_module
from asyncify.scan.cache import FileStamp, content_digest
from asyncify.scan.codec import encode
from asyncify.scan.result import ScanFailed, Scanned, ScanResult
from asyncify.scan.source import SourceError, read_source
from asyncify.scan.summariser import ScanContext, summarise_module
from asyncify.strict import strict_mode

MAX_NESTING = 3_000
"""The deepest syntax tree (in nodes, from the module down) the deep retry analyses."""

DEEP_RECURSION_LIMIT = 100_000
"""The recursion limit while the deep retry runs: ample for ``MAX_NESTING`` levels
(the summariser spends a few frames per level; ``ast.parse`` allows three per unit)."""

DEEP_STACK_BYTES = 512 << 20
"""The retry thread's stack (reserved, not committed): 5 KiB per unit of the raised
limit. Pure-Python recursion costs no C stack; the costliest C recursion measured (a
recursive ``sorted(key=...)``) takes 2.5 KiB per unit and ``ast.parse``'s tree
conversion about 100 bytes per level, so the limit is always reached first: a
``RecursionError``, never a crash."""

PARSER_TOO_DEEP = "too deeply nested for the Python parser"
SUMMARY_TOO_DEEP = "too deeply nested to analyse"

_PARENT_POLL_S = 0.25

T = TypeVar("T")


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
    digest = content_digest(source.data)
    with _gc_paused():
        return scan_text(source.text, job, context), digest


def scan_text(text: str, job: ScanJob, context: ScanContext) -> ScanResult:
    """Scan ``text`` as the file ``job`` names (an editor's unsaved buffer, or the file's
    own text); never raises for bad code."""
    try:
        return _scan_text(text, job, context)
    except _TooDeep:
        pass
    return _scan_deep(text, job, context)


class ScanOutput(NamedTuple):
    """A scanned file as it travels to the parent and into the cache."""

    blob: bytes
    """The encoded ``ScanResult`` (``codec``): decoded once by the parent, stored as is by the cache."""
    digest: str
    """The digest of the content scanned ('' if unread)."""
    stamp: FileStamp | None
    """The file's stamp taken before it was read."""
    read_ns: int


def scan_batch(jobs: list[ScanJob], context: ScanContext) -> list[ScanOutput]:
    """Scan several files in one task, so the context is pickled once per batch.

    Each result is encoded here, once: the parent decodes the bytes for the analysis and
    the cache stores the same bytes, so no summary is encoded twice.
    """
    out = []
    for job in jobs:
        read_ns = time.time_ns()
        stamp = FileStamp.of(job.path)
        result, digest = scan_file(job, context)
        out.append(ScanOutput(encode(result), digest, stamp, read_ns))
    return out


def exit_with_parent(parent: int) -> None:
    """Pool initializer: end this worker when the process that started the scan is gone.

    A pool worker waits on a queue whose other end its siblings also hold, so it would
    never see its parent die (``kill -9`` of ``asyncify`` during a scan); a daemon thread
    checks every ``_PARENT_POLL_S`` seconds instead.
    """
    started_under = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_PARENT_POLL_S)
            if os.getppid() != started_under or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="asyncify-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def call_with_deep_stack(call: Callable[[], T]) -> T:
    """``call()`` in a thread with a big stack and the recursion limit raised.

    Returns its result or re-raises its exception here; ``RuntimeError`` when no such
    thread can be started (a platform without settable stacks, no memory to reserve).
    The recursion limit is process-wide: it is raised only while the call runs, and
    two deep calls must not run at once in one process (scans run one at a time).
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, DEEP_RECURSION_LIMIT))
        try:
            outcome.append(call())
        except BaseException as error:
            failure.append(error)
        finally:
            sys.setrecursionlimit(previous)

    try:
        previous_stack = threading.stack_size()
        threading.stack_size(DEEP_STACK_BYTES)
    except (ValueError, RuntimeError, OverflowError) as error:
        raise RuntimeError(f"cannot set a thread stack size: {error}") from None
    try:
        # A daemon, so that Ctrl-C during join() ends the process without waiting.
        thread = threading.Thread(target=target, name="asyncify-deep-stack", daemon=True)
        thread.start()
    except MemoryError:
        raise RuntimeError("cannot start a thread with a large stack") from None
    finally:
        threading.stack_size(previous_stack)
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _scan_text(text: str, job: ScanJob, context: ScanContext, *, max_nesting: int | None = None) -> ScanResult:
    """Parse and summarise ``text``; raises only ``_TooDeep`` (the caller may retry)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = parse_module(text, filename=job.display)
    except SyntaxError as error:
        where = f" (line {error.lineno}, column {error.offset})" if error.lineno else ""
        return ScanFailed(job.display, f"syntax error: {error.msg}{where}")
    except RecursionError:
        raise _TooDeep(PARSER_TOO_DEEP) from None
    except MemoryError:
        # The parser's own nesting limit raises MemoryError (as does a file too large).
        return ScanFailed(job.display, f"{PARSER_TOO_DEEP} (or too large for memory)")
    except ValueError as error:
        return ScanFailed(job.display, f"cannot parse: {error}")
    if max_nesting is not None:
        depth = nesting(tree, max_nesting)
        if depth > max_nesting:
            return ScanFailed(job.display, f"{SUMMARY_TOO_DEEP}: more than {max_nesting:,} levels of nesting")
    try:
        summary = summarise_module(tree, text, job.module, job.is_package, job.display, context)
    except RecursionError:
        raise _TooDeep(SUMMARY_TOO_DEEP) from None
    except MemoryError:
        return ScanFailed(job.display, "out of memory while scanning")
    except Exception as error:
        if strict_mode():
            raise
        return ScanFailed(job.display, f"internal error while scanning: {type(error).__name__}: {error}")
    return Scanned(summary)


def _scan_deep(text: str, job: ScanJob, context: ScanContext) -> ScanResult:
    """``_scan_text`` again with a big stack, a raised recursion limit and the nesting cap."""
    try:
        return call_with_deep_stack(lambda: _scan_text(text, job, context, max_nesting=MAX_NESTING))
    except _TooDeep as error:
        return ScanFailed(job.display, str(error))
    except RuntimeError as error:
        return ScanFailed(job.display, f"{SUMMARY_TOO_DEEP} ({error})")
    except Exception as error:
        if strict_mode():
            raise
        return ScanFailed(job.display, f"internal error while scanning: {type(error).__name__}: {error}")


def nesting(tree: ast.AST, stop_above: int) -> int:
    """The depth of ``tree`` in nodes, counted without recursion; stops early once it
    exceeds ``stop_above`` (then returns a number above it)."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > stop_above:
                return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


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
