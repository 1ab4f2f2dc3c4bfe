"""What a run analyses and what it reports on.

Indirect findings need the whole project: a helper three modules away decides whether a
call blocks. So a run given explicit *files* (``asyncify check a.py b.py``, pre-commit,
an editor's ``--stdin-filename``) analyses the project those files belong to and reports
only on them; ``check FILE`` then says about FILE exactly what ``check .`` says. A run
given only directories analyses and reports on those directories, as before (naming a
directory is choosing what the project is).

The project root is ``asyncify.project.find_project_root``: ``--project-root``, else the
nearest directory holding ``pyproject.toml``, ``setup.cfg`` or ``.git`` — or the current
directory, when it holds one of those too and contains the files (a workspace whose
packages each have a ``pyproject.toml``: pre-commit runs from the repository root, and
``check FILE`` there must say what ``check .`` says). Files with no such directory
above them are not part of a project: they are analysed alone (never a whole ``/tmp``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from asyncify.project import ROOT_MARKERS, find_project_root


@dataclass(frozen=True, slots=True)
class RunScope:
    """``analysed``: the paths whose files form the project; ``report_only``: the paths
    findings and errors are reported for (``None``: everything analysed)."""

    analysed: list[Path]
    report_only: list[Path] | None
    root: Path | None


def scope_for(paths: Sequence[Path], project_root: Path | None = None, extra_files: Iterable[Path] = ()) -> RunScope:
    """The scope of a run over ``paths`` (``extra_files``: files given another way, such as
    ``--stdin-filename``, which count as named files even when not on disk)."""
    extra = list(extra_files)
    named = [*paths, *extra]
    files = [p for p in paths if os.path.isfile(p)] + extra
    if not files and project_root is None:
        return RunScope(list(paths), None, None)
    root = find_project_root(named, project_root)
    if project_root is None:
        if not _is_marked(root):
            return RunScope(list(paths), None, None)  # loose files: no project to analyse
        root = _workspace(root, named)
    analysed = [root, *(p for p in paths if p not in extra)]
    return RunScope(analysed, named, root)


def _is_marked(directory: Path) -> bool:
    return any(os.path.lexists(directory / marker) for marker in ROOT_MARKERS)


def _workspace(root: Path, named: Sequence[Path]) -> Path:
    """The current directory when it is itself a project root above ``root`` holding every
    named file: a workspace whose packages have their own ``pyproject.toml`` (pre-commit
    runs from the repository's root) is analysed whole, as ``check .`` there would."""
    cwd = Path.cwd()
    if cwd == root or not _is_marked(cwd):
        return root
    inside = all(os.path.abspath(p).startswith(str(cwd) + os.sep) for p in named)
    return cwd if inside and str(root).startswith(str(cwd) + os.sep) else root


class ReportFilter:
    """Membership of a path (as shown or absolute) in the ``report_only`` paths: a file
    named, or anything under a directory named."""

    def __init__(self, report_only: Sequence[Path]) -> None:
        self.files: set[str] = set()
        self.directories: list[str] = []
        self._seen: dict[str, bool] = {}
        for path in report_only:
            absolute = _key(path)
            if os.path.isdir(absolute):
                self.directories.append(absolute.rstrip(os.sep) + os.sep)
            else:
                self.files.add(absolute)

    def covers(self, path: str | os.PathLike[str]) -> bool:
        text = os.fspath(path)
        known = self._seen.get(text)
        if known is None:
            absolute = _key(text)
            known = absolute in self.files or any(absolute.startswith(d) for d in self.directories)
            self._seen[text] = known
        return known


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.abspath(path))
