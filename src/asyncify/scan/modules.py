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
        parts = [] if is_package else [stem]
        while self._is_package(directory):
            directory, package = os.path.split(directory)
            parts.append(package)
            if not package:
                break
        return ".".join(reversed(parts)), is_package
