"""``asyncify check``: report blocking calls on the event loop."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from asyncify.cli import adoption
from asyncify.cli.adoption import AddNoqa, BaselineFile, NoBaseline, Statistics, WriteBaseline
from asyncify.cli.options import (
    ConfigFile,
    ExitZero,
    Format,
    Ignore,
    Jobs,
    NoCache,
    Output,
    Paths,
    ProjectRoot,
    Quiet,
    RuntimeFile,
    Select,
    Verbose,
    fail,
    load_runtime,
    output_format_for,
    run_config,
    run_scope,
)
from asyncify.vocabulary import OutputFormat


def check(
    paths: Paths = None,
    output_format: Format = None,
    select: Select = None,
    ignore: Ignore = None,
    config_file: ConfigFile = None,
    no_cache: NoCache = False,
    jobs: Jobs = None,
    exit_zero: ExitZero = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    output: Output = None,
    project_root: ProjectRoot = None,
    runtime: RuntimeFile = None,
    stdin_filename: Annotated[
        Path | None,
        typer.Option(
            "--stdin-filename",
            help="Read the file's text from stdin (an editor's unsaved buffer) and report on it as this file, "
            "analysed with the rest of its project.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    statistics: Statistics = False,
    baseline: BaselineFile = None,
    no_baseline: NoBaseline = False,
    write_baseline: WriteBaseline = None,
    add_noqa: AddNoqa = False,
) -> None:
    """Report blocking calls on the event loop: direct ones, and sync helpers that block.

    Exit status: 0 no findings, 1 findings or files that could not be parsed, 2 usage, configuration or internal error.
    """
    from asyncify.api import run_check
    from asyncify.config import ConfigError
    from asyncify.report import Report
    from asyncify.report.human import make_console
    from asyncify.report.output import emit
    from asyncify.report.progress import progress_bar

    sources = None
    if stdin_filename is not None:
        if paths and paths != [Path("-")]:
            fail("--stdin-filename reads the file from stdin: give no paths (or `-`)")
        targets = [stdin_filename]
        sources = {stdin_filename: _read_stdin(stdin_filename)}
        scope = run_scope([], project_root, stdin_filename)
    else:
        targets = paths or [Path(".")]
        scope = run_scope(targets, project_root)
    config = run_config(
        targets, config_file, select=select, ignore=ignore, no_cache=no_cache, project_root=project_root
    )
    observed = load_runtime(runtime)
    output_format = output_format_for(output_format, output, config.output_format)
    adoption.check_combination(output_format, statistics, write_baseline, add_noqa)
    accepted = None if write_baseline or add_noqa else adoption.load_baseline(config, baseline, no_baseline)
    stderr = make_console(sys.stderr)
    if verbose:
        stderr.print(f"asyncify: configuration: {config.source or 'defaults (no [tool.asyncify] found)'}")
    report = Report(exit_zero=exit_zero)
    try:
        with progress_bar(stderr, enabled=not quiet) as callbacks:
            result = run_check(
                scope.analysed,
                config,
                report_only=scope.report_only,
                sources=sources,
                jobs=jobs,
                progress=callbacks.progress,
                on_files=callbacks.on_files,
                on_stage=callbacks.stage,
                explain=output_format is not OutputFormat.GITHUB,  # annotations show no strategies
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
    except Exception as error:  # an internal error still ends with a message and exit 2
        report.fail(f"internal error: {type(error).__name__}: {error}")
        if verbose:
            stderr.print(traceback.format_exc())
    else:
        report.add_check(result)
        if write_baseline is not None or add_noqa:
            raise typer.Exit(adoption.record(report, write_baseline, quiet=quiet, root=config.project_root))
        adoption.apply(report, accepted, targets)
    emit(
        report,
        output_format,
        stdout=sys.stdout,
        stderr=sys.stderr,
        output=output,
        quiet=quiet,
        verbose=verbose,
        statistics=statistics,
    )
    raise typer.Exit(report.exit_code)


def _read_stdin(name: Path) -> str:
    """stdin's bytes decoded as a source file is (BOM, coding cookie, UTF-8)."""
    from asyncify.scan.source import SourceError, decode_source

    try:
        return decode_source(name, sys.stdin.buffer.read()).text
    except SourceError as error:
        fail(f"{name}: {error}")
