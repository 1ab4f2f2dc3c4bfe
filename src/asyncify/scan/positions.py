"""Source positions as findings report them: 1-based lines and character columns.

``ast`` columns are UTF-8 byte offsets; reports, editors and libcst count characters.
The two agree on ASCII text, so only a file with other characters pays for the lines
split and the conversion.
"""

from __future__ import annotations

import ast
import re

from asyncify.scan.summary import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Positions:
    """Converts ``ast`` positions of one source text to ``Span``s."""

    def __init__(self, text: str) -> None:
        self.ascii = text.isascii()
        # Not splitlines(): it also breaks at \x1c-\x1e, \x85 and \u2028, which Python does not.
        self.lines = _LINE_BREAK.split(text) if not self.ascii else []

    def span(self, node: ast.expr | ast.stmt) -> Span:
        line, col = node.lineno, node.col_offset
        end_line = node.end_lineno or line
        end_col = node.end_col_offset if node.end_col_offset is not None else col
        if not self.ascii:
            col = self._char_column(line, col)
            end_col = self._char_column(end_line, end_col)
        return tuple.__new__(Span, (line, col + 1, end_line, end_col + 1))  # faster than Span(...)

    def _char_column(self, line: int, byte_col: int) -> int:
        if line - 1 >= len(self.lines):
            return byte_col
        return len(self.lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
