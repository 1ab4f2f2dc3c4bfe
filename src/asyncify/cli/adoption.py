"""``check``'s options for adopting asyncify on a project that already has findings.

``--write-baseline FILE`` and ``--add-noqa`` record the current findings (in a baseline
file, or as comments) instead of reporting them; ``--baseline FILE`` (or ``baseline`` in
``[tool.asyncify]``) then reports only new ones; ``--statistics`` counts per rule.
Imported when the command line is built: typer and the vocabulary only at module level.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from asyncify.cli.options import fail
from asyncify.vocabulary import OutputFormat

if TYPE_CHECKING:
    from asyncify.baseline import Baseline
    from asyncify.config import Config
    from asyncify.report import Report

BaselineFile = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="Report only findings this baseline (written by --write-baseline) does not accept; "
        "overrides `baseline` in [tool.asyncify].",
        dir_okay=False,
        show_default=False,
    ),
]
NoBaseline = Annotated[
    bool, typer.Option("--no-baseline", help="Report every finding, ignoring `baseline` in [tool.asyncify].")
]
WriteBaseline = Annotated[
    Path | None,
    typer.Option(
        "--write-baseline",
        help="Record every current finding in this file (e.g. .asyncify-baseline.json) instead of reporting them.",
        dir_okay=False,
        show_default=False,
    ),
]
AddNoqa = Annotated[
    bool,
    typer.Option("--add-noqa", help="Add a `# asyncify: ignore[CODE]` comment on the line of every current finding."),
]
Statistics = Annotated[
    bool, typer.Option("--statistics", help="Show how many findings each rule has, instead of the findings.")
]


def check_combination(
    output_format: OutputFormat, statistics: bool, write_baseline: Path | None, add_noqa: bool
) -> None:
    """Usage errors before anything runs."""
    if statistics and output_format in (OutputFormat.SARIF, OutputFormat.GITHUB):
        fail(f"--statistics shows counts as text or json, not as {output_format}")
    if write_baseline is not None and add_noqa:
        fail("--write-baseline and --add-noqa both record the findings: choose one")


def load_baseline(config: Config, given: Path | None, no_baseline: bool) -> Baseline | None:
    """The baseline to apply (``--baseline``, else the configuration's), read before the scan."""
    path = None if no_baseline else (given or config.baseline)
    if path is None:
        return None
    from asyncify.baseline import BaselineError, read_baseline

    try:
        return read_baseline(path)
    except BaselineError as error:
        fail(str(error))


def apply(report: Report, baseline: Baseline | None, targets: list[Path]) -> None:
    """Leave in ``report`` only the findings ``baseline`` does not accept."""
    if baseline is None:
        return
    from asyncify.baseline import apply_baseline

    applied = apply_baseline(report.findings, baseline, targets)
    report.findings = applied.findings
    report.baselined = applied.baselined
    report.baseline_unmatched = applied.unmatched


def record(report: Report, write_baseline: Path | None, *, quiet: bool, root: Path | None = None) -> int:
    """``--write-baseline`` / ``--add-noqa``: record the findings, say what was done on
    stderr; the exit code is 1 when some files (or findings) could not be recorded."""
    from asyncify.report.human import make_console, render_errors

    console = make_console(sys.stderr)
    render_errors(report, console)
    if write_baseline is not None:
        from asyncify.baseline import write_baseline as write

        try:
            count = write(write_baseline, report.findings)
        except OSError as error:
            console.print(f"asyncify: error: {write_baseline}: cannot write the baseline: {error}", style="bold red")
            return 2
        if not quiet:
            console.print(f"asyncify: recorded {_count(count, 'finding')} in {write_baseline}")
        return 1 if report.errors else 0
    from asyncify.noqa import add_noqa

    result = add_noqa(report.findings, root)
    for skipped in result.skipped:
        where = f"{skipped.path}:{skipped.line}" if skipped.line else skipped.path
        console.print(f"{where}: no comment added: {skipped.reason}", style="yellow")
    if not quiet:
        console.print(
            f"asyncify: added {_count(result.comments, 'comment')} suppressing {_count(result.findings, 'finding')}"
            f" in {_count(result.files, 'file')}"
        )
    return 1 if report.errors or result.skipped else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
