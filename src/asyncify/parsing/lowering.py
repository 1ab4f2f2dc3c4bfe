"""Rewrite what the lexer found into text the host parser reads, keeping positions.

Every replacement keeps each line's UTF-8 byte width, so the host parser's positions
(line, byte column) of everything that is kept are those of the original text:

- a string group with an f-string or t-string the host cannot read becomes a
  parenthesised tuple of its replacement-field expressions, each at its own columns:
  ``f"{a["k"]!r:>{w}}"`` -> ``(  a["k"],    w, )``;
- type-parameter brackets (``def f[T]``, ``class C[T]``) become spaces; a line break
  inside them, now outside any bracket, is escaped: the character before it becomes
  ``\\`` (on an empty line one is inserted);
- ``type X[T] = v`` becomes ``0;  X    = v`` (an expression statement, then ``X = v``).

``except A, B:`` needs one more character: the list is parenthesised, a space becoming
``(`` or ``)`` where there is one, else the bracket is inserted. Insertions are recorded
per line so that ``raising`` moves the columns after them back.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from asyncify.parsing.model import ExceptGroup, Field, Lexed, Literal, StringGroup, TypeAlias, TypeParams

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NOT_BREAK = re.compile(r"[^\r\n]")

Position = tuple[int, int]
"""A 1-based line and a 0-based UTF-8 byte column, as ``ast`` counts them."""


@dataclass(slots=True)
class Lines:
    """Offsets in a text to ``ast`` positions."""

    text: str
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(self.text))]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        head = self.text[start:offset]
        return line + 1, len(head) if head.isascii() else len(head.encode("utf-8"))

    def line_text(self, line: int) -> str:
        """Line ``line`` (1-based) without its line break."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


@dataclass(slots=True)
class Lowered:
    """The text to parse and what to raise back in its tree."""

    text: str
    lines: Lines
    """Positions in the original text."""
    groups: dict[Position, StringGroup]
    type_params: dict[Position, TypeParams]
    aliases: dict[Position, TypeAlias]
    excepts: dict[Position, ExceptGroup]
    insertions: dict[int, list[int]]
    """Per line, the original byte columns before which one byte was inserted."""


def lower(text: str, found: Lexed) -> Lowered:
    """The lowered text of ``text`` and the plan for raising its tree."""
    lines = Lines(text)
    edits: list[tuple[int, int, str]] = []
    blanked: list[tuple[int, int]] = []
    for params in found.type_params:
        blanked.append((params.open, params.close + 1))
    for alias in found.aliases:
        edits.append((alias.keyword, alias.keyword + 4, "0;  "))
        if alias.params is not None:
            blanked.append((alias.params.open, alias.params.close + 1))
    insertions: dict[int, list[int]] = {}
    for start, end in blanked:
        _blank_lines(text, start, end, lines, edits, insertions)
    groups = [g for g in found.groups if not any(a <= g.start < b for a, b in blanked)]
    for group in groups:
        _group_edits(text, group, edits)
    for clause in found.excepts:
        before = clause.first - 1
        if text[before] in " \t\f":
            edits.append((before, clause.first, "("))
        else:
            _insert(insertions, lines.position(clause.first))
            edits.append((clause.first, clause.first, "("))
        if text[clause.last_end : clause.last_end + 1] in (" ", "\t", "\f"):
            edits.append((clause.last_end, clause.last_end + 1, ")"))
        else:
            _insert(insertions, lines.position(clause.last_end))
            edits.append((clause.last_end, clause.last_end, ")"))
    return Lowered(
        text=_apply(text, edits),
        lines=lines,
        groups={lines.position(g.start): g for g in groups},
        type_params={lines.position(p.keyword): p for p in found.type_params},
        aliases={lines.position(a.keyword): a for a in found.aliases},
        excepts={lines.position(e.keyword): e for e in found.excepts},
        insertions=insertions,
    )


def fields_in_order(parts: list[Literal | Field]) -> list[Field]:
    """Replacement fields in the order their expressions appear (a field before its spec's)."""
    out: list[Field] = []
    for part in parts:
        if isinstance(part, Field):
            out.append(part)
            out.extend(fields_in_order(part.spec))
    return out


def trailing_comma(text: str, part: Field) -> bool:
    """``{a, b,}``: the expression ends with a top-level comma."""
    return bool(part.commas) and not text[part.commas[-1] + 1 : part.expr_end].strip(" \t\f\r\n")


def _group_edits(text: str, group: StringGroup, edits: list[tuple[int, int, str]]) -> None:
    specials = {group.start: "(", group.end - 1: ")"}
    cursor = group.start
    for token in group.tokens:
        for part in fields_in_order(token.parts or []):
            if not trailing_comma(text, part):
                specials[part.expr_end] = ","
    for token in group.tokens:
        for part in fields_in_order(token.parts or []):
            edits.append((cursor, part.expr_start, _blank(text, cursor, part.expr_start, specials)))
            cursor = part.expr_end
    edits.append((cursor, group.end, _blank(text, cursor, group.end, specials)))


def _blank_lines(
    text: str, start: int, end: int, lines: Lines, edits: list[tuple[int, int, str]], insertions: dict[int, list[int]]
) -> None:
    """Blank a region outside brackets: a line break inside it must be escaped, so the
    last character before each one becomes ``\\`` (inserted on an empty line)."""
    cursor = start
    for brk in _LINE_BREAK.finditer(text, start, end):
        if brk.start() > cursor:
            edits.append((cursor, brk.start(), _blank(text, cursor, brk.start() - 1, {}) + " " * (
                len(text[brk.start() - 1].encode("utf-8")) - 1) + "\\"))
        else:
            _insert(insertions, lines.position(cursor))
            edits.append((cursor, cursor, "\\"))
        cursor = brk.end()
    edits.append((cursor, end, _blank(text, cursor, end, {})))


def _blank(text: str, start: int, end: int, specials: dict[int, str]) -> str:
    """``text[start:end]`` as spaces of the same UTF-8 width, line breaks kept, with the
    single ASCII characters in ``specials`` (keyed by offset) put in place."""
    out = []
    cursor = start
    for offset in sorted(o for o in specials if start <= o < end):
        out.append(_spaces(text[cursor:offset]))
        out.append(specials[offset])
        cursor = offset + 1
    out.append(_spaces(text[cursor:end]))
    return "".join(out)


def _spaces(segment: str) -> str:
    if segment.isascii():
        return _NOT_BREAK.sub(" ", segment)
    return "".join(c if c in "\r\n" else " " * len(c.encode("utf-8")) for c in segment)


def _insert(insertions: dict[int, list[int]], where: Position) -> None:
    bisect.insort(insertions.setdefault(where[0], []), where[1])


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, cursor = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)
