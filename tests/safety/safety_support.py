"""Shared pieces of the ``fix`` never harms suite: the CLI as users run it, tree snapshots.

Every test here reproduces one probe of issue 11 (written against the code before the
fix, where it failed) and asserts the behaviour now. ``fix`` runs through
``python -m asyncify`` in a fresh process, as a user would run it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SLEEPY = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
"""A module with one fixable finding (``sleep``)."""
SLEEPY_FIXED = "await asyncio.sleep(1)"


def run_cli(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m asyncify ARGS`` in ``cwd``, without colour, output as text (bytes that
    do not decode are kept as surrogate escapes so a test can look at them)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "asyncify", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=timeout,
        env=env,
    )


def run_bytes(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``python -m asyncify ARGS`` with stdout as raw bytes (to check the encoding)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "asyncify", *args], check=False, cwd=cwd, capture_output=True, env=env, timeout=300
    )


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root`` (asyncify's cache left out): bytes, mode, inode, links."""
    state: dict[str, tuple[object, ...]] = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".asyncify_cache"]
        for name in dirs + files:
            path = Path(directory, name)
            info = path.lstat()
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                state[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                state[key] = ("file", path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_ino, info.st_nlink)
            else:
                state[key] = ("dir",)
    return state


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_project(tmp_path: Path) -> Path:
    """``tmp_path/proj``: a project root (its own ``pyproject.toml``, no asyncify table)."""
    root = tmp_path / "proj"
    write(root / "pyproject.toml", '[project]\nname = "proj"\n')
    return root
