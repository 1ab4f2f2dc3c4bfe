"""What the lexer finds: string literals with their fields, and new statement forms.

Offsets are indexes into the text (characters); ``lowering`` turns them into positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Literal:
    """A run of literal text inside an f-string or t-string (escapes not decoded)."""

    start: int
    end: int


@dataclass(slots=True)
class Field:
    """A replacement field ``{expr=!r:spec}``; offsets of its parts."""

    open: int
    expr_start: int
    expr_end: int
    """Where the expression's text ends: the ``=``, ``!``, ``:`` or ``}`` that follows it."""
    commas: list[int]
    """Commas at the expression's top level (``{a, b}`` is a tuple)."""
    debug_end: int = -1
    """After ``=`` and the spaces that follow it (self-documenting ``{x=}``); -1 without."""
    conversion: str = ""
    spec_start: int = -1
    spec: list[Literal | Field] = field(default_factory=list)
    close: int = -1


@dataclass(slots=True)
class StringToken:
    """One string literal; ``parts`` only for f-strings and t-strings."""

    start: int
    end: int
    prefix: str
    quote: str
    parts: list[Literal | Field] | None = None
    needs_lowering: bool = False
    """The host parser cannot read it (set against the grammar being lowered to)."""

    @property
    def body_start(self) -> int:
        return self.start + len(self.prefix) + len(self.quote)

    @property
    def is_template(self) -> bool:
        return "t" in self.prefix.lower()


@dataclass(slots=True)
class StringGroup:
    """Adjacent string literals (implicit concatenation) with an f-string or t-string."""

    tokens: list[StringToken]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


@dataclass(slots=True)
class TypeParams:
    """``[T: int = str, *Ts, **P]`` after ``def f`` / ``class C`` / ``type X``."""

    keyword: int
    """Offset of ``def``/``class``/``type``: where the statement's node starts."""
    open: int
    close: int
    params: list[tuple[int, int]]
    """Each parameter's text span, top-level commas excluded."""


@dataclass(slots=True)
class TypeAlias:
    """``type X[T] = value``: the keyword, the name, and where ``=`` is."""

    keyword: int
    name: int
    equals: int
    params: TypeParams | None


@dataclass(slots=True)
class ExceptGroup:
    """``except A, B:`` (PEP 758): the keyword and the span of the exception list."""

    keyword: int
    first: int
    last_end: int


@dataclass(slots=True)
class Lexed:
    """What a file contains that an older parser cannot read."""

    groups: list[StringGroup] = field(default_factory=list)
    type_params: list[TypeParams] = field(default_factory=list)
    aliases: list[TypeAlias] = field(default_factory=list)
    excepts: list[ExceptGroup] = field(default_factory=list)
