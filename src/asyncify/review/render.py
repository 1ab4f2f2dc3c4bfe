"""Diffs for people: Python-highlighted hunks, each labelled with the findings it fixes.

A reviewer decides on a change by knowing *why* it is there, so every hunk of
``--dry-run`` names the finding(s) it resolves (code, call, chain for an indirect one,
strategy), and ``-i`` shows the same label above each change.

Highlighting runs once over the whole old and new text (not line by line), so a line
inside a multi-line string is coloured as a string. Everything is built as ``rich.Text``
objects, never markup strings: source lines contain ``[brackets]``. When the console is
not a terminal rich drops the styles, so the same renderables print plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text

from asyncify.findings import display_name
from asyncify.fix_files import FileFix
from asyncify.plan import Change
from asyncify.review.diffs import Hunk, hunks, split_lines, text_hunks

THEME = "ansi_dark"
"""Colours from the terminal's own palette, readable on dark and light backgrounds."""
ADDED = "on #12361a"
REMOVED = "red"


def change_label(change: Change) -> str:
    """``AFY110 time.sleep() in main → sleep`` / ``AFY200 main -> _load_sync -> open() → wrap``."""
    finding = change.finding
    if finding.is_indirect:
        what = finding.chain_text()
    else:
        what = f"{display_name(finding.call)}() in {finding.function}"
    return f"line {finding.span.line}: {finding.code} {what} → {change.strategy}"


def _highlighted(text: str) -> list[Text]:
    lines = Syntax("", "python", theme=THEME).highlight(text).split("\n", allow_blank=True)
    return list(lines)


def _strip(line: str) -> str:
    return line.rstrip("\n").rstrip("\r")


class HunkPainter:
    """Renders hunks of one file from its old text to one new text."""

    def __init__(self, old_text: str, new_text: str) -> None:
        self.old = _highlighted(old_text)
        self.new = _highlighted(new_text)

    def _line(self, lines: list[Text], index: int, raw: str) -> Text:
        if index < len(lines) and lines[index].plain == _strip(raw):
            return lines[index].copy()
        return Text(_strip(raw))

    def paint(self, hunk: Hunk[str]) -> Text:
        out = Text()
        out.append(hunk.header() + "\n", style="cyan")
        old, new = hunk.old_start, hunk.new_start
        for tag, raw in hunk.lines:
            if tag == " ":
                body = self._line(self.old, old, raw)
                body.stylize("dim")
                out.append_text(Text(" ") + body)
                old, new = old + 1, new + 1
            elif tag == "-":
                out.append_text(Text("-" + _strip(raw), style=REMOVED))
                old += 1
            else:
                body = self._line(self.new, new, raw)
                line = Text("+", style="bold green") + body
                line.stylize(ADDED)
                out.append_text(line)
                new += 1
            out.append("\n")
        out.rstrip()
        return out


def _labels(changes: Sequence[Change]) -> Text:
    lines = []
    for change in changes:
        line = Text("  ▸ ", style="yellow")
        line.append(change_label(change), style="bold")
        lines.append(line)
    return Text("\n").join(lines)


def file_renderable(file_fix: FileFix) -> RenderableType:
    """One file of ``--dry-run``: its name, then each hunk under the findings it fixes.

    First-pass changes are matched to hunks by their line in the original; changes of
    later passes (planned against an intermediate text) by their line in the new text,
    which is where they end up unless a later edit moved them. A change no hunk claims
    is still listed, under the file name, so no planned change goes unmentioned.
    """
    found = text_hunks(file_fix)
    painter = HunkPainter(file_fix.source.text, file_fix.text)
    first = {c.key for c in file_fix.first_pass}
    placed: set[int] = set()
    parts: list[RenderableType] = []
    for hunk in found:
        mine = []
        for change in file_fix.changes:
            span = change.finding.span
            inside = hunk.touches_old if change.key in first else hunk.touches_new
            if change.key not in placed and inside(span.line, span.end_line):
                mine.append(change)
                placed.add(change.key)
        if parts:
            parts.append(Text(""))
        needs = ["imports and code the changes need"] if file_fix.changes or not file_fix.origins else []
        unclaimed = "; ".join(file_fix.origins + needs)
        parts.append(_labels(mine) if mine else Text(f"  ▸ {unclaimed}", style="dim"))
        parts.append(painter.paint(hunk))
    count = len(file_fix.changes)
    header = Text(file_fix.display, style="bold underline")
    if count or not file_fix.origins:
        header.append(f"  {count} change{'s' if count != 1 else ''}", style="dim")
    else:
        header.append("  " + ", ".join(origin.partition(":")[0] for origin in file_fix.origins), style="dim")
    rest = [c for c in file_fix.changes if c.key not in placed]
    head: list[RenderableType] = [header]
    if rest:
        head.append(_labels(rest))
    return Group(*head, *parts, Text(""))


def change_renderable(
    file_fix: FileFix, change: Change, new_text: str, position: str, absorbed: Sequence[Change] = ()
) -> RenderableType:
    """One change of ``-i``: position, file, the finding (and those of the changes it
    absorbs), and its diff on its own: from the text after phase 1 where it changed the
    file (its components were asked about first)."""
    title = Text(f"({position}) ", style="bold magenta")
    title.append(file_fix.display, style="bold underline")
    before = file_fix.source.text if file_fix.base is None else file_fix.base
    painter = HunkPainter(before, new_text)
    painted = [painter.paint(h) for h in hunks(split_lines(before), split_lines(new_text))]
    message = Text("    " + change.finding.message, style="dim")
    return Group(Text(""), title, _labels([change, *absorbed]), message, *painted)
