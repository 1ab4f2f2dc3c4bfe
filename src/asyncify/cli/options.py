"""What every command shares: option types, the run configuration, usage errors.

Imported when the command line is built, so it imports only typer and the vocabulary;
everything a command needs to *run* is imported inside the function that runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from asyncify.vocabulary import OutputFormat

if TYPE_CHECKING:
    from asyncify.config import Config
    from asyncify.runtime.document import RuntimeReport
    from asyncify.selection import RunScope

Paths = Annotated[
    list[Path] | None,
    typer.Argument(help="Files or directories to process (default: the current directory).", show_default=False),
]
Format = Annotated[
    OutputFormat | None,
    typer.Option(
        "--output-format",
        "--format",
        help="Output: full (source lines with carets; the default on a terminal), concise (one line per finding), "
        "human (findings with chains; the default otherwise), json (scripts), sarif (code scanning), "
        "github (Actions annotations).",
        case_sensitive=False,
        show_default=False,
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
        help="A pyproject.toml to read [tool.asyncify] from, instead of the nearest one.",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]
ProjectRoot = Annotated[
    Path | None,
    typer.Option(
        "--project-root",
        help="The project's root: configuration is searched up to it, and fix writes nothing outside it "
        "(default: the nearest directory with pyproject.toml, setup.cfg or .git).",
        exists=True,
        file_okay=False,
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
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the report to this file instead of stdout.", dir_okay=False, show_default=False
    ),
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


def run_scope(paths: list[Path], project_root: Path | None, stdin_filename: Path | None = None) -> RunScope:
    """What a run analyses and reports on: named files are reported on, their whole
    project analysed (``asyncify.selection``)."""
    from asyncify.selection import scope_for

    extra = [stdin_filename] if stdin_filename is not None else []
    return scope_for(paths, project_root, extra)


def output_format_for(
    given: OutputFormat | None, output: Path | None, configured: OutputFormat | None = None
) -> OutputFormat:
    """``--output-format``, else ``output-format`` from the configuration, else ``full``
    on a terminal and ``human`` otherwise (a pipe, a file, a CI log), so that scripts
    reading the text keep the stable form."""
    if given is not None:
        return given
    if configured is not None:
        return configured
    isatty = getattr(sys.stdout, "isatty", None)
    return OutputFormat.FULL if output is None and isatty is not None and isatty() else OutputFormat.HUMAN


def fail(message: str, *hints: str) -> NoReturn:
    """A usage or configuration error: one line on stderr, exit 2."""
    from asyncify.report.human import make_console

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
    project_root: Path | None = None,
) -> Config:
    """The configuration for a run: the file's, then the command-line flags."""
    from asyncify.api import config_for
    from asyncify.config import ConfigError

    try:
        config = config_for(paths, config_file, project_root)
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
    from asyncify.codes import unknown_code
    from asyncify.report.rules import close_matches

    codes = tuple(part.strip().upper() for part in value.split(",") if part.strip())
    code = unknown_code(codes, config.extra_blocking_calls)
    if code is not None:
        close = close_matches(code)
        hint = f"did you mean {', '.join(close)}?" if close else "`asyncify rules` lists the codes."
        fail(f"{option}: unknown rule code or prefix {code!r}", hint)
    return codes
