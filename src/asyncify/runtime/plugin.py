"""asyncify's pytest plugin (entry point ``pytest11``): off unless asked for.

Enabled by ``pytest --asyncify-runtime=report.json`` or by ``runtime = "report.json"``
in ``[tool.asyncify]`` (relative to that ``pyproject.toml``); ``-p no:asyncify`` turns
a configured one off. pytest imports this module in every run of an environment where
asyncify is installed, so it stays tiny: it registers the options and, only when
recording is enabled, imports ``asyncify.runtime.session`` (blockbuster, the tracer,
the frame mapping). Disabled, it costs one option group and, in a project whose
``pyproject.toml`` mentions asyncify, one small TOML parse.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

OPTION = "--asyncify-runtime"
SLOW_OPTION = "--asyncify-runtime-slow"
DEFAULT_SLOW = 0.1
"""asyncio's own default ``slow_callback_duration``, in seconds."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("asyncify", "asyncify: blocking calls seen at run time")
    group.addoption(
        OPTION,
        metavar="PATH",
        default=None,
        help="record blocking calls on the event loop while the tests run and write them to PATH "
        "(JSON), for `asyncify check --runtime PATH`. Needs asyncify-lint[runtime].",
    )
    group.addoption(
        SLOW_OPTION,
        metavar="SECONDS",
        type=float,
        default=DEFAULT_SLOW,
        help="with --asyncify-runtime: also record task steps that hold the loop longer than this "
        f"(asyncio debug mode; default {DEFAULT_SLOW}); 0 turns debug mode off.",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Start as early as pytest allows: before the project's conftest.py files import it."""
    given = getattr(early_config.known_args_namespace, "asyncify_runtime", None)
    if given:
        target: Path | None = early_config.invocation_params.dir / given
    else:
        target = configured_target(early_config.rootpath)
    if target is None:
        return
    slow = getattr(early_config.known_args_namespace, "asyncify_runtime_slow", DEFAULT_SLOW)
    if slow is None or slow < 0:
        raise pytest.UsageError(f"{SLOW_OPTION} must be a number of seconds, 0 or more")

    from asyncify.runtime.session import start

    start(early_config, target, float(slow))


def configured_target(root: Path) -> Path | None:
    """``runtime`` from the nearest ``[tool.asyncify]`` above ``root``, as an absolute path."""
    for directory in (root, *root.parents):
        candidate = directory / "pyproject.toml"
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "asyncify" not in text:
            continue
        try:
            table = tomllib.loads(text).get("tool", {}).get("asyncify")
        except tomllib.TOMLDecodeError as error:
            raise pytest.UsageError(f"{candidate}: cannot read configuration: {error}") from None
        if not isinstance(table, dict):
            continue
        if "runtime" not in table:
            return None
        from asyncify.config import ConfigError, parse_table

        try:
            return parse_table(table, candidate).runtime
        except ConfigError as error:
            raise pytest.UsageError(str(error)) from None
    return None
