"""One typed configuration: defaults, then the nearest ``[tool.asyncify]``, then CLI flags.

``pyproject.toml`` is found by walking up from the first path given (or the current
directory) to the project root (``asyncify.project``) and no further. Unknown keys,
unknown rule codes and ill-typed values are errors that name the key and the file, so a
typo never silently disables a rule; every shape of file (``tool = 5``) ends in such an
error, never a traceback.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from asyncify.catalogue.catalogue import STRATEGIES, CatalogueEntry, CatalogueError, entry_from_table
from asyncify.catalogue.objects import BlockingClass, class_from_table
from asyncify.codes import EXTRA_CALL_CODE as EXTRA_CALL_CODE  # re-exported: where the code used to live
from asyncify.codes import unknown_code
from asyncify.target import DEFAULT_TARGET
from asyncify.vocabulary import Backend, OutputFormat, Strategy

BACKENDS = tuple(Backend)
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".asyncify_cache",
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
)


class ConfigError(ValueError):
    """Bad configuration; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """Every option asyncify reads. Frozen: derive variants with ``with_overrides``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    extra_blocking_calls: tuple[CatalogueEntry, ...] = ()
    extra_blocking_classes: tuple[BlockingClass, ...] = ()
    strategy: Strategy | None = None
    rule_strategy: dict[str, Strategy] = field(default_factory=dict)
    backend: Backend = Backend.AUTO
    target_version: tuple[int, int] = DEFAULT_TARGET
    target_source: str | None = None
    """Where ``target_version`` was set in configuration (``None``: not set there)."""
    twin_name: str | None = None
    baseline: Path | None = None
    """``check`` reports only findings this baseline does not accept (``asyncify.baseline``)."""
    output_format: OutputFormat | None = None
    """``check``'s output when ``--output-format`` is not given (``None``: by terminal)."""
    propagate_name: str | None = None
    """Template for a propagated ``*_sync`` function's new name (``{name}_async`` when unset)."""
    unsafe_fixes: bool = False
    fix_max_bytes: int = 1_000_000
    """``fix`` leaves larger files alone (``asyncify.gate``)."""
    fix_max_depth: int = 3_000
    """``fix`` leaves files nested deeper than this alone (``asyncify.gate``)."""
    respect_gitignore: bool = True
    cache: bool = True
    runtime: Path | None = None
    """Where the pytest plugin writes its run-time report (``asyncify.runtime``)."""
    source: Path | None = None
    root: Path | None = None
    """The directory of ``source``: exclude patterns are relative to it."""
    project_root: Path | None = None
    """The run's boundary (``asyncify.project``): set by ``api.config_for``."""

    def __post_init__(self) -> None:
        """Strategy and backend names given as strings (tests, library callers) become
        the vocabulary's enums, so every reader can rely on them."""
        if self.strategy is not None:
            object.__setattr__(self, "strategy", Strategy(self.strategy))
        object.__setattr__(self, "backend", Backend(self.backend))
        object.__setattr__(self, "rule_strategy", {k: Strategy(v) for k, v in self.rule_strategy.items()})

    def with_overrides(self, **changes: Any) -> Config:
        """A copy with CLI flags applied; ``None`` means 'not given on the command line'."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def is_selected(self, code: str) -> bool:
        """``select`` and ``ignore`` take exact codes or prefixes (``AFY1``)."""
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(i) for i in self.ignore)

    def strategy_for(self, code: str) -> Strategy | None:
        """The strategy the user chose for this rule: command line first, then per rule."""
        if self.strategy is not None:
            return self.strategy
        for prefix in sorted(self.rule_strategy, key=len, reverse=True):
            if code.startswith(prefix):
                return self.rule_strategy[prefix]
        return None

    def fingerprint(self) -> str:
        """What of the configuration changes scan results (the cache key part)."""
        calls = self.extra_blocking_calls
        return repr((sorted(e.name for e in calls), calls, self.extra_blocking_classes))


_KEYS = {
    "select": "list of rule codes or prefixes",
    "ignore": "list of rule codes or prefixes",
    "exclude": "list of gitignore-style patterns (replaces the defaults)",
    "extend-exclude": "list of gitignore-style patterns (added to the defaults)",
    "extra-blocking-calls": "list of tables {name, code?, message?, strategies?}; name may be 'mod.*' or '*.method'",
    "extra-blocking-classes": "list of class names, or tables {name, non-blocking?, alternative?, code?}",
    "strategy": "table rule code -> strategy",
    "backend": "one of " + ", ".join(BACKENDS),
    "target-version": "a Python version such as 'py38' or '3.8'",
    "twin-name": "a template containing '{name}', such as '{name}_async'",
    "baseline": "a path (relative to this file) written by `asyncify check --write-baseline`",
    "output-format": "one of " + ", ".join(OutputFormat),
    "propagate-name": "a template containing '{name}', such as '{name}_async' or '{name}'",
    "unsafe-fixes": "true or false",
    "fix-max-bytes": "a positive number of bytes",
    "fix-max-depth": "a positive number of syntax levels",
    "respect-gitignore": "true or false",
    "cache": "true or false",
    "runtime": "a path (relative to this file) where `pytest` writes its run-time report",
}


def find_pyproject(start: Path, stop: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.asyncify]`` table, walking up from
    ``start`` to ``stop`` (the project root) inclusive; without ``stop``, to ``/``."""
    here = Path(os.path.abspath(start))  # not resolve(): a symlink loop must not raise here
    if not os.path.isdir(here):
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _asyncify_table(_read_toml(candidate), candidate) is not None:
            return candidate
        if stop is not None and directory == Path(os.path.abspath(stop)):
            break
    return None


def load_config(start: Path, stop: Path | None = None) -> Config:
    """Defaults overlaid with the ``[tool.asyncify]`` table nearest to ``start``."""
    source = find_pyproject(start, stop)
    if source is None:
        return Config()
    return parse_table(_asyncify_table(_read_toml(source), source), source)


def read_config_file(path: Path) -> Config:
    """``--config FILE``: its ``[tool.asyncify]`` table (defaults when it has none)."""
    table = _asyncify_table(_read_toml(path), path)
    return parse_table(table if table is not None else {}, path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None


def _asyncify_table(data: dict[str, Any], where: Path) -> Any:
    """``data["tool"]["asyncify"]``, ``None`` when absent; ``tool = 5`` is an error."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"{where}: [tool] must be a table, not {type(tool).__name__}")
    return tool.get("asyncify")


def _string_list(value: Any, key: str, where: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [tool.asyncify] {key} must be a {_KEYS[key]}")
    return tuple(value)


def parse_target_version(value: str) -> tuple[int, int]:
    """``py38``, ``3.8`` or ``38`` -> ``(3, 8)``."""
    text = value.lower().removeprefix("py").replace(".", "")
    if not text.isdigit() or len(text) < 2 or text[0] != "3":
        raise ValueError(value)
    return (3, int(text[1:]))


def parse_table(table: Any, where: Path) -> Config:
    """Validate a ``[tool.asyncify]`` table into a Config; errors name file and key."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.asyncify] must be a table")
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{where}: unknown key {key!r} in [tool.asyncify]{hint}")
    config = Config(source=where, root=where.parent)
    changes: dict[str, Any] = {}
    for key in ("select", "ignore", "exclude", "extend-exclude"):
        if key in table:
            changes[key.replace("-", "_")] = _string_list(table[key], key, where)
    for key in ("unsafe-fixes", "respect-gitignore", "cache"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{where}: [tool.asyncify] {key} must be true or false")
            changes[key.replace("-", "_")] = table[key]
    for key in ("fix-max-bytes", "fix-max-depth"):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ConfigError(f"{where}: [tool.asyncify] {key} must be {_KEYS[key]}")
            changes[key.replace("-", "_")] = value
    if "backend" in table:
        if table["backend"] not in BACKENDS:
            raise ConfigError(f"{where}: [tool.asyncify] backend must be {_KEYS['backend']}, not {table['backend']!r}")
        changes["backend"] = Backend(table["backend"])
    if "target-version" in table:
        try:
            changes["target_version"] = parse_target_version(str(table["target-version"]))
            changes["target_source"] = f"[tool.asyncify] target-version in {where}"
        except ValueError:
            raise ConfigError(f"{where}: [tool.asyncify] target-version must be {_KEYS['target-version']}") from None
    if "twin-name" in table:
        template = table["twin-name"]
        if not isinstance(template, str) or "{name}" not in template:
            raise ConfigError(f"{where}: [tool.asyncify] twin-name must be {_KEYS['twin-name']}")
        changes["twin_name"] = template
    if "runtime" in table:
        if not isinstance(table["runtime"], str) or not table["runtime"].strip():
            raise ConfigError(f"{where}: [tool.asyncify] runtime must be {_KEYS['runtime']}")
        changes["runtime"] = where.parent / table["runtime"]
    if "baseline" in table:
        if not isinstance(table["baseline"], str) or not table["baseline"].strip():
            raise ConfigError(f"{where}: [tool.asyncify] baseline must be {_KEYS['baseline']}")
        changes["baseline"] = where.parent / table["baseline"]
    if "output-format" in table:
        if table["output-format"] not in tuple(OutputFormat):
            raise ConfigError(f"{where}: [tool.asyncify] output-format must be {_KEYS['output-format']}")
        changes["output_format"] = OutputFormat(table["output-format"])
    if "propagate-name" in table:
        template = table["propagate-name"]
        if not isinstance(template, str) or "{name}" not in template:
            raise ConfigError(f"{where}: [tool.asyncify] propagate-name must be {_KEYS['propagate-name']}")
        changes["propagate_name"] = template
    if "strategy" in table:
        strategy = table["strategy"]
        if not isinstance(strategy, dict) or not all(v in STRATEGIES for v in strategy.values()):
            raise ConfigError(
                f"{where}: [tool.asyncify] strategy must map rule codes to one of {', '.join(STRATEGIES)}"
            )
        changes["rule_strategy"] = {code.upper(): Strategy(value) for code, value in strategy.items()}
    if "extra-blocking-calls" in table:
        rows = table["extra-blocking-calls"]
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ConfigError(
                f"{where}: [tool.asyncify] extra-blocking-calls must be a {_KEYS['extra-blocking-calls']}"
            )
        try:
            changes["extra_blocking_calls"] = tuple(
                entry_from_table(row, "extra", EXTRA_CALL_CODE, f"{where}: extra-blocking-calls[{i}]")
                for i, row in enumerate(rows)
            )
        except CatalogueError as error:
            raise ConfigError(str(error)) from None
    if "extra-blocking-classes" in table:
        changes["extra_blocking_classes"] = _extra_classes(table["extra-blocking-classes"], where)
    _check_codes(changes, where)
    return replace(config, **changes)


def _check_codes(changes: dict[str, Any], where: Path) -> None:
    """``select``, ``ignore`` and ``[tool.asyncify.strategy]`` keys must name known codes,
    as on the command line (upper-cased, like the command line does)."""
    extra = changes.get("extra_blocking_calls", ())
    for key, field_name in (("select", "select"), ("ignore", "ignore"), ("strategy", "rule_strategy")):
        codes = changes.get(field_name)
        if not codes:
            continue
        if isinstance(codes, tuple):
            changes[field_name] = codes = tuple(code.upper() for code in codes)
        bad = unknown_code(codes, extra)
        if bad is not None:
            raise ConfigError(
                f"{where}: [tool.asyncify] {key}: unknown rule code or prefix {bad!r} "
                "(`asyncify rules` lists the codes)"
            )


def _extra_classes(rows: Any, where: Path) -> tuple[BlockingClass, ...]:
    """``["mylib.SyncClient", {name = "mylib.Pool", non-blocking = ["size"]}]``: the
    project's own blocking object types (every method blocks but the listed ones)."""
    if not isinstance(rows, list) or not all(isinstance(r, (str, dict)) for r in rows):
        expected = _KEYS["extra-blocking-classes"]
        raise ConfigError(f"{where}: [tool.asyncify] extra-blocking-classes must be a {expected}")
    classes = []
    for index, row in enumerate(rows):
        table = {"name": row} if isinstance(row, str) else dict(row)
        context = f"{where}: extra-blocking-classes[{index}]"
        if "names" in table or not isinstance(table.get("name"), str):
            raise ConfigError(f"{context}: 'name' must be a dotted class name such as 'mylib.SyncClient'")
        table["names"] = [table.pop("name")]
        try:
            classes.append(class_from_table(table, "extra", EXTRA_CALL_CODE, context))
        except CatalogueError as error:
            raise ConfigError(str(error)) from None
    return tuple(classes)
