"""The cache never serves a stale result (issue 11: "an edit with the same size and
mtime is served stale from cache"), at either layer: the per-file summaries and the
whole-tree result.

Two ways size and mtime fail to prove a file unchanged, each reproduced here:
- a tool restores the mtime after an edit of the same size (``cp -p``, ``rsync -t``,
  an editor that keeps timestamps): the inode's ctime still moved;
- the edit lands within the file system's timestamp granularity of the scan (coarse
  clocks, FAT's 2-second mtimes; the racy-git problem): every stamp field is the same,
  only the content tells, so a stamp that recent is verified by content digest.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from asyncify.api import run_check
from asyncify.config import Config
from asyncify.scan.cache import FileStamp

BLOCKING = "import time\n\nasync def f():\n    time.sleep(1)\n"
HARMLESS = "import time\n\nasync def f():\n    time.time (1)\n"
assert len(BLOCKING) == len(HARMLESS)


def findings(root: Path) -> list[tuple[str, int, str]]:
    result = run_check([root], Config(), jobs=1)
    return [(f.path, f.span.line, f.code) for f in result.findings]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.py").write_text("def g():\n    pass\n")
    return tmp_path


def test_same_size_edit_with_restored_mtime_is_seen(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stamps count as old enough here: what must catch the edit is the ctime, which
    # restoring the mtime cannot restore.
    monkeypatch.setattr("asyncify.scan.cache.RACY_NS", 0)
    module = project / "m.py"
    module.write_text(BLOCKING)
    before = os.stat(module)
    assert findings(project) == [("m.py", 4, "AFY110")]
    assert findings(project) == [("m.py", 4, "AFY110")]
    time.sleep(0.01)
    module.write_text(HARMLESS)
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(module)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert findings(project) == []


def test_edit_within_the_clock_tick_of_the_scan_is_seen(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file system whose clock did not move between the scan and the edit: size,
    # mtime, ctime and inode are all the same before and after.
    tick = time.time_ns()

    def coarse(cls: type[FileStamp], path: str) -> FileStamp | None:
        try:
            size = os.stat(path).st_size
        except OSError:
            return None
        return cls(size, tick, tick, 1)

    monkeypatch.setattr(FileStamp, "of", classmethod(coarse))
    module = project / "m.py"
    module.write_text(BLOCKING)
    assert findings(project) == [("m.py", 4, "AFY110")]
    module.write_text(HARMLESS)
    assert findings(project) == [], "a stamp as recent as the scan must not prove freshness"
    module.write_text(BLOCKING)
    assert findings(project) == [("m.py", 4, "AFY110")]


def test_old_unchanged_files_are_trusted_by_their_stamp(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The other side of the rule: once a stamp is old enough, a warm run does not read
    # the file again (reading every file would make the cache pointless).
    monkeypatch.setattr("asyncify.scan.cache.RACY_NS", 0)
    (project / "m.py").write_text(BLOCKING)
    assert findings(project) == [("m.py", 4, "AFY110")]
    (project / "n.py").write_text(HARMLESS)  # the tree changed: no whole-result hit
    opened: list[str] = []
    real_open = open

    def watching_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", watching_open)
    assert findings(project) == [("m.py", 4, "AFY110")]
    assert not [p for p in opened if p.endswith("m.py")]
