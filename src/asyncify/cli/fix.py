"""``asyncify fix``: plan every fix in memory, then show it, print it, ask, or write it.

Like every command it is a thin shell: ``asyncify.fixer.run_fix`` plans (and writes
nothing), the review package shows (``--dry-run``), prints a patch (``--diff``) or asks
(``-i``), and ``asyncify.write`` writes atomically. The summary goes to stderr, the patch
and the diffs to stdout, and the exit code comes from the shared ``Report``. The
fix-side modules are imported when the command runs, not when the command line is built.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import traceback
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from asyncify.cli import options as cli
from asyncify.vocabulary import CHOOSABLE_STRATEGIES, Backend, Strategy

if TYPE_CHECKING:
    from rich.console import Console

    from asyncify.config import Config
    from asyncify.findings import Finding
    from asyncify.fixer import FindingsExtension, FixResult
    from asyncify.review.summary import FixSummary, Mode
    from asyncify.selection import RunScope
    from asyncify.structural.model import FindingKey
    from asyncify.write import WriteReport

PROGRESS_MIN_FILES = 100
"""Below this many files a run takes a moment; a bar would only flicker."""


def _strategy(value: str) -> Strategy:
    """``--strategy``: one of the strategies users may choose (``extract`` is only a fallback)."""
    if value.lower() not in CHOOSABLE_STRATEGIES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(CHOOSABLE_STRATEGIES)}")
    return Strategy(value.lower())


def fix(
    paths: cli.Paths = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show every planned change as a coloured diff; write nothing.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff (for git apply / patch -p1); write nothing.")
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="Accept or reject each change (a twin or propagation as one, a test file's --update-mocks rewrites as one), like git add -p."
        ),
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes that may change behaviour.")
    ] = False,
    strategy: Annotated[
        Strategy | None,
        typer.Option(
            help="Fix every finding with this strategy.",
            parser=_strategy,
            metavar="[" + "|".join(CHOOSABLE_STRATEGIES) + "]",
            show_default=False,
        ),
    ] = None,
    backend: Annotated[
        Backend | None, typer.Option(help="Async library of the code (default: detected).", show_default=False)
    ] = None,
    target_version: Annotated[
        str | None,
        typer.Option(
            help="Oldest Python the fixed code must run on, e.g. py38 (default: the project's requires-python, ruff target-version or setup.cfg python_requires).",
            show_default=False,
        ),
    ] = None,
    select: cli.Select = None,
    ignore: cli.Ignore = None,
    config_file: cli.ConfigFile = None,
    project_root: cli.ProjectRoot = None,
    no_cache: cli.NoCache = False,
    jobs: cli.Jobs = None,
    quiet: cli.Quiet = False,
    verbose: cli.Verbose = False,
    runtime: cli.RuntimeFile = None,
    allow_outside: Annotated[
        bool,
        typer.Option(
            "--allow-outside",
            help="With files named: also write the other files a twin or propagation must change.",
        ),
    ] = False,
    update_mocks: Annotated[
        bool,
        typer.Option(
            "--update-mocks",
            help="Rewrite the tests that mock a function a twin or propagation changed to AsyncMocks of what the code awaits now.",
        ),
    ] = False,
) -> None:
    """Rewrite blocking calls in async code; review first with --dry-run, --diff or -i.

    Exit status: 0 nothing left, 1 findings left (with --dry-run/--diff: changes to make) or files that failed, 2 usage, configuration or internal error.
    """
    from asyncify.report.human import make_console
    from asyncify.review.render import file_renderable
    from asyncify.review.summary import FixSummary, Mode
    from asyncify.write import write_files

    if sum((dry_run, diff, interactive)) > 1:
        cli.fail("--dry-run, --diff and -i/--interactive cannot be combined")
    targets = paths or [Path(".")]
    config = _configure(
        targets, config_file, select, ignore, no_cache, unsafe_fixes, strategy, backend, target_version, project_root
    )
    observed = cli.load_runtime(runtime)
    extend = None
    if observed is not None and runtime is not None:
        from asyncify.runtime.api import fix_extension

        extend = fix_extension(observed, runtime, config)
    from rich.text import Text

    stderr = make_console(sys.stderr)
    if verbose:
        stderr.print(f"asyncify: configuration: {config.source or 'defaults (no [tool.asyncify] found)'}")
        target = f"Python {config.target_version[0]}.{config.target_version[1]} ({config.target_source})"
        stderr.print(Text(f"asyncify: target version: {target}"))
    scope = cli.run_scope(targets, project_root)
    plan = functools.partial(_plan, scope, allow_outside, config, jobs, stderr, quiet=quiet, verbose=verbose, extend=extend)
    result = plan(update_mocks=update_mocks)
    if result.outside and not allow_outside:
        shown = ", ".join(result.outside)
        message = f"the fix also changes files not named: {shown}"
        hint = "name them too, or pass --allow-outside; nothing was written"
        if not (diff or dry_run):
            cli.fail(message, hint)
        stderr.print(Text(f"asyncify: {message} ({hint.removesuffix('; nothing was written')} to write them)"))
    if not quiet:
        for stop in result.stops:
            stderr.print(
                Text(f"{config.strategy} stopped at {stop.function}: {stop.reason} (boundary: {stop.boundary})")
            )
    stdout = make_console(sys.stdout)
    if diff:
        _print_patch(result)
    elif dry_run:
        for file_fix in sorted(result.files, key=lambda f: f.display):
            stdout.print(file_renderable(file_fix))
    if diff or dry_run:
        mode = Mode.DIFF if diff else Mode.DRY_RUN
        fixed = sum(len(f.changes) for f in result.files)
        summary = FixSummary(mode, len(result.files), fixed, list(result.left), result.converged, result.passes)
        pending = [change.finding for f in result.files for change in f.changes]
        _finish(summary, result, config, stderr, quiet=quiet, verbose=verbose, pending=pending)
    if interactive:

        def replan(withheld: Collection[FindingKey], kept_mocks: Collection[str]) -> FixResult:
            """The same run with the rejected components and mock updates planned away."""
            return plan(withheld=withheld, update_mocks=update_mocks, kept_mocks=kept_mocks)

        _interactive(result, config, stdout, stderr, replan, quiet=quiet, verbose=verbose)
    items = [(f.source, f.text) for f in result.files]
    fixes = {f.source.path: [c.finding for c in f.changes] for f in result.files}
    with _writing(stderr, len(items), quiet=quiet):
        written = write_files(items, result.root, result.check.leftovers)
    summary = _written(Mode.WRITE, written, fixes, result, stderr if verbose else None)
    _finish(summary, result, config, stderr, quiet=quiet, verbose=verbose)


@contextlib.contextmanager
def _writing(stderr: Console, count: int, *, quiet: bool) -> Iterator[None]:
    """The last stage's name on a terminal while many files are written."""
    if quiet or count < PROGRESS_MIN_FILES or not stderr.is_terminal:
        yield
        return
    with stderr.status(f"writing {count} files"):
        yield


def _print_patch(result: FixResult) -> None:
    """The patch as bytes: each file's own encoding, untouched by stdout's text layer."""
    from asyncify.review.diffs import patch_for

    try:
        for file_fix in sorted(result.files, key=lambda f: f.display):
            sys.stdout.buffer.write(patch_for(file_fix))
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `asyncify fix --diff | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _configure(
    targets: list[Path],
    config_file: Path | None,
    select: str | None,
    ignore: str | None,
    no_cache: bool,
    unsafe_fixes: bool,
    strategy: Strategy | None,
    backend: Backend | None,
    target_version: str | None,
    project_root: Path | None,
) -> Config:
    from asyncify.config import parse_target_version
    from asyncify.target import TargetError, choose_target

    config = cli.run_config(
        targets, config_file, select=select, ignore=ignore, no_cache=no_cache, project_root=project_root
    )
    version = None
    if target_version is not None:
        try:
            version = parse_target_version(target_version)
        except ValueError:
            cli.fail(f"--target-version: expected a Python version such as py39 or 3.9, not {target_version!r}")
    try:
        target = choose_target(version, config.target_version, config.target_source, targets[0])
    except TargetError as error:
        cli.fail(str(error))
    return config.with_overrides(
        unsafe_fixes=True if unsafe_fixes else None,
        strategy=strategy,
        backend=backend,
        target_version=target.version,
        target_source=target.source,
    )


def _plan(
    scope: RunScope,
    allow_outside: bool,
    config: Config,
    jobs: int | None,
    stderr: Console,
    *,
    quiet: bool,
    verbose: bool,
    extend: FindingsExtension | None = None,
    withheld: Collection[FindingKey] = (),
    update_mocks: bool = False,
    kept_mocks: Collection[str] = (),
) -> FixResult:
    """``run_fix`` with a progress bar for long runs; internal errors exit 2 with a message."""
    from asyncify.config import ConfigError
    from asyncify.fixer import run_fix
    from asyncify.report.progress import progress_bar

    try:
        with progress_bar(stderr, enabled=not quiet) as callbacks:
            on_files = callbacks.on_files

            def big_runs_only(total: int) -> None:
                if on_files is not None and total >= PROGRESS_MIN_FILES:
                    on_files(total)

            return run_fix(
                scope.analysed,
                config,
                report_only=scope.report_only,
                allow_outside=allow_outside,
                jobs=jobs,
                progress=callbacks.progress,
                on_files=big_runs_only,
                on_stage=callbacks.stage,
                extend=extend,
                withheld=withheld,
                update_mocks=update_mocks,
                kept_mocks=kept_mocks,
            )
    except KeyboardInterrupt:
        cli.fail("interrupted; nothing was written")
    except ConfigError as error:
        cli.fail(str(error))
    except Exception as error:  # every internal error still ends with a message and exit 2
        if verbose:
            stderr.print(traceback.format_exc())
        cli.fail(f"internal error: {type(error).__name__}: {error}")


def _interactive(
    result: FixResult,
    config: Config,
    stdout: Console,
    stderr: Console,
    replan: Callable[[Collection[FindingKey], Collection[str]], FixResult],
    *,
    quiet: bool,
    verbose: bool,
) -> NoReturn:
    """Ask about each phase-1 component, then each test file ``--update-mocks`` rewrote,
    then each first-pass change, then write what was accepted. What is not accepted of
    the first two is planned away (``replan``, see ``asyncify.review.components`` and
    ``asyncify.review.mocks``) before the next questions."""
    from asyncify.review.components import relabel, review_components
    from asyncify.review.interactive import apply_review, default_reader, run_review
    from asyncify.review.mocks import review_mocks
    from asyncify.review.summary import Mode
    from asyncify.write import write_files

    ask = default_reader()
    try:
        chosen = review_components(result.components, result.files, stdout, ask)
        if not chosen.complete:
            result = replan(chosen.withheld, ())
        mocks = review_mocks(result.mocked, result.files, stdout, ask, accept_all=chosen.accept_all, quit=chosen.quit)
        if mocks.kept:
            result = replan(chosen.withheld, mocks.kept)
        result.left = relabel(result.left, chosen)
        review = run_review(result.files, stdout, ask, accept_all=mocks.accept_all, quit=mocks.quit)
    except KeyboardInterrupt:
        stdout.print()
        cli.fail("interrupted; nothing was written")
    applied, left = apply_review(result.files, review)
    items = [(file_fix.source, outcome.source) for file_fix, outcome in applied]
    fixes = {
        file_fix.source.path: [c.finding for c in file_fix.first_pass if c.key in outcome.applied]
        for file_fix, outcome in applied
    }
    report = write_files(items, result.root, result.check.leftovers)
    summary = _written(Mode.INTERACTIVE, report, fixes, result, stderr if verbose else None)
    summary.left = [*result.left, *left, *summary.left]
    _finish(summary, result, config, stderr, quiet=quiet, verbose=verbose)


def _written(
    mode: Mode, report: WriteReport, fixes: dict[Path, list[Finding]], result: FixResult, log: Console | None
) -> FixSummary:
    """The summary of a write: ``fixes`` (findings fixed per file) count only where written."""
    from asyncify.review.summary import NOT_WRITTEN, FixSummary, Mode
    from asyncify.write import Written

    by_path = {f.source.path: f for f in result.files}
    summary = FixSummary(
        mode, 0, 0, [], result.converged, result.passes, report.problems, report.interrupted, list(report.removed)
    )
    if mode is Mode.WRITE:
        summary.left = list(result.left)
    for written in report.results:
        if isinstance(written, Written):
            summary.changed_files += 1
            summary.fixed += len(fixes[written.path])
            if log is not None:
                log.print(f"wrote {by_path[written.path].display}", style="green")
        else:
            summary.left += [(finding, f"{NOT_WRITTEN}: {written.reason}") for finding in fixes[written.path]]
    return summary


def _finish(
    summary: FixSummary,
    result: FixResult,
    config: Config,
    stderr: Console,
    *,
    quiet: bool,
    verbose: bool,
    pending: list[Finding] | None = None,
) -> NoReturn:
    """Summary on stderr (only the problems with ``-q``), then exit with the Report's code."""
    from asyncify.review.summary import build_report, render_fix_summary

    summary.skipped = dict(result.skipped)
    summary.notes = list(result.notes)
    report = build_report(summary, result, pending=pending)
    render_fix_summary(summary, report, stderr, config, verbose=verbose, quiet=quiet)
    raise typer.Exit(report.exit_code)
