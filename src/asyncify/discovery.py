"""Which files a run processes: discovered once, sorted, de-duplicated.

``discover`` turns the paths given on the command line into the list of files to check,
the way black and ruff do:

- A directory is walked recursively (``os.scandir``). Only ``*.py`` files are collected
  (stubs, ``*.pyi``, carry no runtime code, so there is nothing to block in them).
  Excluded directories are pruned before they are entered; symlinked directories are
  never followed (no loops, no files reached twice); symlinked files are followed;
  broken or looping symlinks, FIFOs and other non-regular files are skipped silently.
  A directory named ``x.py`` is a directory: it is walked, never read as a file.
- ``config.exclude`` and ``config.extend_exclude`` are gitignore-style patterns, matched
  against the path relative to ``config.root`` when the file lies under it, otherwise
  relative to the directory that was given. A pattern without a slash (``.venv``,
  ``build``) matches that name at any depth.
- With ``config.respect_gitignore``, ``.gitignore`` files are honoured with git's
  semantics: the ones in the directories from the repository root (the nearest
  ancestor holding ``.git``; without one, ``config.root``; without that, the given
  directory) down to each file, plus ``.git/info/exclude``. A deeper file's patterns
  take precedence, and ``!pattern`` re-includes.
- A file named explicitly is always checked, whatever its extension and even if it is
  excluded or gitignored (so ``asyncify check build/gen.py`` does what it says), unless
  ``force_exclude`` is set, which applies the exclusions to named files too (for
  pre-commit, which passes every staged file). Likewise a directory named explicitly
  is walked even when it is itself excluded or gitignored (as ruff does; black does
  not): then only what lies beneath it is matched against the patterns, so
  ``check .venv/lib/foo`` checks that package while ``check .`` skips ``.venv``.
  With ``force_exclude`` such a directory yields nothing. A named path is matched
  relative to ``config.root``, else to the working directory, when it lies under it.
- Nothing raises for a bad path: a path that does not exist, a broken symlink, a
  symlink loop, a named path that is neither a file nor a directory, or a directory
  that cannot be read becomes an ``errors`` entry ``(path, message)``.

Returned files are relative to the current directory when under it (otherwise
absolute), sorted by their POSIX spelling, each once however many given paths overlap.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pathspec import GitIgnoreSpec

from asyncify.config import Config

GITIGNORE = ".gitignore"
SOURCE_SUFFIX = ".py"

TEMP_SUFFIX = ".asyncify.tmp"
"""``fix`` stages each file as ``.<name>.<8 random chars>.asyncify.tmp`` beside it
(``asyncify.write``); discovery finds the ones an interrupted run left behind."""
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")


def is_leftover_name(name: str) -> bool:
    """Whether a file name is one of our temporary files (``.m.py.k2j4x_9a.asyncify.tmp``)."""
    return name.endswith(TEMP_SUFFIX) and _TEMP_NAME.match(name) is not None


@dataclass(frozen=True, slots=True)
class Discovery:
    """The files to process, and the given paths (or directories) that could not be used.

    ``leftovers`` are temporary files of an interrupted ``fix`` met on the walk
    (``asyncify.write`` removes them when it next writes)."""

    files: list[Path]
    errors: list[tuple[str, str]]
    leftovers: list[Path] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Gitignore-style patterns relative to ``base`` (an absolute directory ending in a separator)."""

    base: str
    spec: GitIgnoreSpec


def discover(paths: Sequence[Path], config: Config, *, force_exclude: bool = False) -> Discovery:
    """The files to check under ``paths``; see the module docstring for the rules."""
    walker = _Walker(config, force_exclude)
    for given in paths or [Path(".")]:
        walker.add(given)
    cwd = _with_sep(os.getcwd())
    shown = sorted((_display(path, cwd) for path in walker.found), key=_posix)
    leftovers = sorted(Path(_display(path, cwd)) for path in walker.leftovers)
    return Discovery([Path(text) for text in shown], walker.errors, leftovers)


class _Walker:
    def __init__(self, config: Config, force_exclude: bool) -> None:
        self.config = config
        self.force_exclude = force_exclude
        self.root = _with_sep(os.path.abspath(config.root)) if config.root is not None else None
        self.cwd = _with_sep(os.getcwd())
        self.exclude = _Exclude([*config.exclude, *config.extend_exclude])
        self.found: set[str] = set()
        self.leftovers: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self._gitignores: dict[str, _Patterns | None] = {}

    # -- given paths -------------------------------------------------------------------

    def add(self, given: Path) -> None:
        text = str(given)
        absolute = os.path.abspath(given)
        try:
            info = os.stat(absolute)
        except OSError as error:
            self.errors.append((text, _stat_message(absolute, error)))
            return
        if stat.S_ISDIR(info.st_mode):
            self._walk(absolute)
        elif stat.S_ISREG(info.st_mode):
            if self.force_exclude and self._named_file_excluded(absolute):
                return
            self.found.add(absolute)
        else:
            self.errors.append((text, "not a regular file or directory"))

    def _named_file_excluded(self, absolute: str) -> bool:
        directory = os.path.dirname(absolute)
        base = self._named_base(absolute, _with_sep(directory))
        if self.exclude.matches(absolute[len(base) :], False):
            return True
        if not self.config.respect_gitignore:
            return False
        layers = self._ancestor_gitignores(directory)
        own = self._gitignore(directory)
        if own is not None:
            layers.append(own)
        return _ignored(layers, absolute, False)

    # -- walking -----------------------------------------------------------------------

    def _walk(self, top: str) -> None:
        top_sep = _with_sep(top)
        top_base = self._exclude_base(top_sep, top_sep)
        layers = self._ancestor_gitignores(top) if self.config.respect_gitignore else []
        named_base = self._named_base(top_sep, top_sep)
        excluded = named_base != top_sep and self.exclude.matches(top[len(named_base) :], True)
        ignored = bool(layers) and _ignored(layers, top, True)
        if excluded or ignored:
            if self.force_exclude:
                return
            # Named explicitly, so checked (as ruff does): only what lies beneath the
            # directory is matched, not the directory or its ancestors.
            top_base = top_sep if excluded else top_base
            layers = [] if ignored else layers
        stack: list[tuple[str, list[_Patterns]]] = [(top, layers)]
        while stack:
            directory, inherited = stack.pop()
            layers = inherited
            if self.config.respect_gitignore:
                own = self._gitignore(directory)
                if own is not None:
                    layers = [*inherited, own]
            try:
                entries = list(os.scandir(directory))
            except OSError as error:
                self.errors.append((_posix(_display(directory, _with_sep(os.getcwd()))), _os_message(error)))
                continue
            for entry in entries:
                path = entry.path
                try:
                    if entry.is_symlink():
                        # Symlinked directories are never followed (loops, duplicates);
                        # a symlinked file is, when its target is a regular file.
                        if entry.is_dir() or not entry.is_file():
                            continue
                        is_dir = False
                    else:
                        is_dir = entry.is_dir(follow_symlinks=False)
                        if not is_dir and not entry.is_file(follow_symlinks=False):
                            continue
                except OSError:
                    continue  # a symlink loop or an entry that vanished
                if not is_dir and not entry.name.endswith(SOURCE_SUFFIX):
                    if is_leftover_name(entry.name) and not entry.is_symlink():
                        self.leftovers.append(path)
                    continue
                if self._excluded(path, entry.name, is_dir, top_base, layers):
                    continue
                if is_dir:
                    stack.append((path, layers))
                else:
                    self.found.add(path)

    def _excluded(self, path: str, entry_name: str, is_dir: bool, top_base: str, layers: Sequence[_Patterns]) -> bool:
        if self.exclude.matches(path[len(top_base) :], is_dir, entry_name):
            return True
        return bool(layers) and _ignored(layers, path, is_dir)

    def _exclude_base(self, path: str, fallback: str) -> str:
        """``config.root`` when ``path`` lies under it, otherwise ``fallback``."""
        if self.root is not None and path.startswith(self.root):
            return self.root
        return fallback

    def _named_base(self, path: str, fallback: str) -> str:
        """For a path named on the command line: ``config.root``, else the working
        directory, when the path lies under it (so ``build/x.py`` matches ``build``)."""
        if self.root is not None and path.startswith(self.root):
            return self.root
        return self.cwd if path.startswith(self.cwd) else fallback

    # -- .gitignore --------------------------------------------------------------------

    def _gitignore(self, directory: str) -> _Patterns | None:
        """The patterns of ``directory/.gitignore`` (read once per directory)."""
        if directory not in self._gitignores:
            self._gitignores[directory] = _read_patterns(os.path.join(directory, GITIGNORE), directory)
        return self._gitignores[directory]

    def _ancestor_gitignores(self, directory: str) -> list[_Patterns]:
        """Patterns from the repository root down to ``directory``'s parent, outermost first."""
        ancestors: list[str] = []
        current = directory
        top: str | None = None
        while True:
            if os.path.exists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            ancestors.append(parent)
            current = parent
        if top is None:
            # Not in a git repository: use the ancestors up to the configuration root only.
            if self.root is None or not _with_sep(directory).startswith(self.root):
                return []
            ancestors = [a for a in ancestors if _with_sep(a).startswith(self.root)]
        layers: list[_Patterns] = []
        if top is not None:
            info = _read_patterns(os.path.join(top, ".git", "info", "exclude"), top)
            if info is not None:
                layers.append(info)
        for ancestor in reversed(ancestors):
            patterns = self._gitignore(ancestor)
            if patterns is not None:
                layers.append(patterns)
        return layers


def _read_patterns(file: str, directory: str) -> _Patterns | None:
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    spec = GitIgnoreSpec.from_lines(lines)
    return _Patterns(_with_sep(directory), spec) if spec.patterns else None


def _ignored(layers: Sequence[_Patterns], path: str, is_dir: bool) -> bool:
    """Git's precedence: the deepest ``.gitignore`` with an opinion on ``path`` decides."""
    for layer in reversed(layers):
        if not path.startswith(layer.base):
            continue
        result = layer.spec.check_file(_relative(path[len(layer.base) :], is_dir))
        if result.include is not None:
            return result.include
    return False


class _Exclude:
    """``exclude`` + ``extend-exclude``, with a fast path for plain names.

    The defaults are all plain names (``.venv``, ``build``); a plain name, with or
    without a trailing slash, matches any path component, so during the walk (which
    has already pruned the ancestors) it is enough to look the entry's own name up in a
    set. Patterns with slashes or wildcards go through pathspec; a negated pattern
    anywhere sends every pattern through pathspec, where order matters.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.names: frozenset[str] = frozenset()
        self.dir_names: frozenset[str] = frozenset()
        rest = list(patterns)
        if not any(p.startswith("!") for p in patterns):
            names, dir_names, rest = [], [], []
            for pattern in patterns:
                if _is_plain_name(pattern):
                    names.append(pattern)
                elif pattern.endswith("/") and _is_plain_name(pattern[:-1]):
                    dir_names.append(pattern[:-1])
                else:
                    rest.append(pattern)
            self.names, self.dir_names = frozenset(names), frozenset(dir_names)
        self.spec = GitIgnoreSpec.from_lines(rest) if rest else None

    def matches(self, relative: str, is_dir: bool, name: str | None = None) -> bool:
        """Whether ``relative`` is excluded; ``name`` (its last component) says its
        ancestors were already checked, so only the name needs the plain-name lookup."""
        parts = [name] if name is not None else relative.replace(os.sep, "/").split("/")
        if any(part in self.names for part in parts):
            return True
        dirs = parts if is_dir else parts[:-1]
        if any(part in self.dir_names for part in dirs):
            return True
        return self.spec is not None and bool(self.spec.match_file(_relative(relative, is_dir)))


def _is_plain_name(pattern: str) -> bool:
    return bool(pattern) and not any(c in pattern for c in "/\\*?[]!# ") and pattern.strip() == pattern


def _relative(relative: str, is_dir: bool) -> str:
    if os.sep != "/":
        relative = relative.replace(os.sep, "/")
    return relative + "/" if is_dir else relative


def _with_sep(directory: str | os.PathLike[str]) -> str:
    text = os.fspath(directory)
    return text if text.endswith(os.sep) else text + os.sep


def _display(absolute: str, cwd: str) -> str:
    """Relative to ``cwd`` (which ends in a separator) when under it, else as is."""
    return absolute.removeprefix(cwd)


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


def _stat_message(path: str, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or directory"
    return _os_message(error)


def _os_message(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()
