"""Positions and edits in the editor's units: lines as LSP counts them, columns per encoding.

asyncify's spans are 1-based lines and 1-based columns in characters (code points); an
editor counts 0-based lines and, unless it negotiated otherwise, UTF-16 code units.
Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as both Python's tokenizer and LSP
count them (``str.splitlines`` would also break at a form feed or U+2028, which would
shift every line after one).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from lsprotocol import types

from asyncify.scan.summary import Span

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")

Units = Callable[[str], int]
"""How many of the client's code units a string takes (the negotiated position encoding)."""


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its line break."""
    return _LINE.findall(text)


def position(lines: Sequence[str], line: int, column: int, units: Units) -> types.Position:
    """0-based ``line`` and character ``column`` in the client's units (clamped to the line)."""
    if line >= len(lines):
        return types.Position(line=len(lines), character=0)
    content = lines[line].rstrip("\r\n")
    return types.Position(line=line, character=units(content[: max(0, column)]))


def span_range(lines: Sequence[str], span: Span, units: Units) -> types.Range:
    """A finding's span as an editor range."""
    return types.Range(
        start=position(lines, span.line - 1, span.column - 1, units),
        end=position(lines, span.end_line - 1, span.end_column - 1, units),
    )


def line_range(line: int) -> types.Range:
    """The whole of 1-based ``line`` (no column needed, so no text either)."""
    return types.Range(start=types.Position(line=line - 1, character=0), end=types.Position(line=line, character=0))


def text_edits(old: str, new: str, units: Units) -> list[types.TextEdit]:
    """The line blocks that differ between ``old`` and ``new``, as edits of ``old``.

    Whole lines are replaced, so a column is only needed at the end of a last line that
    has no line break."""
    before, after = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(
            types.TextEdit(
                range=types.Range(start=_line_start(before, i1, units), end=_line_start(before, i2, units)),
                new_text="".join(after[j1:j2]),
            )
        )
    return edits


def _line_start(lines: Sequence[str], index: int, units: Units) -> types.Position:
    """Where line ``index`` starts; past the end, the end of the text."""
    if index < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return types.Position(line=index, character=0)
    return types.Position(line=len(lines) - 1, character=units(lines[-1]))
