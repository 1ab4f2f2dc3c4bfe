"""Atomic writes of rewritten files: whole or not at all, and never over someone's edit.

``fix`` computes every new text in memory first (``asyncify.fixer``); this module is the
only place that touches the files. Each file is written on its own:

1. Its current bytes are compared with the bytes ``fix`` read. If someone (an editor, a
   formatter, a checkout) changed the file meanwhile, it is left alone and reported as
   ``ChangedOnDisk``: overwriting would silently drop their change.
2. The new bytes go to a temporary file in the *same directory* (so the final rename
   stays on one file system and is atomic), with the original's permission bits, and
   are ``fsync``-ed before the rename, so a crash leaves either the old or the new file,
   never a truncated one.
3. ``os.replace`` swaps it in. A symlink is followed: the file it points to is replaced,
   the link stays a link.

A failure (permission denied, disk full, ...) on one file removes its temporary file,
leaves the original as it was, becomes a ``WriteFailed`` and does not stop the others.
Ctrl-C is held back while one file is being written (a few milliseconds) and raised
right after, so it can never leave a temporary file or a half-written file behind;
``write_files`` turns it into ``WriteFailed("interrupted")`` for the files not reached.

The comparison in step 1 and the rename in step 3 are not one atomic operation (no
portable file system offers that); the window is the time it takes to write one file.
The file is compared again just before the rename to keep that window as small as it
can be.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from asyncify.scan.source import SourceFile

TEMP_SUFFIX = ".asyncify.tmp"


@dataclass(frozen=True, slots=True)
class Written:
    """The new bytes are in place."""

    path: Path


@dataclass(frozen=True, slots=True)
class ChangedOnDisk:
    """The file changed (or vanished) since ``fix`` read it; it was not touched."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class WriteFailed:
    """Writing failed; the file is as it was and no temporary file remains."""

    path: Path
    reason: str


WriteResult = Written | ChangedOnDisk | WriteFailed


@dataclass(frozen=True, slots=True)
class WriteReport:
    """One result per file asked for, in order; ``interrupted`` after a Ctrl-C."""

    results: tuple[WriteResult, ...]
    interrupted: bool = False

    @property
    def problems(self) -> list[ChangedOnDisk | WriteFailed]:
        return [r for r in self.results if not isinstance(r, Written)]


def write_files(items: Sequence[tuple[SourceFile, str]]) -> WriteReport:
    """Write each ``(source, new_text)``; one file's failure does not stop the others.

    After a Ctrl-C the file being written is finished (or left untouched) and reported
    as such; the files after it are ``WriteFailed("interrupted")``.
    """
    results: list[WriteResult] = []
    for index, (source, text) in enumerate(items):
        try:
            with _interrupts_deferred() as interrupted:
                results.append(_write(source, text))
        except KeyboardInterrupt:
            interrupted = [signal.SIGINT]
            if len(results) == index:  # raised inside the write: the file was left as it was
                results.append(WriteFailed(source.path, "interrupted"))
        if interrupted:
            results += [WriteFailed(s.path, "interrupted") for s, _ in items[index + 1 :]]
            return WriteReport(tuple(results), interrupted=True)
    return WriteReport(tuple(results))


def write_file(source: SourceFile, text: str) -> WriteResult:
    """Replace ``source.path`` with ``text`` encoded like the original, atomically.

    Never raises for an ``OSError``. A Ctrl-C is delivered (as ``KeyboardInterrupt``)
    only after the file is either fully replaced or untouched with its temporary file
    removed.
    """
    with _interrupts_deferred(deliver=True):
        return _write(source, text)


def _write(source: SourceFile, text: str) -> WriteResult:
    data = source.encode(text)
    try:
        target = Path(os.path.realpath(source.path))
        conflict = _conflict(source, target)
        if conflict is not None:
            return conflict
        _replace(target, data, os.stat(target), source)
    except _Conflict as conflict:
        return conflict.result
    except OSError as error:
        return WriteFailed(source.path, _describe(error))
    return Written(source.path)


class _Conflict(Exception):
    def __init__(self, result: ChangedOnDisk) -> None:
        super().__init__(result.reason)
        self.result = result


def _conflict(source: SourceFile, target: Path) -> ChangedOnDisk | None:
    try:
        current = target.read_bytes()
    except FileNotFoundError:
        return ChangedOnDisk(source.path, "deleted since it was read")
    if current != source.data:
        return ChangedOnDisk(source.path, "changed on disk since it was read")
    return None


def _replace(target: Path, data: bytes, original: os.stat_result, source: SourceFile) -> None:
    """Temporary file beside ``target``, fsync, compare again, rename; clean up on failure.

    The temporary file gets the original's permission bits and, where allowed (running
    as root or as the owner), its owner and group.
    """
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            with contextlib.suppress(OSError):
                if (original.st_uid, original.st_gid) != (os.getuid(), os.getgid()):
                    os.fchown(handle.fileno(), original.st_uid, original.st_gid)
            os.fchmod(handle.fileno(), stat.S_IMODE(original.st_mode))
            os.fsync(handle.fileno())
        conflict = _conflict(source, target)
        if conflict is not None:
            raise _Conflict(conflict)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible everywhere, and not worth failing for."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _describe(error: OSError) -> str:
    """A one-line reason: ``no space left on device``, ``permission denied``."""
    text = error.strerror or str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


@contextlib.contextmanager
def _interrupts_deferred(*, deliver: bool = False) -> Iterator[list[int]]:
    """Hold SIGINT back while one file is written; yield the list of signals received.

    With ``deliver`` the held signal is passed on to the previous handler afterwards
    (the default one raises ``KeyboardInterrupt``); without, the caller checks the list.
    Only the main thread can install signal handlers; elsewhere the ``except
    BaseException`` clean-up in ``_replace`` is the (weaker) guarantee.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and deliver:
        if callable(previous):
            previous(signal.SIGINT, None)  # the default handler raises KeyboardInterrupt
        elif previous == signal.SIG_DFL:
            raise KeyboardInterrupt
