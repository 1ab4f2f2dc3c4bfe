"""Where each part of a report goes: machine output on stdout, people's output on stderr.

``human`` is the one format meant for people, so it goes to stdout (or ``--output``).
With a machine format (``json``, ``sarif``, ``github``) stdout carries only the
document, and the summary line goes to stderr, where it is seen but never parsed.
Fatal errors always go to stderr, and then only SARIF (whose invocation records the
failure) still writes a document. ``quiet`` drops the summary; ``verbose`` adds the
stage timings (and the ``timings`` key of the JSON document).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

from asyncify.report.github import render_github
from asyncify.report.human import make_console, render_human, render_summary
from asyncify.report.json_format import render_json
from asyncify.report.report import Report
from asyncify.report.sarif import render_sarif
from asyncify.vocabulary import OutputFormat


def render(report: Report, output_format: OutputFormat, *, verbose: bool = False) -> str:
    """The machine document of ``report``; ``human`` renders plain, uncoloured text."""
    if output_format is OutputFormat.JSON:
        return render_json(report, timings=verbose)
    if output_format is OutputFormat.SARIF:
        return render_sarif(report)
    if output_format is OutputFormat.GITHUB:
        return render_github(report)
    buffer = io.StringIO()
    render_human(report, make_console(buffer, color=False), verbose=verbose)
    return buffer.getvalue()


def emit(
    report: Report,
    output_format: OutputFormat,
    *,
    stdout: TextIO,
    stderr: TextIO,
    output: Path | None = None,
    quiet: bool = False,
    verbose: bool = False,
) -> None:
    """Write ``report`` in ``output_format`` to ``output`` (a file) or ``stdout``."""
    errors = make_console(stderr)
    for failure in report.failures:
        errors.print(f"asyncify: error: {failure}", style="bold red")
    if report.failures and output_format is not OutputFormat.SARIF:
        return  # a run that failed has no results to show; SARIF can say it failed
    if output_format is OutputFormat.HUMAN and output is None:
        render_human(report, make_console(stdout), quiet=quiet, verbose=verbose)
        return
    document = render(report, output_format, verbose=verbose)
    if output is not None:
        output.write_text(document, encoding="utf-8")
    else:
        stdout.write(document)
        stdout.flush()
    if not quiet:
        render_summary(report, errors, verbose=verbose)
