"""The one parse function every part of asyncify uses, and the compile check."""

from __future__ import annotations

import ast
import sys

from asyncify.parsing.lexer import Lexer, LexError
from asyncify.parsing.lowering import Lines, Lowered, lower
from asyncify.parsing.newer import newer_syntax
from asyncify.parsing.raising import _moved, raise_tree

HOST_GRAMMAR: tuple[int, int] = sys.version_info[:2]
"""The grammar the running interpreter's parser reads."""

NEWEST_GRAMMAR = (3, 14)
"""The newest grammar asyncify reads on every interpreter."""

LOWERING_VERSION = 1
"""Bumped whenever a change here can change a parsed tree: part of a result cache key,
with the interpreter's version (a file the host rejected may parse after an upgrade)."""


def parse_module(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(text)`` for any Python 3.8-3.14 source, on any supported interpreter.

    The tree is what the host builds; constructs its grammar lacks come back as their
    nearest host node (see ``raising``), at the positions a newer Python reports.
    Raises ``SyntaxError`` (positions in ``text``) for invalid source, naming the
    Python version that introduced a construct when it is newer than 3.14.
    """
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as error:
        native = error
    lowered = _lowered(text, HOST_GRAMMAR, every_fstring=False)
    if lowered is None:
        raise _explained(native, text)
    return _parse(lowered, filename)


def parse_lowered(
    text: str, filename: str = "<unknown>", grammar: tuple[int, int] = (3, 11), every_fstring: bool = False
) -> ast.Module:
    """Parse ``text`` as if the host read only ``grammar``, lowering whatever it lacks
    (``every_fstring``: every f-string too). For tests that compare with a native parse."""
    lowered = _lowered(text, grammar, every_fstring)
    if lowered is None:
        return ast.parse(text, filename=filename)
    return _parse(lowered, filename)


def compile_module(text: str, filename: str = "<unknown>") -> None:
    """Compile ``text`` (the compiler's checks, not only the parser's) or raise ``SyntaxError``.

    On a host that cannot parse the text the lowered text is compiled: it has the same
    statements, scopes and expressions, so the compiler's complaints are the same.
    ``ValueError`` (a NUL byte) propagates.
    """
    try:
        compile(text, filename, "exec", dont_inherit=True)
        return
    except SyntaxError as error:
        native = error
    lowered = _lowered(text, HOST_GRAMMAR, every_fstring=False)
    if lowered is None:
        raise _explained(native, text)
    try:
        compile(lowered.text, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        problem = error
    else:
        return
    raise _mapped(problem, lowered)


def _lowered(text: str, grammar: tuple[int, int], every_fstring: bool) -> Lowered | None:
    if grammar >= NEWEST_GRAMMAR and not every_fstring:
        return None
    try:
        found = Lexer(text, grammar, every_fstring).lex()
    except LexError:
        return None
    if not (found.groups or found.type_params or found.aliases or found.excepts):
        return None
    return lower(text, found)


def _parse(lowered: Lowered, filename: str) -> ast.Module:
    try:
        tree = ast.parse(lowered.text, filename=filename)
    except SyntaxError as error:
        problem = error
    else:
        return raise_tree(tree, lowered)
    raise _mapped(problem, lowered)


def _mapped(error: SyntaxError, lowered: Lowered) -> SyntaxError:
    """``error`` from the lowered text, at the original text's line and column."""
    line = error.lineno
    if line is None or line > len(lowered.lines.starts):
        return _explained(error, lowered.lines.text)
    original = lowered.lines.line_text(line)
    shown = Lines(lowered.text).line_text(line)

    def column(offset: int | None) -> int | None:
        if offset is None or offset < 1:
            return offset
        byte = len(shown[: offset - 1].encode("utf-8"))
        byte = _moved(byte, lowered.insertions.get(line, []))
        return len(original.encode("utf-8")[:byte].decode("utf-8", errors="ignore")) + 1

    end_line = getattr(error, "end_lineno", None)
    end = column(getattr(error, "end_offset", None)) if end_line == line else getattr(error, "end_offset", None)
    mapped = SyntaxError(error.msg, (error.filename, line, column(error.offset), original + "\n", end_line, end))
    return _explained(mapped, lowered.lines.text)


def _explained(error: SyntaxError, text: str) -> SyntaxError:
    """``error``, its message naming the Python version a newer construct needs."""
    line = ""
    if error.lineno is not None:
        lines = Lines(text)
        if 0 < error.lineno <= len(lines.starts):
            line = lines.line_text(error.lineno)
    hint = newer_syntax(error.msg or "", line)
    if hint is None:
        return error
    where = (error.filename, error.lineno, error.offset, error.text, error.end_lineno, error.end_offset)
    return SyntaxError(f"{hint}; asyncify reads Python 3.8 to 3.14", where)
