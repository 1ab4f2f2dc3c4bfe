"""Where each part of a report goes: machine output on stdout, people's output on stderr.

The formats meant for people (``full``, ``concise``, ``human``) go to stdout (or
``--output``) with their summary line. With a machine format (``json``, ``sarif``,
``github``) or ``--statistics`` stdout carries only the document, and the summary line
goes to stderr, where it is seen but never parsed.
Fatal errors always go to stderr, and then only SARIF (whose invocation records the
failure) still writes a document. ``quiet`` drops the summary; ``verbose`` adds the
stage timings (and the ``timings`` key of the JSON document).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

from rich.console import Console

from asyncify.report.github import render_github
from asyncify.report.human import make_console, render_human, render_summary
from asyncify.report.json_format import render_json
from asyncify.report.report import Report
from asyncify.report.sarif import render_sarif
from asyncify.report.statistics import statistics_json, statistics_text
from asyncify.vocabulary import OutputFormat


def render(report: Report, output_format: OutputFormat, *, verbose: bool = False, statistics: bool = False) -> str:
    """The machine document of ``report``; the formats for people render plain, uncoloured text.

    ``statistics``: the count per rule instead of the findings (text, or JSON for ``json``).
    """
    if statistics:
        return statistics_json(report) if output_format is OutputFormat.JSON else statistics_text(report)
    if output_format is OutputFormat.JSON:
        return render_json(report, timings=verbose)
    if output_format is OutputFormat.SARIF:
        return render_sarif(report)
    if output_format is OutputFormat.GITHUB:
        return render_github(report)
    buffer = io.StringIO()
    render_people(report, output_format, make_console(buffer, color=False), verbose=verbose)
    return buffer.getvalue()


def render_people(
    report: Report, output_format: OutputFormat, console: Console, *, quiet: bool = False, verbose: bool = False
) -> None:
    """``human``, ``full`` or ``concise`` text (with its summary unless ``quiet``) on ``console``."""
    if output_format is OutputFormat.FULL:
        from asyncify.report.full import render_full

        render_full(report, console, quiet=quiet, verbose=verbose)
    elif output_format is OutputFormat.CONCISE:
        from asyncify.report.concise import render_concise

        render_concise(report, console, quiet=quiet, verbose=verbose)
    else:
        render_human(report, console, quiet=quiet, verbose=verbose)


def emit(
    report: Report,
    output_format: OutputFormat,
    *,
    stdout: TextIO,
    stderr: TextIO,
    output: Path | None = None,
    quiet: bool = False,
    verbose: bool = False,
    statistics: bool = False,
) -> None:
    """Write ``report`` in ``output_format`` to ``output`` (a file) or ``stdout``.

    ``statistics``: the count per rule (``--statistics``) in place of the findings.
    """
    errors = make_console(stderr)
    for failure in report.failures:
        errors.print(f"asyncify: error: {failure}", style="bold red")
    if report.failures and output_format is not OutputFormat.SARIF:
        return  # a run that failed has no results to show; SARIF can say it failed
    if output_format.for_people and output is None and not statistics:
        render_people(report, output_format, make_console(stdout), quiet=quiet, verbose=verbose)
        return
    document = render(report, output_format, verbose=verbose, statistics=statistics)
    if output is not None:
        try:
            output.write_text(document, encoding="utf-8")
        except OSError as error:  # a missing folder, no permission: exit 2, never a traceback
            message = f"{output}: cannot write the report: {error.strerror or error}"
            report.fail(message)
            errors.print(f"asyncify: error: {message}", style="bold red")
            return
    else:
        stdout.write(document)
        stdout.flush()
    if not quiet:
        render_summary(report, errors, verbose=verbose)
