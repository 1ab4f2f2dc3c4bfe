"""``asyncify.write``: every file of a change set or none, never over a change made since reading.

Failures are injected where the operating system would raise them (``os.replace``,
``os.fsync``), because the tests run as root in CI containers, where a read-only
directory does not stop a write.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
from pathlib import Path

import pytest

from asyncify import write as write_module
from asyncify.api import config_for
from asyncify.fixer import run_fix
from asyncify.scan.source import SourceFile, read_source
from asyncify.write import TEMP_SUFFIX, ChangedOnDisk, HeldBack, WriteFailed, Written, write_file, write_files

FIXTURE = Path(__file__).parent / "fixtures" / "review_project"


def make(tmp_path: Path, name: str, data: bytes, mode: int = 0o644) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    path.chmod(mode)
    return read_source(path)


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(TEMP_SUFFIX)]


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o640])
def test_writes_new_text_and_keeps_permissions(tmp_path: Path, mode: int) -> None:
    source = make(tmp_path, "m.py", b"x = 1\n", mode)
    assert write_file(source, "x = 2\n") == Written(source.path)
    assert source.path.read_bytes() == b"x = 2\n"
    assert stat.S_IMODE(source.path.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("data", "new", "expected"),
    [
        (b"\xef\xbb\xbfx = 1\r\ny = 2\r\n", "x = 1\r\nz = 3\r\n", b"\xef\xbb\xbfx = 1\r\nz = 3\r\n"),
        (
            b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
            "# -*- coding: latin-1 -*-\ns = '\xe9\xe0'\n",
            b"# -*- coding: latin-1 -*-\ns = '\xe9\xe0'\n",
        ),
        (b"x = 1", "x = 2", b"x = 2"),
    ],
)
def test_encoding_bom_and_line_endings_come_back(tmp_path: Path, data: bytes, new: str, expected: bytes) -> None:
    source = make(tmp_path, "m.py", data)
    assert isinstance(write_file(source, new), Written)
    assert source.path.read_bytes() == expected


def test_a_file_changed_since_reading_is_left_alone(tmp_path: Path) -> None:
    source = make(tmp_path, "m.py", b"x = 1\n")
    source.path.write_bytes(b"x = 1  # edited meanwhile\n")
    result = write_file(source, "x = 2\n")
    assert isinstance(result, ChangedOnDisk) and "changed on disk" in result.reason
    assert source.path.read_bytes() == b"x = 1  # edited meanwhile\n"
    assert leftovers(tmp_path) == []


def test_a_file_deleted_since_reading_is_not_recreated(tmp_path: Path) -> None:
    source = make(tmp_path, "m.py", b"x = 1\n")
    source.path.unlink()
    assert isinstance(write_file(source, "x = 2\n"), ChangedOnDisk)
    assert not source.path.exists()


def test_planned_fix_does_not_overwrite_a_file_edited_after_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    monkeypatch.chdir(project)
    result = run_fix([Path(".")], config_for([Path(".")]))
    plans = {f.display: f for f in result.files}
    assert {"app/service.py", "app/storage.py"} <= set(plans)
    edited = b"# someone's edit\n" + (project / "app" / "service.py").read_bytes()
    (project / "app" / "service.py").write_bytes(edited)
    report = write_files([(f.source, f.text) for f in result.files])
    by_name = {r.path.as_posix(): r for r in report.results}
    assert isinstance(by_name["app/service.py"], ChangedOnDisk)
    assert (project / "app" / "service.py").read_bytes() == edited
    assert isinstance(by_name["app/storage.py"], HeldBack), "all or nothing: the other file waits"
    assert (project / "app" / "storage.py").read_bytes() == plans["app/storage.py"].source.data


def test_no_space_left_on_rename_leaves_the_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make(tmp_path, "m.py", b"x = 1\n")

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write_module.os, "replace", full)
    result = write_file(source, "x = 2\n")
    assert isinstance(result, WriteFailed) and "no space left" in result.reason.lower()
    assert source.path.read_bytes() == b"x = 1\n"
    assert leftovers(tmp_path) == []


def test_a_failing_rename_restores_the_files_already_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [make(tmp_path, f"m{i}.py", f"x = {i}\n".encode()) for i in range(3)]
    real = os.replace
    failed: list[str] = []

    def denied_once_for_m1(src: str, dst: str) -> None:
        if Path(dst).name == "m1.py" and not failed:
            failed.append(dst)
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        real(src, dst)

    monkeypatch.setattr(write_module.os, "replace", denied_once_for_m1)
    report = write_files([(s, "y = 0\n") for s in sources])
    assert [type(r) for r in report.results] == [HeldBack, WriteFailed, HeldBack]
    assert [s.path.read_bytes() for s in sources] == [b"x = 0\n", b"x = 1\n", b"x = 2\n"], "m0 restored"
    assert leftovers(tmp_path) == [] and not report.interrupted


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory_fails_cleanly(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    source = make(directory, "m.py", b"x = 1\n")
    directory.chmod(0o555)
    try:
        result = write_file(source, "x = 2\n")
    finally:
        directory.chmod(0o755)
    assert isinstance(result, WriteFailed)
    assert source.path.read_bytes() == b"x = 1\n" and leftovers(directory) == []


def test_keyboard_interrupt_mid_write_leaves_no_temp_and_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [make(tmp_path, f"m{i}.py", b"x = 1\n") for i in range(3)]
    files: list[int] = []
    real = os.fsync

    def interrupted_second(fd: int) -> None:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            files.append(fd)
            if len(files) == 2:
                raise KeyboardInterrupt
        real(fd)

    monkeypatch.setattr(write_module.os, "fsync", interrupted_second)
    report = write_files([(s, "x = 2\n") for s in sources])
    assert report.interrupted
    assert [type(r) for r in report.results] == [WriteFailed, WriteFailed, WriteFailed]
    assert [s.path.read_bytes() for s in sources] == [b"x = 1\n"] * 3
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_staging_abandons_the_change_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    """Ctrl-C (or a SIGTERM) while the temporary files are written: nothing is written,
    no temporary file is left, the handlers are as they were, and the report says so."""
    sources = [make(tmp_path, f"m{i}.py", b"x = 1\n") for i in range(3)]
    real = os.fsync
    files: list[int] = []

    def signal_on_second(fd: int) -> None:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            files.append(fd)
            if len(files) == 2:
                os.kill(os.getpid(), signum)
        real(fd)

    monkeypatch.setattr(write_module.os, "fsync", signal_on_second)
    report = write_files([(s, "x = 2\n") for s in sources])
    assert report.interrupted
    assert [type(r) for r in report.results] == [WriteFailed] * 3
    assert [s.path.read_bytes() for s in sources] == [b"x = 1\n"] * 3
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_signal_while_committing_lets_the_commit_finish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [make(tmp_path, f"m{i}.py", b"x = 1\n") for i in range(3)]
    real = os.replace

    def signal_then_replace(src: str, dst: str) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real(src, dst)

    monkeypatch.setattr(write_module.os, "replace", signal_then_replace)
    report = write_files([(s, "x = 2\n") for s in sources])
    assert report.interrupted
    assert [type(r) for r in report.results] == [Written] * 3
    assert [s.path.read_bytes() for s in sources] == [b"x = 2\n"] * 3
    assert leftovers(tmp_path) == []


def test_a_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = make(tmp_path, "real.py", b"x = 1\n")
    link = tmp_path / "link.py"
    link.symlink_to(real.path)
    assert isinstance(write_file(read_source(link), "x = 2\n"), Written)
    assert link.is_symlink() and real.path.read_bytes() == b"x = 2\n"
