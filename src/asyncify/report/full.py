"""``--output-format full`` (the default on a terminal): each finding as ruff shows one.

```
AFY200 [*] `_load_config_sync` is a sync helper that blocks the event loop (indirect)
  --> pkg/doctor.py:59:18
   |
58 |     async def run_doctor(self) -> None:
59 |         config = _load_config_sync(self.path)
   |                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
info: chain: run_doctor -> _load_config_sync -> Path.exists()
  ::: pkg/doctor.py:30: `_load_config_sync` is defined here
  ::: pkg/doctor.py:32: calls Path.exists(), which blocks
help: fix strategies: wrap, twin
note: not propagate: propagation stops at `_load_config_sync`, ...
```

The header is the code, ``[*]`` when ``fix`` fixes it, and the message; ``-->`` the
place; then the source lines (``report.snippet``), the chain with a ``path:line`` for
each link (terminals make those clickable), the strategies that fix it and why the others
do not. A file that cannot be read any more shows the finding without its lines.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from asyncify.findings import Confidence, Finding, display_name, helper_name
from asyncify.report.human import render_errors, render_summary
from asyncify.report.report import Report, display_path
from asyncify.report.snippet import Row, gutter_width, snippet, source_lines
from asyncify.scan.source import SourceError, read_source

GUTTER_STYLE = "bold blue"
CARET_STYLE = "bold red"


class SourceCache:
    """Each file's lines, read once per report; ``None`` for a file that cannot be read."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            from pathlib import Path

            try:
                self._lines[path] = source_lines(read_source(Path(path)).text)
            except SourceError:
                self._lines[path] = None
        return self._lines[path]


def header(finding: Finding) -> Text:
    """``AFY110 [*] message (likely)``."""
    text = Text()
    text.append(finding.code, style="bold red")
    if finding.fixable:
        text.append(" [*]", style="cyan")
    text.append(" ")
    text.append(finding.message, style="bold")
    if finding.confidence is Confidence.LIKELY:
        text.append(" (likely)", style="yellow")
    return text


def finding_lines(finding: Finding, lines: list[str] | None) -> list[Text]:
    """Every line of one finding in the full format, without the blank line after it."""
    rows = snippet(lines, finding.span) if lines is not None else []
    width = gutter_width(rows) if rows else len(str(finding.span.line))
    span = finding.span
    out = [header(finding)]
    out.append(_styled(f"{' ' * width}--> ", GUTTER_STYLE, f"{display_path(finding.path)}:{span.line}:{span.column}"))
    if rows:
        out.append(Text(f"{' ' * width} |", style=GUTTER_STYLE))
        out += [_row(row, width) for row in rows]
        if not rows[-1].annotation:
            out.append(Text(f"{' ' * width} |", style=GUTTER_STYLE))
    out += notes(finding)
    return out


def notes(finding: Finding) -> list[Text]:
    """The chain, with where each link is, the strategies and why others do not apply."""
    out: list[Text] = []
    if finding.chain:
        out.append(_note("info", f"chain: {finding.chain_text()}"))
        for index, link in enumerate(finding.chain):
            if index == 0:
                what = f"`{helper_name(link.function)}` is defined here"
            elif index == len(finding.chain) - 1:
                what = f"calls {display_name(link.function)}(), which blocks"
            else:
                what = f"calls `{helper_name(link.function)}`"
            out.append(_styled("  ::: ", GUTTER_STYLE, f"{display_path(link.path)}:{link.line}: {what}"))
    if finding.strategies:
        out.append(_note("help", f"fix strategies: {', '.join(finding.strategies)}"))
    for strategy, reason in finding.strategy_notes:
        out.append(_note("note", f"not {strategy}: {reason}"))
    if finding.not_fixable:
        out.append(_note("note", f"not fixed by `asyncify fix`: {finding.not_fixable}"))
    return out


def render_full(report: Report, console: Console, *, quiet: bool = False, verbose: bool = False) -> None:
    """Every finding with its source lines, the files that could not be checked, the summary."""
    sources = SourceCache()
    shown = False
    for finding in report.ordered():
        if shown:
            console.print()
        for line in finding_lines(finding, sources.lines(finding.path)):
            console.print(line)
        shown = True
    if report.errors:
        if shown:
            console.print()
        render_errors(report, console)
        shown = True
    if not quiet:
        if shown:
            console.print()
        render_summary(report, console, verbose=verbose)


def _row(row: Row, width: int) -> Text:
    number = " " * width if row.number is None else str(row.number).rjust(width)
    text = Text(f"{number} | ", style=GUTTER_STYLE)
    text.append(row.body, style=CARET_STYLE if row.annotation else "")
    return text


def _note(kind: str, message: str) -> Text:
    text = Text(f"{kind}", style="bold cyan" if kind == "help" else "bold")
    text.append(f": {message}")
    return text


def _styled(prefix: str, style: str, rest: str) -> Text:
    text = Text(prefix, style=style)
    text.append(rest)
    return text
