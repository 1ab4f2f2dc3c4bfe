"""Module names from file paths: the dotted name Python would import the file as.

A directory is a package when it holds ``__init__.py``; the name is built by walking up
while that is true, which handles ``src/`` layouts and monorepos with several
``packages/*/src`` roots without any configuration.
"""

from __future__ import annotations

import os
from pathlib import Path


class ModuleNamer:
    """Caches the package test per directory: thousands of files share few folders."""

    def __init__(self) -> None:
        self._packages: dict[str, bool] = {}
        self._prefixes: dict[str, list[str]] = {}

    def _is_package(self, directory: str) -> bool:
        known = self._packages.get(directory)
        if known is None:
            known = os.path.isfile(os.path.join(directory, "__init__.py"))
            self._packages[directory] = known
        return known

    def name(self, path: Path) -> tuple[str, bool]:
        """``(dotted module name, is the file a package __init__)``."""
        absolute = os.path.abspath(path)
        directory, filename = os.path.split(absolute)
        stem = filename.rsplit(".", 1)[0]
        is_package = stem == "__init__"
        parts = [*self._prefix(directory)]
        if not is_package:
            parts.append(stem)
        return ".".join(parts), is_package

    def _prefix(self, directory: str) -> list[str]:
        """The package names ``directory`` is inside, outermost first (once per folder)."""
        known = self._prefixes.get(directory)
        if known is None:
            known = []
            current = directory
            while self._is_package(current):
                current, package = os.path.split(current)
                known.append(package)
                if not package:
                    break
            known.reverse()
            self._prefixes[directory] = known
        return known


def display_path(path: Path, cwd: str) -> str:
    """Relative to the current directory when under it, with forward slashes."""
    absolute = os.path.abspath(path)
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        absolute = os.path.relpath(absolute, cwd)
    return absolute.replace(os.sep, "/")
