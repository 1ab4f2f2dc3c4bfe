"""Give the tree of a lowered text back the shape of the original program.

After ``lowering`` the host parser returns a tree whose nodes sit at the original
positions but some of which stand in for other constructs. One pass puts them back:

- each string-group tuple becomes the ``JoinedStr`` Python 3.12+ builds (literal parts
  merged into ``Constant``s, ``FormattedValue``s with their conversion and format spec,
  self-documenting ``{x=}`` text), positions as CPython 3.13 gives them;
- ``0;  X = v`` becomes ``TypeAlias`` (``ast.Expr(v)`` on an interpreter without it);
- ``def``/``class`` get their ``type_params`` (on an interpreter that has the field);
- ``except(A, B):`` gets the unparenthesised tuple's span, and columns after an
  inserted character are moved back.

A t-string comes back as a ``JoinedStr`` where the host has no ``TemplateStr``: the
analysis treats both as an expression whose fields it walks.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import Any

from asyncify.parsing.lowering import Lowered, Position, trailing_comma
from asyncify.parsing.model import Field, Literal, StringGroup, StringToken, TypeAlias, TypeParams

_LINE_BREAK = re.compile(r"\r\n|\r")
_PARAM = re.compile(r"(\*\*|\*)?[ \t\f]*([^\W\d]\w*)[ \t\f]*")
_CONVERSIONS = {"": -1, "s": 115, "r": 114, "a": 97}


def raise_tree(tree: ast.Module, lowered: Lowered) -> ast.Module:
    """``tree`` (parsed from ``lowered.text``) in the original program's shape."""
    _Raiser(lowered).visit(tree)
    return tree


class _Raiser:
    def __init__(self, lowered: Lowered) -> None:
        self.lowered = lowered
        self.text = lowered.lines.text
        self.full = bool(lowered.groups or lowered.insertions)
        """Whether expressions must be visited (string groups, moved columns)."""

    def visit(self, node: ast.AST) -> ast.AST:
        full = self.full
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    value[:] = self._body(value)
                else:
                    for index, item in enumerate(value):
                        if isinstance(item, ast.AST) and (full or not isinstance(item, ast.expr)):
                            value[index] = self.visit(item)
            elif isinstance(value, ast.AST) and (full or not isinstance(value, ast.expr)):
                setattr(node, name, self.visit(value))
        if self.lowered.insertions and hasattr(node, "lineno"):
            self._move_columns(node)
        return self._raise(node)

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        aliases = self.lowered.aliases
        skip = False
        for index, stmt in enumerate(body):
            if skip:
                skip = False
                continue
            node = self.visit(stmt)
            assert isinstance(node, ast.stmt)
            alias = aliases.get((node.lineno, node.col_offset)) if isinstance(node, ast.Expr) else None
            if alias is not None and index + 1 < len(body) and isinstance(body[index + 1], ast.Assign):
                assign = self.visit(body[index + 1])
                assert isinstance(assign, ast.Assign)
                node = self._alias(alias, assign)
                skip = True
            out.append(node)
        return out

    def _raise(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.Tuple):
            group = self.lowered.groups.get((node.lineno, node.col_offset))
            if group is not None and self._position(group.end) == (node.end_lineno, node.end_col_offset):
                return self._joined(node, group)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            params = self.lowered.type_params.get((node.lineno, node.col_offset))
            if params is not None and "type_params" in node._fields:
                setattr(node, "type_params", self._type_params(params))  # noqa: B010  (a 3.12+ field)
        elif isinstance(node, ast.ExceptHandler):
            clause = self.lowered.excepts.get((node.lineno, node.col_offset))
            if clause is not None and isinstance(node.type, ast.Tuple):
                _place(node.type, self._position(clause.first), self._position(clause.last_end))
        return node

    # ----- positions -----------------------------------------------------------------

    def _position(self, offset: int) -> Position:
        return self.lowered.lines.position(offset)

    def _move_columns(self, node: Any) -> None:
        inserted = self.lowered.insertions
        if node.lineno in inserted:
            node.col_offset = _moved(node.col_offset, inserted[node.lineno])
        if node.end_lineno in inserted and node.end_col_offset is not None:
            node.end_col_offset = _moved(node.end_col_offset, inserted[node.end_lineno])

    # ----- string groups -------------------------------------------------------------

    def _joined(self, lowered: ast.Tuple, group: StringGroup) -> ast.JoinedStr:
        elts = iter(lowered.elts)
        values = _Values(self)
        for token in group.tokens:
            if token.parts is None:
                values.literal(_evaluate(self.text[token.start : token.end]), token.start, token.end, token.prefix)
            else:
                self._parts(values, token.parts, token, elts)
        node = ast.JoinedStr(values=values.done())
        _place(node, self._position(group.start), self._position(group.end))
        return node

    def _parts(self, values: _Values, parts: list[Literal | Field], token: StringToken, elts: Any) -> None:
        for part in parts:
            if isinstance(part, Literal):
                values.literal(_decode(self.text[part.start : part.end], token), part.start, part.end)
                continue
            if part.debug_end >= 0:
                values.literal(self.text[part.expr_start : part.debug_end], part.expr_start, part.debug_end)
            values.append(self._formatted(part, token, elts))

    def _formatted(self, part: Field, token: StringToken, elts: Any) -> ast.FormattedValue:
        if part.commas:
            count = len(part.commas) + (0 if trailing_comma(self.text, part) else 1)
            value: ast.expr = ast.Tuple(elts=[next(elts) for _ in range(count)], ctx=ast.Load())
            expr = self.text[part.expr_start : part.expr_end]
            start = part.expr_start + len(expr) - len(expr.lstrip())
            _place(value, self._position(start), self._position(part.expr_start + len(expr.rstrip())))
        else:
            value = next(elts)
        default = 114 if part.debug_end >= 0 and part.spec_start < 0 else -1
        conversion = _CONVERSIONS.get(part.conversion, -1) if part.conversion else default
        spec = None
        if part.spec_start >= 0:
            inner = _Values(self)
            self._parts(inner, part.spec, token, elts)
            spec = ast.JoinedStr(values=inner.done())
            _place(spec, self._position(part.spec_start), self._position(part.close))
        node = ast.FormattedValue(value=value, conversion=conversion, format_spec=spec)
        _place(node, self._position(part.open), self._position(part.close + 1))
        return node

    # ----- statements ----------------------------------------------------------------

    def _alias(self, alias: TypeAlias, assign: ast.Assign) -> ast.stmt:
        value = assign.value
        kind = getattr(ast, "TypeAlias", None)
        node: ast.stmt
        if kind is None:
            node = ast.Expr(value=value)
        else:
            target = assign.targets[0]
            name = ast.Name(id=target.id if isinstance(target, ast.Name) else "", ctx=ast.Store())
            ast.copy_location(name, target)
            params = self._type_params(alias.params) if alias.params is not None else []
            node = kind(name=name, type_params=params, value=value)
        _place(node, self._position(alias.keyword), (assign.end_lineno or 0, assign.end_col_offset or 0))
        return node

    def _type_params(self, params: TypeParams) -> list[ast.AST]:
        return [self._type_param(start, end) for start, end in params.params]

    def _type_param(self, start: int, end: int) -> ast.AST:
        text = self.text[start:end]
        head = _PARAM.match(text)
        if head is None:
            raise SyntaxError("invalid type parameter", ("<unknown>", *self._position(start), text))
        stars, name = head.group(1) or "", head.group(2)
        rest = text[head.end() :]
        bound = default = None
        if stars:
            if rest.startswith("="):
                default = self._snippet("(", rest[1:], ",)", start + head.end() + 1).elts[0]
        elif rest:
            signature = self._snippet("def _(_", rest, "): pass", start + head.end())
            bound = signature.args.args[0].annotation
            default = signature.args.defaults[0] if signature.args.defaults else None
        kind = getattr(ast, {"": "TypeVar", "*": "TypeVarTuple", "**": "ParamSpec"}[stars])
        fields = {"name": name, "bound": bound, "default_value": default}
        node: ast.AST = kind(**{k: v for k, v in fields.items() if k in kind._fields})
        _place(node, self._position(start), self._position(end))
        return node

    def _snippet(self, before: str, text: str, after: str, offset: int) -> Any:
        """Parse ``before + text + after`` and move its nodes to where ``text`` is (``offset``)."""
        parsed = ast.parse(before + text + after)
        node = parsed.body[0]
        value = node.value if isinstance(node, ast.Expr) else node
        line, column = self._position(offset)
        shift = column - len(before.encode("utf-8"))
        for child in ast.walk(value):
            if isinstance(child, (ast.expr, ast.stmt)):
                if child.lineno == 1:
                    child.col_offset += shift
                if child.end_lineno == 1 and child.end_col_offset is not None:
                    child.end_col_offset += shift
                child.lineno += line - 1
                child.end_lineno = (child.end_lineno or 1) + line - 1
        return value


class _Values:
    """The ``values`` of a ``JoinedStr`` being built: adjacent literals merge into one."""

    def __init__(self, raiser: _Raiser) -> None:
        self.raiser = raiser
        self.values: list[ast.expr] = []
        self.pending: list[tuple[str, int, int, str]] = []

    def literal(self, value: str, start: int, end: int, prefix: str = "") -> None:
        if value:
            self.pending.append((value, start, end, prefix))

    def append(self, node: ast.expr) -> None:
        self._flush()
        self.values.append(node)

    def done(self) -> list[ast.expr]:
        self._flush()
        return self.values

    def _flush(self) -> None:
        if not self.pending:
            return
        first, last = self.pending[0], self.pending[-1]
        node = ast.Constant(value="".join(p[0] for p in self.pending), kind="u" if first[3].lower() == "u" else None)
        _place(node, self.raiser._position(first[1]), self.raiser._position(last[2]))
        self.values.append(node)
        self.pending = []


def _place(node: Any, start: Position, end: Position) -> None:
    node.lineno, node.col_offset = start
    node.end_lineno, node.end_col_offset = end


def _moved(column: int, inserted: list[int]) -> int:
    """A lowered column back to the original one (one byte was inserted before each of ``inserted``)."""
    shift = 0
    for before in inserted:
        if column > before + shift:
            shift += 1
    return column - shift


def _evaluate(literal: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.literal_eval(literal)


def _decode(segment: str, token: StringToken) -> str:
    """The value of an f-string's literal text: ``{{`` and ``}}`` halved, escapes decoded."""
    segment = segment.replace("{{", "{").replace("}}", "}")
    segment = _LINE_BREAK.sub("\n", segment)
    if "r" in token.prefix.lower() or "\\" not in segment:
        return segment
    lone = (len(segment) - len(segment.rstrip("\\"))) % 2  # a backslash before a field is literal
    body = segment[: len(segment) - lone]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape") + "\\" * lone
