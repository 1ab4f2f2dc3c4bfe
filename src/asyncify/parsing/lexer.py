"""A small lexer for the Python 3.12-3.14 constructs an older parser rejects.

It reads just enough of a file to find them: string literals of every kind (PEP 701
f-strings with nested replacement fields, comments and quotes; PEP 750 t-strings),
brackets and comments, and the statement-level forms ``def f[T]``, ``class C[T]``,
``type X = ...`` and ``except A, B:``. Everything else is skipped by regular expressions,
so it costs a fraction of a parse. Offsets are indexes into the text (characters).

It never raises on odd input except ``LexError``: the caller then reports the host
parser's own error.
"""

from __future__ import annotations

import re

from asyncify.parsing.model import ExceptGroup, Field, Lexed, Literal, StringGroup, StringToken, TypeAlias, TypeParams

_PREFIXES = frozenset({"", "r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"})
_STRING = r"""(?P<quote>'''|\"\"\"|'|")"""
_ADJACENT = re.compile(r"""[A-Za-z]{0,2}('''|\"\"\"|'|")""")
_PREFIX = re.compile(r"\w{1,3}$")
_IDENTIFIER_END = re.compile(r"[\w.]$")

_CODE = re.compile(
    r"(?P<comment>\#[^\r\n]*)|" + _STRING + r"|(?P<open>[(\[{])|(?P<close>[)\]}])"
    r"|(?P<word>(?:def|class|type|except)(?!\w))"
)
"""What the top level needs to see; everything between matches is skipped."""

_FIELD = re.compile(
    r"(?P<comment>\#[^\r\n]*)|" + _STRING + r"|(?P<open>[(\[{])|(?P<close>[)\]}])"
    r"|(?P<op>[=!<>]=)|(?P<term>[=!:])|(?P<comma>,)"
)
"""Inside a replacement field: also its terminators (``=``, ``!``, ``:``, ``}``) and commas."""

_CLAUSE = re.compile(
    r"(?P<comment>\#[^\r\n]*)|" + _STRING + r"|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<colon>:)|(?P<comma>,)"
)
"""Inside an ``except`` clause or a type-parameter list: brackets, strings, colons, commas."""

_PLAIN_BODY = {
    "'": re.compile(r"(?:[^'\\\r\n]|\\(?:\r\n|[\s\S]))*'"),
    '"': re.compile(r'(?:[^"\\\r\n]|\\(?:\r\n|[\s\S]))*"'),
    "'''": re.compile(r"(?:[^'\\]|\\[\s\S]|'(?!''))*'''"),
    '"""': re.compile(r'(?:[^"\\]|\\[\s\S]|"(?!""))*"""'),
}
_LITERAL_RUN = {
    "'": re.compile(r"[^{}\\'\r\n]+"),
    '"': re.compile(r'[^{}\\"\r\n]+'),
    "'''": re.compile(r"[^{}\\']+"),
    '"""': re.compile(r'[^{}\\"]+'),
}
_BETWEEN = re.compile(r"(?:[ \t\f]|\\(?:\r\n|\r|\n))*")
_BETWEEN_IN_BRACKETS = re.compile(r"(?:[ \t\f\r\n]|\\(?:\r\n|\r|\n)|\#[^\r\n]*)*")
_TYPE_ALIAS = re.compile(r"type[ \t\f]+[^\W\d]\w*[ \t\f]*[\[=]")
_DEF_PARAMS = re.compile(r"(?:def|class)[ \t\f]+[^\W\d]\w*[ \t\f]*\[")
_CONVERSION = re.compile(r"[ \t\f]*[A-Za-z]*[ \t\f]*")
_SPACE = re.compile(r"[ \t\f\r\n]*")
_SKIP = re.compile(r"(?:[ \t\f\r\n]|\\(?:\r\n|\r|\n)|\#[^\r\n]*)*")
_TRAILING_COMMENT = re.compile(r"(?:[ \t\f\r\n\\]|\#[^\r\n]*)+$")


class LexError(Exception):
    """The text is not valid Python in a way the lexer noticed (the parser will say how)."""


class Lexer:
    """Scans one text; ``lex`` returns what must be lowered for ``grammar``."""

    def __init__(self, text: str, grammar: tuple[int, int], every_fstring: bool = False) -> None:
        self.text = text
        self.grammar = grammar
        self.every_fstring = every_fstring
        self.found = Lexed()

    def lex(self) -> Lexed:
        self._code()
        return self.found

    # ----- code ----------------------------------------------------------------------

    def _code(self) -> None:
        """Scan the whole text at the top level."""
        text, depth, pos = self.text, 0, 0
        while True:
            match = _CODE.search(text, pos)
            if match is None:
                if depth:
                    raise LexError("unclosed bracket")
                return
            kind = match.lastgroup
            pos = match.end()
            if kind == "quote":
                pos = self._string_group(match, depth > 0)
            elif kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth < 0:
                    raise LexError("unmatched bracket")
            elif (
                kind == "word"
                and depth == 0
                and not _IDENTIFIER_END.search(text, max(0, match.start() - 1), match.start())
            ):
                pos = self._statement_word(match.start(), match.group("word"), pos)

    def _statement_word(self, start: int, word: str, pos: int) -> int:
        text = self.text
        if word in ("def", "class"):
            head = _DEF_PARAMS.match(text, start)
            if head is not None:
                line = _line_before(text, start)
                before = line.rstrip(" \t\f")  # `async def` starts at `async`
                keyword = start - (len(line) - len(before)) - len("async") if before.endswith("async") else start
                params = self._type_params(keyword, head.end() - 1)
                if self.grammar < (3, 12) or (self.grammar < (3, 13) and _has_default(text, params)):
                    self.found.type_params.append(params)
                return params.close + 1
        elif word == "type" and self.grammar < (3, 12) and _at_statement_start(text, start):
            head = _TYPE_ALIAS.match(text, start)
            if head is not None:
                name = _skip(_SPACE, text, start + 4)
                params = None
                equals = head.end() - 1
                if text[equals] == "[":
                    params = self._type_params(start, equals)
                    equals = _skip(_BETWEEN, text, params.close + 1)
                    if text[equals : equals + 1] != "=":
                        raise LexError("type alias without '='")
                self.found.aliases.append(TypeAlias(start, name, equals, params))
                return equals + 1
        elif word == "except" and self.grammar < (3, 14) and _at_line_start(text, start):
            return self._except(start, pos)
        return pos

    def _type_params(self, keyword: int, open_: int) -> TypeParams:
        close, commas = self._clause(open_ + 1, "]")
        params, begin = [], open_ + 1
        for comma in [*commas, close]:
            span = _strip(self.text, begin, comma)
            if span[0] < span[1]:
                params.append(span)
            begin = comma + 1
        return TypeParams(keyword, open_, close, params)

    def _except(self, start: int, pos: int) -> int:
        text = self.text
        if text.startswith("*", pos):
            pos += 1
        first = _skip(_BETWEEN, text, pos)
        colon, commas = self._clause(first, ":")
        if commas:
            self.found.excepts.append(ExceptGroup(start, first, _strip(text, first, colon)[1]))
        return colon + 1

    def _clause(self, pos: int, stop: str) -> tuple[int, list[int]]:
        """Scan to ``stop`` (``]`` or ``:``) at bracket depth 0; returns it and the top-level commas."""
        text, depth, commas = self.text, 0, list[int]()
        while True:
            match = _CLAUSE.search(text, pos)
            if match is None:
                raise LexError(f"no {stop!r}")
            kind, pos = match.lastgroup, match.end()
            if kind == "quote":
                pos = self._string_group(match, True)
            elif kind == "open":
                depth += 1
            elif kind == "close":
                if depth == 0:
                    if text[match.start()] == stop:
                        return match.start(), commas
                    raise LexError("unmatched bracket")
                depth -= 1
            elif depth == 0 and kind == "colon" and stop == ":":
                return match.start(), commas
            elif depth == 0 and kind == "comma":
                commas.append(match.start())

    # ----- strings -------------------------------------------------------------------

    def _string_group(self, first: re.Match[str], in_brackets: bool) -> int:
        """Scan a string literal and any literals adjacent to it; returns the end."""
        tokens = [self._string(first.start(), first.group("quote"))]
        between = _BETWEEN_IN_BRACKETS if in_brackets else _BETWEEN
        pos = tokens[-1].end
        while True:
            gap = _skip(between, self.text, pos)
            adjacent = _ADJACENT.match(self.text, gap)
            if adjacent is None or self.text[gap : adjacent.start(1)].lower() not in _PREFIXES:
                break
            tokens.append(self._string(adjacent.start(1), adjacent.group(1)))
            pos = tokens[-1].end
        if any(t.needs_lowering for t in tokens):
            self.found.groups.append(StringGroup(tokens))
        return pos

    def _string(self, at: int, quote: str) -> StringToken:
        """The string literal whose quote starts at ``at`` (its prefix is read backwards)."""
        tail = _PREFIX.search(self.text, max(0, at - 3), at)
        prefix = tail.group() if tail is not None and tail.group().lower() in _PREFIXES else ""
        start = at - len(prefix)
        body = at + len(quote)
        lowered = prefix.lower()
        if "f" not in lowered and "t" not in lowered:
            plain = _PLAIN_BODY[quote].match(self.text, body)
            if plain is None:
                raise LexError("unterminated string")
            return StringToken(start, plain.end(), prefix, quote)
        parts, end = self._fstring_body(body, quote, "r" in lowered, in_spec=False)
        token = StringToken(start, end, prefix, quote, parts)
        token.needs_lowering = (
            self.every_fstring
            or ("t" in lowered and self.grammar < (3, 14))
            or (self.grammar < (3, 12) and not self._legacy_ok(parts, quote, 0))
        )
        return token

    def _fstring_body(self, pos: int, quote: str, raw: bool, *, in_spec: bool) -> tuple[list[Literal | Field], int]:
        """Parts of an f-string body from ``pos``; returns them and the offset after the
        closing quote (or, ``in_spec``, the offset of the ``}`` that ends the spec)."""
        text, run = self.text, _LITERAL_RUN[quote]
        parts: list[Literal | Field] = []
        literal = pos
        while True:
            match = run.match(text, pos)
            if match is not None:
                pos = match.end()
            char = text[pos : pos + 1]
            if not char:
                raise LexError("unterminated f-string")
            if text.startswith(quote, pos):
                if in_spec:
                    raise LexError("unterminated replacement field")
                _literal(parts, literal, pos)
                return parts, pos + len(quote)
            if char in "'\"":  # the other quote, or one quote inside a triple-quoted string
                pos += 1
            elif char in "\r\n":
                raise LexError("unterminated f-string")
            elif char == "\\":
                nxt = text[pos + 1 : pos + 2]
                if nxt in ("{", "}"):
                    pos += 1
                elif not raw and nxt == "N" and text.startswith("{", pos + 2):
                    close = text.find("}", pos + 3)
                    if close < 0:
                        raise LexError("unterminated \\N{}")
                    pos = close + 1
                else:
                    pos += 2 if text[pos + 1 : pos + 3] != "\r\n" else 3
            elif char == "{":
                if text.startswith("{", pos + 1) and not in_spec:
                    pos += 2
                    continue
                _literal(parts, literal, pos)
                part = self._field(pos, quote, raw)
                parts.append(part)
                pos = literal = part.close + 1
            elif in_spec:  # '}' ends the spec
                _literal(parts, literal, pos)
                return parts, pos
            elif text.startswith("}", pos + 1):
                pos += 2
            else:
                raise LexError("single '}' in f-string")

    def _field(self, open_: int, quote: str, raw: bool) -> Field:
        text, depth, commas = self.text, 0, []
        pos = open_ + 1
        while True:
            match = _FIELD.search(text, pos)
            if match is None:
                raise LexError("unterminated replacement field")
            kind, pos = match.lastgroup, match.end()
            if kind == "quote":
                pos = self._string_group(match, True)
            elif kind == "open":
                depth += 1
            elif kind == "close":
                if depth == 0:
                    if text[match.start()] != "}":
                        raise LexError("unmatched bracket in f-string")
                    break
                depth -= 1
            elif kind == "term" and depth == 0:
                break
            elif kind == "comma" and depth == 0:
                commas.append(match.start())
        part = Field(open_, open_ + 1, match.start(), commas)
        pos = match.start()
        if text[pos] == "=":
            pos = _skip(_SPACE, text, pos + 1)
            part.debug_end = pos
        if text[pos : pos + 1] == "!":
            end = _skip(_CONVERSION, text, pos + 1)
            part.conversion = text[pos + 1 : end].strip(" \t\f")
            pos = end
        if text[pos : pos + 1] == ":":
            part.spec_start = pos
            part.spec, pos = self._fstring_body(pos + 1, quote, raw, in_spec=True)
        if text[pos : pos + 1] != "}":
            raise LexError("expected '}' in f-string")
        part.close = pos
        return part

    def _legacy_ok(self, parts: list[Literal | Field], quote: str, spec_depth: int) -> bool:
        """Whether Python 3.11's f-string parser reads these parts (no PEP 701 features)."""
        for part in parts:
            if isinstance(part, Literal):
                continue
            if spec_depth > 1:
                return False
            expr = self.text[part.expr_start : part.expr_end]
            if "\\" in expr or "#" in expr or quote in expr or (len(quote) == 1 and ("\n" in expr or "\r" in expr)):
                return False
            if any(g.start >= part.expr_start and g.end <= part.expr_end for g in self.found.groups):
                return False
            if not self._legacy_ok(part.spec, quote, spec_depth + 1):
                return False
        return True


def _skip(pattern: re.Pattern[str], text: str, pos: int, end: int | None = None) -> int:
    """Where a run of ``pattern`` (which may match nothing) starting at ``pos`` ends."""
    match = pattern.match(text, pos) if end is None else pattern.match(text, pos, end)
    return pos if match is None else match.end()


def _literal(parts: list[Literal | Field], start: int, end: int) -> None:
    if end > start:
        parts.append(Literal(start, end))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``start..end`` without surrounding whitespace, line continuations and comments."""
    lead = _skip(_SKIP, text, start, end)
    body = text[lead:end]
    if "#" in body and "'" not in body and '"' not in body:
        body = _TRAILING_COMMENT.sub("", body)
    return lead, lead + len(body.rstrip(" \t\f\r\n\\"))


def _has_default(text: str, params: TypeParams) -> bool:
    """PEP 696 defaults (``T = int``), which need Python 3.13."""
    return any("=" in text[a:b] for a, b in params.params)


def _at_statement_start(text: str, pos: int) -> bool:
    """Nothing but indentation, or a ``;``/``:`` that ends the previous statement, before ``pos``."""
    before = _line_before(text, pos).rstrip(" \t\f")
    return not before or before[-1] in ";:"


def _at_line_start(text: str, pos: int) -> bool:
    return not _line_before(text, pos).strip(" \t\f")


def _line_before(text: str, pos: int) -> str:
    return text[max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1 : pos]
