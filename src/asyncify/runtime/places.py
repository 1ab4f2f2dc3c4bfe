"""Which files are the project's code, as opposed to its tests and the libraries it uses.

A call site is reported only in *project code*: a file under the root (pytest's
rootdir) that

- is not installed code (nor this plugin's own): not under the interpreter's prefixes (a ``.venv`` inside the
  project is not project code) nor in a ``site-packages`` / ``dist-packages`` folder;
- is not a test: not ``conftest.py``, not a file matching pytest's ``python_files``
  (``test_*.py``, ``*_test.py``), not below a folder named ``tests`` or ``test``;
- is one that ``asyncify check <root>`` would check: the configuration's ``exclude``,
  ``extend-exclude`` and ``.gitignore`` apply (``confirm``).

``quick`` decides the first two from the file name alone (no system calls: it runs on
the event loop's thread, inside the tracer); ``confirm`` applies the configuration once,
at the end of the run.
"""

from __future__ import annotations

import enum
import fnmatch
import os
import site
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

TEST_FOLDERS = frozenset({"tests", "test"})
INSTALL_FOLDERS = frozenset({"site-packages", "dist-packages"})


class Place(enum.Enum):
    PROJECT = "project"
    TEST = "test"
    EXCLUDED = "excluded"
    """Under the root, but excluded from checking by the configuration or .gitignore."""
    LIBRARY = "library"


def _with_sep(path: str) -> str:
    return path if path.endswith(os.sep) else path + os.sep


class Places:
    """Classifies ``co_filename`` values; results are cached per file name."""

    def __init__(self, root: Path, test_patterns: Sequence[str] = ("test_*.py", "*_test.py")) -> None:
        absolute = os.path.abspath(root)
        self.root = Path(absolute)
        self._roots = tuple(dict.fromkeys(_with_sep(p) for p in (absolute, os.path.realpath(absolute))))
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        prefixes.update(site.getsitepackages() if hasattr(site, "getsitepackages") else ())
        user_site = site.getusersitepackages() if hasattr(site, "getusersitepackages") else None
        if isinstance(user_site, str):
            prefixes.add(user_site)
        self._installed = tuple(_with_sep(os.path.abspath(p)) for p in prefixes if p)
        self._own = _with_sep(os.path.dirname(os.path.abspath(__file__)))
        self._test_patterns = tuple(test_patterns)
        self._cache: dict[str, Place] = {}
        self._relative: dict[str, str] = {}

    def quick(self, filename: str) -> Place:
        """The place of a file from its name alone (cached)."""
        known = self._cache.get(filename)
        if known is None:
            known = self._cache[filename] = self._classify(filename)
        return known

    def _classify(self, filename: str) -> Place:
        if not os.path.isabs(filename):
            return Place.LIBRARY  # "<frozen ...>", "<string>", generated code
        normal = os.path.normpath(filename)
        if normal.startswith(self._own):
            return Place.LIBRARY  # the plugin itself, even when the project is asyncify
        root = next((r for r in self._roots if normal.startswith(r)), None)
        if root is None:
            return Place.LIBRARY
        # A root that is itself an interpreter prefix or inside one (the project *is* a venv) stays project.
        if any(normal.startswith(p) and not root.startswith(p) for p in self._installed):
            return Place.LIBRARY
        parts = PurePosixPath(Path(normal[len(root) :]).as_posix()).parts
        if INSTALL_FOLDERS.intersection(parts[:-1]):
            return Place.LIBRARY
        self._relative[filename] = "/".join(parts)
        name = parts[-1] if parts else ""
        if name == "conftest.py" or any(fnmatch.fnmatch(name, p) for p in self._test_patterns):
            return Place.TEST
        if TEST_FOLDERS.intersection(parts[:-1]):
            return Place.TEST
        return Place.PROJECT

    def relative(self, filename: str) -> str:
        """The POSIX path relative to the root of a file under it (``quick`` it first)."""
        self.quick(filename)
        return self._relative.get(filename, filename)

    def confirm(self, filenames: Iterable[str]) -> None:
        """Demote project candidates that ``asyncify check <root>`` would not check."""
        from asyncify.config import Config, ConfigError, load_config
        from asyncify.discovery import discover

        candidates = sorted({f for f in filenames if self.quick(f) is Place.PROJECT})
        if not candidates:
            return
        try:
            config = load_config(self.root)
        except ConfigError:
            config = Config()
        if config.root is None:
            config = config.with_overrides(root=self.root)
        kept = discover([Path(f) for f in candidates], config, force_exclude=True)
        checked = {os.path.normpath(os.path.abspath(path)) for path in kept.files}
        for filename in candidates:
            if os.path.normpath(filename) not in checked:
                self._cache[filename] = Place.EXCLUDED
