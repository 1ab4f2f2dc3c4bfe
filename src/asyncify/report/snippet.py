"""A finding's source lines with carets under the call, laid out as ruff's ``full`` output.

```
  |
5 | async def warm_up() -> None:
6 |     time.sleep(0.5)
  |     ^^^^^^^^^^^^^^^
7 |     await ready()
  |
```

Up to two lines of context on each side (blank ones at the outer edges left out). A call
over several lines is drawn as ruff draws it: a bar in a margin of its own from the first
line to the last, ``/`` where the call starts a line, ``_____^`` to where it starts or
ends mid-line. Tabs are shown as four spaces and carets count terminal cells, so they
stay under the call with wide characters too. Plain strings only: the caller adds colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

from asyncify.scan.summary import Span

CONTEXT = 2
"""Lines shown before and after the call."""

LONGEST = 8
"""A call over more lines shows its first three and last two, with ``...`` between."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a snippet: ``number`` is ``None`` on a gutter-only (annotation) row."""

    number: int | None
    body: str
    annotation: bool = False


def source_lines(text: str) -> list[str]:
    """The lines of a file as Python numbers them (``\\n``, ``\\r\\n`` or ``\\r`` end one)."""
    return _LINE_BREAK.split(text)


def snippet(lines: list[str], span: Span) -> list[Row]:
    """The rows that show ``span`` in ``lines`` (empty when the span is not in the file)."""
    first, last = span.line, max(span.end_line, span.line)
    if not 1 <= first <= len(lines):
        return []
    last = min(last, len(lines))
    before = _trimmed(range(max(1, first - CONTEXT), first), lines, leading=True)
    after = _trimmed(range(last + 1, min(len(lines), last + CONTEXT) + 1), lines, leading=False)
    if first == last:
        rows = [Row(n, _shown(lines[n - 1])) for n in before]
        rows.append(Row(first, _shown(lines[first - 1])))
        rows.append(Row(None, _carets(lines[first - 1], span.column, span.end_column), annotation=True))
        rows += [Row(n, _shown(lines[n - 1])) for n in after]
        return rows
    rows = [Row(n, "  " + _shown(lines[n - 1])) for n in before]
    rows += _multiline(lines, span, first, last)
    rows += [Row(n, "  " + _shown(lines[n - 1])) for n in after]
    return rows


def _multiline(lines: list[str], span: Span, first: int, last: int) -> list[Row]:
    start_text = lines[first - 1]
    start = _cells(start_text[: span.column - 1])
    indent = _cells(start_text[: len(start_text) - len(start_text.lstrip())])
    rows: list[Row] = []
    if start <= indent:
        rows.append(Row(first, "/ " + _shown(start_text)))
    else:
        rows.append(Row(first, "  " + _shown(start_text)))
        rows.append(Row(None, " " + "_" * (start + 1) + "^", annotation=True))
    rest: list[int | None] = list(range(first + 1, last + 1))
    if len(rest) + 1 > LONGEST:
        rest = [*rest[:2], None, *rest[-2:]]  # None: the elided lines
    for number in rest:
        if number is None:
            rows.append(Row(None, "| ...", annotation=True))
        else:
            rows.append(Row(number, "| " + _shown(lines[number - 1])))
    end = _cells(lines[last - 1][: max(span.end_column - 2, 0)])
    rows.append(Row(None, "|" + "_" * (end + 1) + "^", annotation=True))
    return rows


def _carets(text: str, column: int, end_column: int) -> str:
    """Spaces to the call's first cell, then one ``^`` per cell of the call (at least one)."""
    prefix = text[: max(column - 1, 0)]
    called = text[max(column - 1, 0) : max(end_column - 1, column)]
    return " " * _cells(prefix) + "^" * max(_cells(called.rstrip()), 1)


def _trimmed(numbers: range, lines: list[str], *, leading: bool) -> list[int]:
    """Context lines without the blank ones at the outer edge."""
    kept = list(numbers)
    while kept and not lines[(kept[0] if leading else kept[-1]) - 1].strip():
        kept.pop(0 if leading else -1)
    return kept


def _shown(text: str) -> str:
    return text.replace("\t", "    ").rstrip()


def _cells(text: str) -> int:
    return cell_len(text.replace("\t", "    "))


def gutter_width(rows: list[Row]) -> int:
    """The width of the widest line number shown."""
    return max((len(str(row.number)) for row in rows if row.number is not None), default=1)
