"""The Python version a project's code must run on, read from the project's own files.

``fix`` writes only what that version has: before 3.9 there is no ``asyncio.to_thread``
(``loop.run_in_executor`` instead), before 3.7 no ``asyncio.get_running_loop`` (the
offload is refused). Where the version comes from, first match wins:

1. ``--target-version`` on the command line;
2. ``target-version`` in ``[tool.asyncify]``;
3. the nearest directory, from the first path upwards (stopping at a repository root),
   that declares one: ``requires-python`` in ``pyproject.toml``'s ``[project]`` (its
   lowest allowed 3.x), else ``target-version`` in ``[tool.ruff]`` or ``ruff.toml``,
   else ``python_requires`` in ``setup.cfg``'s ``[options]``;
4. ``DEFAULT_TARGET``.
"""

from __future__ import annotations

import configparser
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

DEFAULT_TARGET = (3, 10)
"""When nothing declares a version: the oldest CPython still maintained (December 2026).
A fixed value, so that a fix does not depend on which Python runs asyncify."""

_NEWEST_MINOR = 30


class TargetError(ValueError):
    """A declared version that cannot be read; the message names the file and the key."""


@dataclass(frozen=True)
class Target:
    """A target version and where it came from (said by ``fix -v``)."""

    version: tuple[int, int]
    source: str

    def describe(self) -> str:
        return f"Python {self.version[0]}.{self.version[1]} ({self.source})"


def choose_target(
    flag: tuple[int, int] | None, configured: tuple[int, int] | None, configured_in: str | None, start: Path
) -> Target:
    """The target for a run over paths starting at ``start`` (see the module docstring)."""
    if flag is not None:
        return Target(flag, "--target-version")
    if configured is not None and configured_in is not None:
        return Target(configured, configured_in)
    declared = declared_target(start)
    if declared is not None:
        return declared
    return Target(DEFAULT_TARGET, "the default: no requires-python, ruff target-version or python_requires found")


def declared_target(start: Path) -> Target | None:
    """The version the nearest project files declare; ``TargetError`` when unreadable."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        found = _declared_in(directory)
        if found is not None:
            return found
        if (directory / ".git").exists():
            return None
    return None


def lowest_version(specifier: str) -> tuple[int, int] | None:
    """The lowest ``3.x`` a PEP 440 specifier allows (``>=3.8,<4`` -> ``(3, 8)``); ``None``
    when it allows none; ``InvalidSpecifier`` when it is not one."""
    allowed = SpecifierSet(specifier)
    for minor in range(_NEWEST_MINOR):
        if any(allowed.contains(f"3.{minor}.{patch}") for patch in range(_NEWEST_MINOR)):
            return (3, minor)
    return None


def _declared_in(directory: Path) -> Target | None:
    pyproject = directory / "pyproject.toml"
    data = _toml(pyproject) if pyproject.is_file() else {}
    requires = data.get("project", {}).get("requires-python")
    if requires is not None:
        return _from_specifier(requires, f"requires-python in {pyproject}")
    ruff = data.get("tool", {}).get("ruff", {}).get("target-version")
    if ruff is not None:
        return _from_ruff(ruff, f"[tool.ruff] target-version in {pyproject}")
    for name in ("ruff.toml", ".ruff.toml"):
        path = directory / name
        if path.is_file():
            value = _toml(path).get("target-version")
            if value is not None:
                return _from_ruff(value, f"target-version in {path}")
    setup_cfg = directory / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as error:
            raise TargetError(f"{setup_cfg}: cannot read: {error}") from None
        if parser.has_option("options", "python_requires"):
            return _from_specifier(parser.get("options", "python_requires"), f"python_requires in {setup_cfg}")
    return None


def _from_specifier(value: Any, where: str) -> Target:
    try:
        version = lowest_version(str(value)) if isinstance(value, str) else None
    except InvalidSpecifier:
        version = None
    if version is None:
        raise TargetError(f"{where}: {value!r} is not a version specifier that allows a Python 3 (such as '>=3.9')")
    return Target(version, f"{where}: {value!r}")


def _from_ruff(value: Any, where: str) -> Target:
    text = str(value).lower()
    if not (text.startswith("py3") and text[3:].isdigit()):
        raise TargetError(f"{where}: {value!r} is not a ruff target version (such as 'py39')")
    return Target((3, int(text[3:])), f"{where}: {value!r}")


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TargetError(f"{path}: cannot read: {error}") from None
