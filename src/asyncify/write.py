"""Writing a change set: every file or none, inside the project, never over someone's edit.

``fix`` computes every new text in memory first (``asyncify.fixer``); this module is the
only place that touches the files. A run's files are one change set (a propagated
``async def`` and its awaiting callers break each other when only some are written), so:

1. **Check every file first.** Its real path (symlinks followed) must lie inside the
   project root and be named once; its current bytes must equal the bytes ``fix`` read
   (otherwise someone changed it meanwhile: ``ChangedOnDisk``); it must be writable (an
   immutable or append-only file is found here, before anything is written).
2. **Stage every file.** The new bytes go to a temporary file beside the original (same
   directory, so the rename stays on one file system and is atomic), with the original's
   permission bits, owner, group and extended attributes, ``fsync``-ed. A file with
   several hard links is not staged: it is written in place in step 3, so that every
   link sees the new text (a rename would split them).
3. **Commit.** Each file is compared with what was read once more, then renamed over
   (or written in place). If one fails, the files already committed are restored to
   their original bytes, the remaining temporary files are removed, and every file is
   reported: the one that failed with why, the others as ``HeldBack``.

Any failure in steps 1 and 2 leaves every file untouched. SIGINT, SIGTERM and SIGHUP
are held for the whole write: one received while staging abandons the change set
(nothing written, no temporary file left); one received while committing (a few
milliseconds) lets the commit finish. ``WriteReport.interrupted`` says it happened.

The project root's directory is locked (``flock``) while a change set is written, so two
runs never write at once; under the lock, temporary files named like ours
(``.<name>.<8 characters>.asyncify.tmp``) that discovery found, or that sit beside the
files being written, are leftovers of a run killed by SIGKILL or a power cut, and are
removed and reported.

The comparison and the rename are not one atomic operation (no portable file system
offers that); the window is the time between the last comparison and the rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from asyncify.discovery import TEMP_SUFFIX, is_leftover_name
from asyncify.project import is_inside
from asyncify.scan.source import SourceFile

_HELD_SIGNALS = tuple(
    s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s
)


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
    """Writing failed; the file is as it was (``reason`` says otherwise if it is not)."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class HeldBack:
    """Could have been written, but another file of the change set could not: as it was."""

    path: Path
    reason: str


WriteResult = Written | ChangedOnDisk | WriteFailed | HeldBack


@dataclass(frozen=True, slots=True)
class WriteReport:
    """One result per file asked for, in order; ``removed``: leftover temporary files."""

    results: tuple[WriteResult, ...]
    interrupted: bool = False
    removed: tuple[Path, ...] = ()

    @property
    def problems(self) -> list[ChangedOnDisk | WriteFailed | HeldBack]:
        return [r for r in self.results if not isinstance(r, Written)]


def write_files(
    items: Sequence[tuple[SourceFile, str]], root: Path | None = None, leftovers: Sequence[Path] = ()
) -> WriteReport:
    """Write every ``(source, new_text)`` or none (see the module docstring).

    ``root``: nothing outside it is written (``None``: no boundary, for library use).
    ``leftovers``: temporary files of interrupted runs, removed under the root's lock.
    Never raises for an ``OSError``.
    """
    with _root_lock(root), _signals_held() as received:
        beside = _leftovers_beside(source.path for source, _ in items)
        removed = _remove_leftovers(sorted({*leftovers, *beside}))
        results = _write_set(items, root, received)
    interrupted = bool(received) or any(getattr(r, "reason", "") == INTERRUPTED for r in results)
    return WriteReport(tuple(results), interrupted, removed)


def write_file(source: SourceFile, text: str, root: Path | None = None) -> WriteResult:
    """A change set of one file."""
    return write_files([(source, text)], root).results[0]


INTERRUPTED = "interrupted"


@dataclass
class _Target:
    source: SourceFile
    real: Path
    data: bytes
    info: os.stat_result
    temp: str | None = None

    @property
    def in_place(self) -> bool:
        """Hard-linked: written in place so every link keeps seeing the same file."""
        return self.info.st_nlink > 1


def _write_set(items: Sequence[tuple[SourceFile, str]], root: Path | None, received: list[int]) -> list[WriteResult]:
    paths = [source.path for source, _ in items]
    targets: list[_Target] = []
    problems: list[ChangedOnDisk | WriteFailed] = []
    for source, text in items:
        checked = _preflight(source, text, root, targets)
        if isinstance(checked, _Target):
            targets.append(checked)
        else:
            problems.append(checked)
    if problems:
        return _failed(paths, *problems)
    staging = None
    try:
        for staging in targets:
            if received:
                raise KeyboardInterrupt
            _stage(staging)
    except KeyboardInterrupt:
        _discard(targets)
        return [WriteFailed(path, INTERRUPTED) for path in paths]
    except OSError as error:
        _discard(targets)
        assert staging is not None
        return _failed(paths, WriteFailed(staging.source.path, _describe(error)))
    committed: list[_Target] = []
    for target in targets:
        try:
            _commit(target)
        except _Conflict as conflict:
            problem: ChangedOnDisk | WriteFailed = conflict.result
        except (OSError, KeyboardInterrupt) as error:
            problem = WriteFailed(target.source.path, _describe(error))
        else:
            committed.append(target)
            continue
        _discard(targets)
        results = _failed(paths, problem)
        for index, restore_problem in _restore(committed).items():
            results[paths.index(committed[index].source.path)] = restore_problem
        return results
    for target in targets:
        _fsync_directory(target.real.parent)
    return [Written(path) for path in paths]


def _failed(paths: list[Path], *problems: ChangedOnDisk | WriteFailed) -> list[WriteResult]:
    """Each problem for its file; every other file held back because of the first."""
    first = problems[0]
    why = f"not written because {first.path} could not be ({first.reason}); fix writes all files or none"
    by_path = {problem.path: problem for problem in problems}
    return [by_path.get(path) or HeldBack(path, why) for path in paths]


def _preflight(
    source: SourceFile, text: str, root: Path | None, earlier: list[_Target]
) -> _Target | ChangedOnDisk | WriteFailed:
    """Step 1 for one file: the target to write, or why the change set cannot be written."""
    real = Path(os.path.realpath(source.path))
    if root is not None and not is_inside(real, root):
        return WriteFailed(source.path, f"its real path {real} is outside the project root {root}")
    if any(t.real == real for t in earlier):
        return WriteFailed(source.path, f"the same file as {next(t for t in earlier if t.real == real).source.path}")
    try:
        data = source.encode(text)
        conflict = _conflict(source, real)
        if conflict is not None:
            return conflict
        info = os.stat(real)
        _check_writable(real, hard_linked=info.st_nlink > 1)
    except OSError as error:
        return WriteFailed(source.path, _describe(error))
    except UnicodeEncodeError as error:
        return WriteFailed(source.path, f"the new text cannot be encoded as {source.encoding}: {error.reason}")
    return _Target(source, real, data, info)


def _check_writable(real: Path, *, hard_linked: bool) -> None:
    """Raise the ``OSError`` a write would meet: an immutable or append-only file refuses
    ``O_WRONLY`` (EPERM) even to root. A mode without write permission (EACCES) only
    matters when the file is written in place; a rename replaces it regardless."""
    try:
        os.close(os.open(real, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)))
    except PermissionError as error:
        if hard_linked or error.errno != errno.EACCES:
            raise


def _stage(target: _Target) -> None:
    """Step 2: the new bytes in a temporary file beside the original, ready to rename."""
    if target.in_place:
        return
    real, info = target.real, target.info
    fd, temp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=TEMP_SUFFIX)
    target.temp = temp
    with os.fdopen(fd, "wb") as handle:
        handle.write(target.data)
        handle.flush()
        with contextlib.suppress(OSError):
            if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                os.fchown(handle.fileno(), info.st_uid, info.st_gid)
        os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
        _copy_xattrs(real, handle.fileno())
        os.fsync(handle.fileno())


def _copy_xattrs(source: Path, fd: int) -> None:
    """Extended attributes (ACLs, SELinux labels, user tags) travel with the new file;
    one that cannot be set here (a privileged namespace) is left behind, as ``cp -a``
    would."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.setxattr(fd, name, os.getxattr(source, name))


def _commit(target: _Target) -> None:
    """Step 3 for one file: compare once more, then rename over or write in place."""
    conflict = _conflict(target.source, target.real)
    if conflict is not None:
        raise _Conflict(conflict)
    if target.in_place:
        _write_in_place(target.real, target.data, target.source.data)
    else:
        assert target.temp is not None
        os.replace(target.temp, target.real)
        target.temp = None


def _write_in_place(real: Path, data: bytes, original: bytes) -> None:
    """Overwrite ``real``'s content (its inode, links and attributes stay); on failure
    the original bytes are put back before the error is raised."""
    try:
        _overwrite(real, data)
    except OSError:
        with contextlib.suppress(OSError):
            _overwrite(real, original)
        raise


def _overwrite(real: Path, data: bytes) -> None:
    with open(real, "r+b") as handle:
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _restore(committed: list[_Target]) -> dict[int, WriteFailed]:
    """Put the original bytes back into files already committed; what could not be."""
    problems: dict[int, WriteFailed] = {}
    for index, target in enumerate(committed):
        back = _Target(target.source, target.real, target.source.data, target.info)
        try:
            back.info = os.stat(target.real)
            if target.in_place:
                _overwrite(target.real, back.data)
            else:
                _stage(back)
                assert back.temp is not None
                os.replace(back.temp, target.real)
        except OSError as error:
            _discard([back])
            reason = f"written, then could not be restored when another file failed: {_describe(error)}"
            problems[index] = WriteFailed(target.source.path, reason)
    return problems


def _discard(targets: Sequence[_Target]) -> None:
    for target in targets:
        if target.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(target.temp)
            target.temp = None


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


def _leftovers_beside(paths: Iterable[Path]) -> list[Path]:
    """Our temporary files in the directories about to be written (a run over a file
    list, as pre-commit passes it, walks no directory for discovery to see them in)."""
    found = []
    for directory in {path.parent for path in paths}:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        found += [directory / name for name in names if is_leftover_name(name)]
    return found


def _remove_leftovers(leftovers: Sequence[Path]) -> tuple[Path, ...]:
    """Remove temporary files of interrupted runs (called under the root's lock)."""
    removed = []
    for path in leftovers:
        if is_leftover_name(path.name):
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed.append(path)
    return tuple(removed)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible everywhere, and not worth failing for."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _describe(error: BaseException) -> str:
    """A one-line reason: ``no space left on device``, ``permission denied``."""
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    text = (error.strerror if isinstance(error, OSError) else None) or str(error) or type(error).__name__
    return text[:1].lower() + text[1:]


@contextlib.contextmanager
def _root_lock(root: Path | None) -> Iterator[None]:
    """An exclusive ``flock`` on the root directory while a change set is written (where
    the platform and file system offer one; otherwise no lock)."""
    fd = None
    if root is not None:
        try:
            import fcntl

            fd = os.open(root, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except (ImportError, OSError):
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold SIGINT, SIGTERM and SIGHUP; yield the list of signals received meanwhile.

    Only the main thread can install signal handlers; elsewhere nothing is held and the
    clean-up on ``KeyboardInterrupt`` is the (weaker) guarantee.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in _HELD_SIGNALS}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
