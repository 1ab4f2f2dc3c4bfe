"""What the project depends on: new code may import a third-party module only if it does.

A fix that adds ``import aiofiles`` to a package that does not depend on aiofiles breaks
its import (``ModuleNotFoundError``) wherever it is installed. So before a codemod writes
a third-party import, the project's own declarations are read: ``[project]``
dependencies and optional dependencies, ``[dependency-groups]``, Poetry's tables,
``requirements*.txt`` (also under ``requirements/``), ``setup.cfg``'s
``install_requires``/``extras_require`` and ``setup.py``'s string literals in
``install_requires``; a module the project already imports counts as declared too (it is
installed wherever the project runs). Unreadable files count as declaring nothing: this
never fails a run.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asyncify.config import Config
from asyncify.vocabulary import Backend, Strategy

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_SETUP_PY_REQUIRES = re.compile(r"install_requires\s*=\s*\[(.*?)\]", re.S)
_STRING = re.compile(r"""["']([^"']+)["']""")

THIRD_PARTY_WRITTEN = {"aiofiles": "aiofiles", "anyio": "anyio", "trio": "trio"}
"""Third-party modules codemods may write, with the distribution that provides each."""


def normalise(name: str) -> str:
    """PEP 503: ``Foo_Bar.baz`` and ``foo-bar-baz`` are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True, slots=True)
class DeclaredDependencies:
    """The distributions a project declares and the top-level modules it imports."""

    distributions: frozenset[str] = frozenset()
    imported: frozenset[str] = frozenset()

    def declares(self, module: str) -> bool:
        """Whether new code may ``import module`` (``aiofiles``, ``anyio``, ``trio``)."""
        distribution = THIRD_PARTY_WRITTEN.get(module, module)
        return module in self.imported or normalise(distribution) in self.distributions

    @classmethod
    def read(cls, root: Path | None, imported: Iterable[str] = ()) -> DeclaredDependencies:
        """The declarations found in ``root``'s packaging files; ``imported``: qualified
        names the project's modules import (``aiofiles.open``), reduced to top-level modules."""
        names: set[str] = set()
        if root is not None:
            for requirement in _declared(root):
                match = _NAME.match(requirement)
                if match:
                    names.add(normalise(match.group(1)))
        tops = frozenset(name.split(".", 1)[0] for name in imported)
        return cls(frozenset(names), tops)


def undeclared_modules(dependencies: DeclaredDependencies, config: Config) -> frozenset[str]:
    """The third-party modules codemods must not write: not declared, and not forced by
    the configuration (``--strategy aiofiles``, ``AFY101 = "aiofiles"``)."""
    forced = forced_modules(config)
    return frozenset(m for m in ("aiofiles",) if m not in forced and not dependencies.declares(m))


def forced_modules(config: Config) -> frozenset[str]:
    """Third-party modules the configuration asks for explicitly."""
    forced: set[str] = set()
    if config.strategy is Strategy.AIOFILES or Strategy.AIOFILES in config.rule_strategy.values():
        forced.add("aiofiles")
    if config.backend in (Backend.ANYIO, Backend.TRIO):
        forced.add(str(config.backend))
    return frozenset(forced)


def fallback_note(module: str) -> str:
    """The summary line for edits that fell back because ``module`` is not declared."""
    return (
        f"{module} is not a dependency of this project: used to_thread "
        f"(declare {module}, or pass --strategy {module}, to use it)"
    )


def add_dependency_note(module: str) -> str:
    """The summary line when the configuration forces an undeclared ``module``."""
    distribution = THIRD_PARTY_WRITTEN.get(module, module)
    return (
        f"{module} is not a dependency of this project, and the fixed code imports it: "
        f"add `{distribution}` to its dependencies ([project] dependencies in pyproject.toml)"
    )


def _declared(root: Path) -> Iterator[str]:
    """Every requirement string the project's packaging files hold."""
    pyproject = toml_file(root / "pyproject.toml")
    project = toml_table(pyproject.get("project"))
    yield from _strings(project.get("dependencies"))
    for extra in toml_table(project.get("optional-dependencies")).values():
        yield from _strings(extra)
    for group in toml_table(pyproject.get("dependency-groups")).values():
        yield from _strings(group)
    poetry = toml_table(toml_table(pyproject.get("tool")).get("poetry"))
    yield from toml_table(poetry.get("dependencies"))
    yield from toml_table(poetry.get("dev-dependencies"))
    for group in toml_table(poetry.get("group")).values():
        yield from toml_table(toml_table(group).get("dependencies"))
    requirement_files = [*root.glob("requirements*.txt"), *root.glob("requirements/*.txt")]
    for path in sorted(requirement_files):
        yield from _requirement_lines(path)
    yield from _setup_cfg(root / "setup.cfg")
    yield from _setup_py(root / "setup.py")


def toml_file(path: Path) -> dict[str, Any]:
    """A TOML file's table; ``{}`` when it is missing or unreadable (never an error here)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def toml_table(value: object) -> dict[str, Any]:
    """``value`` when it is a table, else ``{}`` (a hand-written file may hold anything)."""
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    """The strings of a TOML array (``{include-group = ...}`` entries are skipped: the
    group they name is read on its own)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _requirement_lines(path: Path) -> Iterator[str]:
    for line in _text(path).splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            yield line


def _setup_cfg(path: Path) -> Iterator[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_text(path))
    except configparser.Error:
        return
    if parser.has_option("options", "install_requires"):
        yield from parser.get("options", "install_requires").splitlines()
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            yield from value.splitlines()


def _setup_py(path: Path) -> Iterator[str]:
    for block in _SETUP_PY_REQUIRES.findall(_text(path)):
        yield from _STRING.findall(block)


def dependency_notes(
    fallbacks: Iterable[str], used: Iterable[str], dependencies: DeclaredDependencies, config: Config
) -> list[str]:
    """The summary's lines about dependencies: edits that fell back (``fallbacks``, one
    line each however often), and each module the configuration forced into new code
    (``used``) that the project does not declare."""
    notes = sorted(set(fallbacks))
    for module in sorted(forced_modules(config) & set(used)):
        if not dependencies.declares(module):
            notes.append(add_dependency_note(module))
    return notes
