"""asyncify's command line: a thin typer shell over ``asyncify.api``.

Every command follows the same steps: build the configuration (``run_config``: the
nearest ``pyproject.toml`` or ``--config``, then the flags), call the library, fill a
``Report``, hand it to a renderer, and exit with ``report.exit_code``. Nothing here
decides what is a finding or how output looks; that lives in ``asyncify.api`` and
``asyncify.report``.

Adding a command (``fix``) is adding one function (or registering one from another
module) in the marked section below: reuse the option types (``Paths``, ``Select``,
...), ``run_config`` and ``fail``.
"""

from __future__ import annotations

import enum
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from asyncify import __version__
from asyncify.api import config_for, run_check
from asyncify.catalogue import load_builtin_catalogue
from asyncify.config import EXTRA_CALL_CODE, Config, ConfigError
from asyncify.report import OutputFormat, Report, emit
from asyncify.report.human import make_console
from asyncify.report.progress import progress_bar
from asyncify.report.rules import close_matches, find_rule, render_explanation, render_rules, rules_json
from asyncify.rules import all_rules

if TYPE_CHECKING:
    from asyncify.runtime.document import RuntimeReport

HELP = """Find blocking synchronous calls (file I/O, sleep, subprocess, network) inside async def code, and rewrite them.

Start with `asyncify check src/`; `asyncify rules` lists the rules and `asyncify explain CODE` documents one."""

app = typer.Typer(
    name="asyncify",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# -- option types shared by the commands ------------------------------------------------

Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Files or directories to process (default: the current directory).", show_default=False),
]
Format = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="Output: human (people), json (scripts), sarif (code scanning), github (Actions annotations).",
        case_sensitive=False,
    ),
]
Select = Annotated[
    str | None,
    typer.Option(
        help="Comma-separated rule codes or prefixes to report (replaces `select` from the configuration).",
        show_default=False,
    ),
]
Ignore = Annotated[
    str | None,
    typer.Option(
        help="Comma-separated rule codes or prefixes to leave out (replaces `ignore` from the configuration).",
        show_default=False,
    ),
]
ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="A pyproject.toml to read \\[tool.asyncify] from, instead of the nearest one.",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the per-file result cache.")]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for scanning (default: one per CPU).", show_default=False
    ),
]
ExitZero = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings (2 still means an error).")
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="Only the findings and errors: no summary, no progress bar.")
]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also the configuration used, stage timings and tracebacks.")
]
RuntimeFile = Annotated[
    Path | None,
    typer.Option(
        "--runtime",
        help="A run-time report written by `pytest --asyncify-runtime=PATH`: marks findings the tests confirmed, "
        "adds call sites only seen blocking at run time (AFY300), lists findings no test exercised.",
        dir_okay=False,
        show_default=False,
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the report to this file instead of stdout.", dir_okay=False, show_default=False
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"asyncify {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Find blocking synchronous calls inside async code, and rewrite them."""


def fail(message: str, *hints: str) -> NoReturn:
    """A usage or configuration error: one line on stderr, exit 2."""
    console = make_console(sys.stderr)
    console.print(f"asyncify: error: {message}", style="bold red")
    for hint in hints:
        console.print(hint)
    raise typer.Exit(2)


def run_config(
    paths: list[Path],
    config_file: Path | None,
    *,
    select: str | None = None,
    ignore: str | None = None,
    no_cache: bool = False,
) -> Config:
    """The configuration for a run: the file's, then the command-line flags."""
    try:
        config = config_for(paths, config_file)
    except ConfigError as error:
        fail(str(error))
    return config.with_overrides(
        select=_codes("--select", select, config),
        ignore=_codes("--ignore", ignore, config),
        cache=False if no_cache else None,
    )


def load_runtime(path: Path | None) -> RuntimeReport | None:
    """The ``--runtime`` report, read before any scanning; a bad one is a usage error."""
    if path is None:
        return None
    from asyncify.runtime.document import RuntimeReportError, read_report

    try:
        return read_report(path)
    except RuntimeReportError as error:
        fail(str(error))


def _codes(option: str, value: str | None, config: Config) -> tuple[str, ...] | None:
    """``"AFY1, afy200"`` -> ``("AFY1", "AFY200")``; each must start some known code."""
    if value is None:
        return None
    codes = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    known = {*all_rules(), *(entry.code for entry in load_builtin_catalogue().entries())}
    known |= {entry.code for entry in config.extra_blocking_calls} | {EXTRA_CALL_CODE}
    for code in codes:
        if not any(k.startswith(code) for k in known):
            close = close_matches(code)
            hint = f"did you mean {', '.join(close)}?" if close else "`asyncify rules` lists the codes."
            fail(f"{option}: unknown rule code or prefix {code!r}", hint)
    return codes


# -- check --------------------------------------------------------------------------------


@app.command()
def check(
    paths: Paths = None,
    output_format: Format = OutputFormat.HUMAN,
    select: Select = None,
    ignore: Ignore = None,
    config_file: ConfigFile = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    exit_zero: ExitZero = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    output: Output = None,
    runtime: RuntimeFile = None,
) -> None:
    """Report blocking calls on the event loop: direct ones, and sync helpers that block.

    Exit status: 0 no findings, 1 findings or files that could not be parsed, 2 usage, configuration or internal error.
    """
    targets = paths or [Path(".")]
    config = run_config(targets, config_file, select=select, ignore=ignore, no_cache=no_cache)
    observed = load_runtime(runtime)
    stderr = make_console(sys.stderr)
    if verbose:
        stderr.print(f"asyncify: configuration: {config.source or 'defaults (no [tool.asyncify] found)'}")
    report = Report(exit_zero=exit_zero)
    try:
        with progress_bar(stderr, enabled=not quiet) as callbacks:
            result = run_check(
                targets,
                config,
                jobs=jobs,
                progress=callbacks.progress,
                on_files=callbacks.on_files,
                want_summaries=observed is not None,
            )
        if observed is not None and runtime is not None:
            from asyncify.runtime.api import merge_check

            report.runtime = merge_check(result, observed, runtime, config)
            result.findings = report.runtime.findings
    except KeyboardInterrupt:
        report.fail("interrupted")
    except ConfigError as error:
        report.fail(str(error))
    except Exception as error:  # noqa: BLE001  (an internal error still ends with a message and exit 2)
        report.fail(f"internal error: {type(error).__name__}: {error}")
        if verbose:
            stderr.print(traceback.format_exc())
    else:
        report.add_check(result)
    emit(report, output_format, stdout=sys.stdout, stderr=sys.stderr, output=output, quiet=quiet, verbose=verbose)
    raise typer.Exit(report.exit_code)


# -- fix ------------------------------------------------------------------------------------
# `fix` lives in asyncify/cli_fix.py; it reuses the option types above and run_config/fail.
from asyncify.cli_fix import fix  # noqa: E402  (after the option types it reads)

app.command("fix")(fix)


# -- rules and explain ----------------------------------------------------------------------


class ListFormat(enum.StrEnum):
    HUMAN = "human"
    JSON = "json"


@app.command()
def rules(
    output_format: Annotated[
        ListFormat, typer.Option("--format", help="human (a table) or json.", case_sensitive=False)
    ] = ListFormat.HUMAN,
) -> None:
    """List every rule: code, name and one-line summary."""
    if output_format is ListFormat.JSON:
        sys.stdout.write(rules_json())
    else:
        render_rules(make_console(sys.stdout))


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code (AFY110) or name (blocking-sleep).", show_default=False)],
) -> None:
    """Print a rule's documentation: what it finds, why, an example, the fix and its safety."""
    rule = find_rule(code)
    if rule is None:
        close = close_matches(code)
        hint = f"did you mean {', '.join(close)}?" if close else "`asyncify rules` lists the codes."
        fail(f"unknown rule {code!r}", hint)
    render_explanation(rule, make_console(sys.stdout))


def main() -> None:
    """The console-script entry point (``asyncify``) and ``python -m asyncify``."""
    app(prog_name="asyncify")
