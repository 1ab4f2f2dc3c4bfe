"""The project root: the boundary of a run.

Every run has one root directory. Configuration is searched from the paths given up to
the root and no further (so a parent folder's ``pyproject.toml`` neither configures nor
breaks the run), ``.asyncify_cache`` is created in it, and ``fix`` never writes outside
it: a file whose real path (symlinks resolved) lies outside the root is reported and left
alone.

The root is, in this order:

1. ``--project-root`` (``explicit``), as given;
2. the nearest directory holding ``pyproject.toml``, ``setup.cfg`` or ``.git``, walking
   up from the directory that contains every path given (black's rule);
3. without any marker up to the file system's root: that common directory itself, so a
   run over a loose folder stays inside the folders it was given.

Paths are made absolute without resolving symlinks (a symlink loop must not raise here);
``is_inside`` resolves them, because where a write lands is what it guards.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", ".git")


def find_project_root(paths: Sequence[Path], explicit: Path | None = None) -> Path:
    """The root of a run over ``paths`` (see the module docstring), absolute."""
    if explicit is not None:
        return Path(os.path.abspath(explicit))
    common = _common_directory(paths)
    for directory in (common, *common.parents):
        if any(os.path.lexists(directory / marker) for marker in ROOT_MARKERS):
            return directory
    return common


def is_inside(path: str | os.PathLike[str], root: Path) -> bool:
    """Whether ``path``, symlinks resolved, is ``root`` or lies under it (resolved too)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, top]) == top
    except ValueError:  # different drives
        return False


def _common_directory(paths: Sequence[Path]) -> Path:
    """The deepest directory containing every path (a file counts as its directory)."""
    directories = []
    for path in paths or [Path.cwd()]:
        absolute = os.path.abspath(path)
        directories.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    try:
        return Path(os.path.commonpath(directories))
    except ValueError:  # different drives: the first path decides
        return Path(directories[0])
