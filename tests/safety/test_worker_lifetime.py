"""Scan workers die with the process that started them (issue 11: "killing the parent
during the scan leaves worker processes running forever").

A parent process scans with two workers whose scan never ends (they inherit a patched
``scan_file`` through ``fork``); once both are running, the parent gets SIGKILL, which
runs no clean-up of its own. The workers must be gone within a few seconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process state from /proc (Linux)")

PARENT = textwrap.dedent(
    """
    import multiprocessing, sys, time
    from pathlib import Path
    multiprocessing.set_start_method("fork", force=True)  # the workers inherit the patch below
    import asyncify.scan.worker as worker
    from asyncify.api import catalogue_for, scan_context
    from asyncify.config import Config
    from asyncify.scan.runner import scan_files

    def never_ends(job, context):
        time.sleep(3600)

    worker.scan_file = never_ends
    root = Path(sys.argv[1])
    scan_files(sorted(root.glob("*.py")), scan_context(catalogue_for(Config())), jobs=2)
    """
)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    for index in range(40):
        (tmp_path / f"m{index}.py").write_text("x = 1\n")
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = [pid for pid in children(parent.pid) if running(pid)]
        assert len(workers) >= 2, "the scan did not start its workers"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [pid for pid in workers if running(pid)]
        assert left == [], f"workers still running after their parent died: {left}"
    finally:
        for pid in [parent.pid, *workers]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
