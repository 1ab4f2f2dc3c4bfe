"""How the project's own tools want code to look: line length and import sections.

A fix lands in a pull request next to the project's linters: an ``import asyncio``
appended after the first-party imports fails ruff's ``I001``, a 128-character line fails
``E501``. So the settings those tools read are read here, from the project root, once per
run: ``line-length`` from ``[tool.ruff]`` (``[tool.ruff.lint.pycodestyle]
max-line-length`` first, as E501 does) or ``ruff.toml``, else ``[tool.black]``, else
``max-line-length`` in ``[flake8]`` of ``setup.cfg``/``tox.ini``/``.flake8``, else 88;
the import sections from ``[tool.ruff.lint.isort]`` (or ``[tool.ruff.isort]``,
``ruff.toml``) or ``[tool.isort]``: ``known-first-party``, ``known-third-party``,
``force-sort-within-sections``. First-party modules are found as ruff finds them: a
package or module directly under one of the ``src`` folders (default: the root and
``root/src``). Unreadable files count as saying nothing.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asyncify.dependencies import toml_file, toml_table

DEFAULT_LINE_LENGTH = 88


@dataclass(frozen=True, slots=True)
class ProjectStyle:
    """The project's line length and import-sorting settings."""

    line_length: int = DEFAULT_LINE_LENGTH
    first_party: frozenset[str] = frozenset()
    """``known-first-party``: first-party even where the standard library has the name."""
    third_party: frozenset[str] = frozenset()
    """``known-third-party``."""
    local: frozenset[str] = frozenset()
    """Packages and modules found in the ``src`` folders: first-party unless stdlib."""
    force_sort_within_sections: bool = False

    @classmethod
    def read(cls, root: Path | None) -> ProjectStyle:
        if root is None:
            return cls()
        pyproject = toml_file(root / "pyproject.toml")
        tool = toml_table(pyproject.get("tool"))
        ruff = toml_table(tool.get("ruff"))
        if not ruff:
            ruff = toml_file(root / "ruff.toml") or toml_file(root / ".ruff.toml")
        lint = toml_table(ruff.get("lint"))
        isort = toml_table(lint.get("isort")) or toml_table(ruff.get("isort"))
        other = toml_table(tool.get("isort"))
        src = ruff.get("src")
        folders = [root / p for p in src if isinstance(p, str)] if isinstance(src, list) else [root, root / "src"]
        local: set[str] = set()
        for folder in folders:
            local |= _top_level_modules(folder)
        return cls(
            line_length=_line_length(root, ruff, lint, toml_table(tool.get("black"))),
            first_party=frozenset(_names(isort, other, "known-first-party")),
            third_party=frozenset(_names(isort, other, "known-third-party")),
            local=frozenset(local),
            force_sort_within_sections=bool(
                _setting(isort, "force-sort-within-sections") or _setting(other, "force-sort-within-sections")
            ),
        )


def _line_length(root: Path, ruff: dict[str, Any], lint: dict[str, Any], black: dict[str, Any]) -> int:
    candidates = (
        toml_table(lint.get("pycodestyle")).get("max-line-length"),
        toml_table(ruff.get("pycodestyle")).get("max-line-length"),
        ruff.get("line-length"),
        black.get("line-length"),
    )
    for value in candidates:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    for name in ("setup.cfg", "tox.ini", ".flake8"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(_text(root / name))
            value = parser.get("flake8", "max-line-length", fallback="")
        except configparser.Error:
            continue
        if value.strip().isdigit() and int(value) > 0:
            return int(value)
    return DEFAULT_LINE_LENGTH


def _setting(table: dict[str, Any], key: str) -> object:
    """``key`` in ruff's spelling or isort's (``known_first_party``)."""
    return table.get(key, table.get(key.replace("-", "_")))


def _names(ruff: dict[str, Any], isort: dict[str, Any], key: str) -> set[str]:
    found: set[str] = set()
    for table in (ruff, isort):
        value = _setting(table, key)
        if isinstance(value, list):
            found |= {item.split(".", 1)[0] for item in value if isinstance(item, str)}
    return found


def _top_level_modules(folder: Path) -> set[str]:
    """Packages (folders) and modules directly in ``folder``, as ruff's ``src`` lookup sees them."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return set()
    found = set()
    for entry in entries:
        if entry.name.startswith((".", "__")):
            continue
        if entry.suffix in (".py", ".pyi") and entry.stem.isidentifier():
            found.add(entry.stem)
        elif entry.name.isidentifier() and entry.is_dir():
            found.add(entry.name)
    return found


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
