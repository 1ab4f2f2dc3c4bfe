"""The report for people: findings grouped by file, chains, errors and a summary line.

```
src/app/doctor.py:14:18 AFY200 [*] `_load_config_sync` is a sync helper that blocks ...
  chain: run_doctor -> _load_config_sync -> open()
src/app/io.py:3:5 AFY102 `Path.read_text` blocks the event loop (likely)

src/broken.py: syntax error: invalid syntax (line 3, column 5)
2 findings in 2 files (1 fixable), checked 12 files; 1 file could not be checked
```

``[*]`` marks a finding ``fix`` can rewrite; ``(likely)`` one whose receiver type was
guessed from the method name. Colour only on a terminal, and never with ``NO_COLOR``;
``FORCE_COLOR`` forces it (for CI logs).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from asyncify.findings import Confidence, Finding
from asyncify.report.report import Report, display_path
from asyncify.report.terminal import use_color

__all__ = [
    "finding_text",
    "make_console",
    "render_errors",
    "render_findings",
    "render_human",
    "render_summary",
    "use_color",
]


def make_console(stream: TextIO, *, color: bool | None = None) -> Console:
    """A console that never wraps lines or interprets markup in paths and messages."""
    colored = use_color(stream) if color is None else color
    return Console(
        file=stream,
        force_terminal=colored,
        no_color=not colored,
        color_system="auto" if colored else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


def finding_text(finding: Finding, after_position: str = "") -> Text:
    """``path:line:col CODE [*] message (likely)``; ``after_position``: ``":"`` for the
    concise form's ``path:line:col:`` (what editors' problem matchers read)."""
    span = finding.span
    text = Text()
    text.append(display_path(finding.path), style="bold")
    text.append(f":{span.line}:{span.column}{after_position}", style="dim")
    text.append(" ")
    text.append(finding.code, style="bold red")
    if finding.fixable:
        text.append(" [*]", style="cyan")
    text.append(" ")
    text.append(finding.message)
    if finding.confidence is Confidence.LIKELY:
        text.append(" (likely)", style="yellow")
    return text


def render_findings(report: Report, console: Console) -> None:
    """Every finding, grouped by file (a blank line between files), then the errors."""
    previous: str | None = None
    for finding in report.ordered():
        shown = display_path(finding.path)
        if previous is not None and shown != previous:
            console.print()
        previous = shown
        console.print(finding_text(finding))
        if finding.chain:
            console.print(Text(f"  chain: {_chain_text(report, finding)}", style="dim"))
            if finding.strategies:
                console.print(Text(f"  fix strategies: {', '.join(finding.strategies)}", style="dim"))
            for strategy, reason in finding.strategy_notes:
                console.print(Text(f"  not {strategy}: {reason}", style="dim"))
        if report.runtime is not None:
            from asyncify.runtime.display import finding_lines

            for runtime_line in finding_lines(report.runtime, finding):
                console.print(Text(f"  {runtime_line}", style="dim"))
    if report.errors:
        if previous is not None:
            console.print()
        render_errors(report, console)


def render_errors(report: Report, console: Console) -> None:
    """``path: message`` for each file that could not be checked."""
    for error in report.errors:
        line = Text()
        line.append(display_path(error.path), style="bold")
        line.append(": ")
        line.append(error.message, style="red")
        console.print(line)


def _chain_text(report: Report, finding: Finding) -> str:
    """The chain; a run-time finding's with its library frames folded."""
    if report.runtime is not None:
        from asyncify.runtime.display import chain_text

        folded = chain_text(report.runtime, finding)
        if folded is not None:
            return folded
    return finding.chain_text()


def render_runtime(report: Report, console: Console) -> None:
    """``check --runtime``: counts per status, what no test exercised, dropped entries."""
    if report.runtime is None:
        return
    from asyncify.runtime.display import section_lines

    lines = section_lines(report.runtime)
    console.print(Text(lines[0], style="bold"))
    for line in lines[1:]:
        console.print(Text(line, style="dim"))


def render_summary(report: Report, console: Console, *, verbose: bool = False) -> None:
    """The summary line (and, verbose, the stage timings)."""
    style = "bold red" if report.findings or report.errors else "bold green"
    console.print(Text(report.summary(), style=style))
    if verbose and report.timings:
        console.print(Text(f"timings: {report.timings_text()}", style="dim"))


def render_human(report: Report, console: Console, *, quiet: bool = False, verbose: bool = False) -> None:
    """The whole human report; ``quiet`` leaves out the summary."""
    render_findings(report, console)
    if report.runtime is not None:
        if report.findings or report.errors:
            console.print()
        render_runtime(report, console)
    if not quiet:
        if report.findings or report.errors or report.runtime is not None:
            console.print()
        render_summary(report, console, verbose=verbose)
