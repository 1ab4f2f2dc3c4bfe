"""Keep rewritten lines within the project's line length, split the way black splits them.

``x = await asyncio.to_thread(subprocess.check_output, ["git", "rev-parse", "HEAD"])``
is longer than the call it replaced; in a project whose limit is 88 it fails E501. After
the rewrite pass the engine asks :func:`wrap_long_lines` to split each statement that
now has a line over the limit which the original file did not have. Following black's
right-hand split, the brackets between the statement and the call that grew (the
offload: ``to_thread``, ``run_sync``, ``run_in_executor``, ``aiofiles.open``) are opened
outermost first, each one level deeper: the bracket's contents go on one indented line
when they fit there ("hugging"), and the grown call's own arguments go one per line with
a magic trailing comma when they do not::

    result = (
        await asyncio.to_thread(subprocess.run, ["git", "status"], check=True)
    ).stdout

A method chain with two or more calls after a bracket (``(await ...).strip().decode()``)
is laid out "fluent", as black and ruff format it: the whole chain in parentheses, one
``.method()`` per line, the grown call's brackets then opened inside::

    commit_hash = (
        (await asyncio.to_thread(subprocess.check_output, ["git", "rev-parse", "HEAD"]))
        .strip()
        .decode("ascii")
    )

A grown call inside an f-string's field cannot be split (a line break there is a syntax
error before Python 3.12); the call around the string is opened instead
(``print(\n    f"{await ...} bytes"\n)``).

Only one-line simple statements (and the header of ``if``/``elif``/``while``/``for``/
``with``, through the call's own brackets) are split; a line that stays too long after
every split is left as the last split made it. Lines the file already had are never
touched, even when they are too long.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

GROWN_CALLS = frozenset({"to_thread", "run_sync", "run_in_executor", "open_file"})
"""The last name of the calls the codemods write around a moved call."""

SKIPPED = (
    cst.Lambda,
    cst.FunctionDef,
    cst.ClassDef,
    cst.FormattedString,
    cst.TemplatedString,
    cst.ConcatenatedString,
)
"""Never split inside these: a new function's body is its own statement, a line break
inside an f-string's field is a syntax error before Python 3.12, and black never breaks
inside a string's fields (a t-string's neither)."""

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp)
DISPLAYS = (cst.List, cst.Set, cst.Dict)


def wrap_long_lines(module: cst.Module, original: str, limit: int, code: str | None = None) -> cst.Module:
    """``module`` with each statement that has a new over-long line split (see above);
    ``module`` itself when there is none. ``code``: ``module.code``, when known."""
    known = set(original.splitlines())
    lines = (module.code if code is None else code).splitlines()
    long = {n for n, line in enumerate(lines, 1) if len(line) > limit and line not in known}
    if not long:
        return module
    wrapper = MetadataWrapper(module)  # a copy: a twin may share nodes with its original
    return wrapper.visit(_Splitter(long, limit, wrapper.module))


def is_grown_call(node: cst.CSTNode) -> bool:
    """Whether ``node`` is a call the codemods wrap a moved call in."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return False
    name = node.func.attr.value
    if name in GROWN_CALLS:
        return True
    base = node.func.value
    return name == "open" and isinstance(base, cst.Name) and base.value.lstrip("_").startswith("aiofiles")


class _Splitter(cst.CSTTransformer):
    """Split the one-line statements (and compound headers) that hold a new long line."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, long: set[int], limit: int, module: cst.Module) -> None:
        super().__init__()
        self.long, self.limit, self.module = long, limit, module
        self.lines = module.code.splitlines()
        self.indents: list[str] = []
        self.multi_line: list[bool] = []

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(self.module.default_indent if node.indent is None else node.indent)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.indents.pop()
        return updated_node

    def _is_long(self, node: cst.CSTNode) -> bool:
        position = self.get_metadata(PositionProvider, node)
        return position.start.line == position.end.line and position.start.line in self.long

    def _base(self) -> int:
        return len("".join(self.indents))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        position = self.get_metadata(PositionProvider, node)
        self.multi_line.append(position.start.line != position.end.line)

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await) -> cst.BaseExpression:
        """In a statement already over several lines, an awaited call alone on a new long
        line has its own arguments split, relative to that line's indentation."""
        if not (self.multi_line and self.multi_line[-1]) or not isinstance(updated_node.expression, cst.Call):
            return updated_node
        position = self.get_metadata(PositionProvider, original_node)
        if position.start.line != position.end.line or position.start.line not in self.long:
            return updated_node
        line = self.lines[position.start.line - 1]
        extra = len(line) - len(line.lstrip()) - self._base()
        prefix, suffix = line[: position.start.column], line[position.end.column :]
        call = updated_node.expression
        for explode in (False, True):
            if explode and len(call.args) < 2:
                break
            args = _items(call.args, 0, explode, extra)
            if not explode:
                args[-1] = args[-1].with_changes(whitespace_after_arg=_break(0, extra))
            candidate = updated_node.with_changes(
                expression=call.with_changes(whitespace_before_args=_break(1, extra), args=args)
            )
            code = self.module.code_for_node(candidate).splitlines()
            physical = [
                prefix + code[0],
                *(" " * self._base() + c for c in code[1:-1]),
                " " * self._base() + code[-1] + suffix,
            ]
            if all(len(p) <= self.limit for p in physical) or explode:
                return candidate
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        self.multi_line.pop()
        if len(updated_node.body) != 1 or not self._is_long(original_node):
            return updated_node

        def render(small: cst.CSTNode) -> str:
            assert isinstance(small, cst.BaseSmallStatement)
            return self.module.code_for_node(updated_node.with_changes(body=[small], leading_lines=[]))

        split = split_node(updated_node.body[0], self._base(), self.limit, render)
        return updated_node.with_changes(body=[split]) if split is not None else updated_node

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        if not self._is_long(original_node.iter):
            return updated_node
        return self._header(updated_node, "iter")

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        if not self._is_long(original_node.test):
            return updated_node
        return self._header(updated_node, "test")

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.While:
        if not self._is_long(original_node.test):
            return updated_node
        return self._header(updated_node, "test")

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        """A ``with`` (or ``async with``) of one item that grew: the item split as a
        header (``as name`` follows the closing bracket, as black writes it)."""
        if len(original_node.items) != 1 or not self._is_long(original_node.items[0].item):
            return updated_node
        item = updated_node.items[0]
        bare = updated_node.with_changes(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])]))

        def render(expression: cst.CSTNode) -> str:
            assert isinstance(expression, cst.BaseExpression)
            code = self.module.code_for_node(bare.with_changes(items=[item.with_changes(item=expression)]))
            return "".join(code.splitlines(keepends=True)[:-1])

        split = split_node(item.item, self._base(), self.limit, render)
        if split is None:
            return updated_node
        assert isinstance(split, cst.BaseExpression)
        return updated_node.with_changes(items=[item.with_changes(item=split)])

    def _header(self, node: _Compound, field: str) -> _Compound:
        """``node`` with its header expression ``field`` split (the body untouched)."""
        bare = node.with_changes(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])]), orelse=None)
        expression = getattr(node, field)
        if isinstance(expression, cst.BooleanOperation) and not expression.lpar:
            # black's invisible parentheses: ``if (\n    a\n    and b\n):``
            expression = expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

        def render(expression: cst.CSTNode) -> str:
            code = self.module.code_for_node(bare.with_changes(**{field: expression}))
            return "".join(code.splitlines(keepends=True)[:-1])

        split = split_node(expression, self._base(), self.limit, render)
        return node if split is None else node.with_changes(**{field: split})


_Compound = TypeVar("_Compound", cst.For, cst.If, cst.While)


@dataclass(frozen=True, slots=True)
class _Bracket:
    """One bracket pair around the grown call: a call's arguments (``args``), an
    expression's parentheses (``parens``), a comprehension (``comp``) or a display
    (``elements``)."""

    node: cst.CSTNode
    kind: str

    @property
    def has_delimiters(self) -> bool:
        """Whether exploding it puts more than one thing on its own line."""
        if self.kind == "args":
            assert isinstance(self.node, cst.Call)
            return len(self.node.args) > 1
        if self.kind == "elements":
            return len(getattr(self.node, "elements", ())) > 1
        if self.kind == "parens":
            return isinstance(self.node, (cst.BooleanOperation, cst.IfExp))
        return self.kind == "comp"


def split_node(node: cst.CSTNode, base: int, limit: int, render: Callable[[cst.CSTNode], str]) -> cst.CSTNode | None:
    """``node`` with the brackets around its grown call opened, outermost first, until
    every line of ``render(node)`` fits in ``limit`` columns after ``base``; ``None`` when
    there is nothing to open. A bracket's contents first go on one line of their own;
    when that line is too long and they have delimiters, one item per line with a
    trailing comma; then the next bracket inward, one level deeper. A fluent chain
    (see the module docstring) is laid out first, as the outermost bracket."""
    current = _right_hand_parens(node)
    depth = 0
    fluent = _fluent(node)
    if fluent is not None:
        current, depth = fluent, 1
        if _fits(render(current), base, limit):
            return current
    while True:
        brackets = _brackets(current)
        if depth >= len(brackets):
            return current if depth else None
        # black explodes a display (list, set, dict) with commas at once; hugs the rest
        eager = brackets[depth].kind == "elements" and brackets[depth].has_delimiters
        hugged = _open(current, brackets[depth], depth, explode=False)
        if not eager and _fits(render(hugged), base, limit):
            return hugged
        if not eager and _body_fits(current, brackets[depth], depth, render, base, limit):
            return hugged  # black splits each line on its own: the rest cannot be helped
        current = hugged
        if brackets[depth].has_delimiters:
            current = _open(current, _brackets(current)[depth], depth, explode=True)
            if _fits(render(current), base, limit):
                return current
        depth += 1


def _fits(code: str, base: int, limit: int) -> bool:
    return all(base + len(line) <= limit for line in code.splitlines())


BODY_MARK = "# asyncify: bracket body"


def _body_fits(
    node: cst.CSTNode, bracket: _Bracket, depth: int, render: Callable[[cst.CSTNode], str], base: int, limit: int
) -> bool:
    """Whether the line a hugged ``bracket`` puts its contents on fits (found by a
    comment after the opening bracket, in a rendering made only to measure)."""
    lines = render(_open(node, bracket, depth, explode=False, mark=True)).splitlines()
    for number, line in enumerate(lines[:-1]):
        if line.endswith(BODY_MARK):
            return base + len(lines[number + 1]) <= limit
    return False


def _path_to_grown(node: cst.CSTNode, awaited: bool = False) -> list[cst.CSTNode] | None:
    """The nodes from ``node`` down to the first grown call (pre-order), both included:
    an offload call, or any call that is awaited (a twin's, a propagated helper's). A
    string whose field holds one ends the path instead (it cannot be split inside)."""
    if isinstance(node, cst.Call) and (awaited or is_grown_call(node)):
        if len(node.args) == 1 and isinstance(node.args[0].value, cst.Call) and not node.args[0].star:
            # ``run_sync(functools.partial(f, k=v))``: black opens the inner call next
            return [node, node.args[0], node.args[0].value]
        return [node]
    for child in node.children:
        if isinstance(child, STRINGS) and _holds_grown(child):
            return [node, child]
        if isinstance(child, SKIPPED):
            continue
        found = _path_to_grown(child, isinstance(node, cst.Await) and child is node.expression)
        if found is not None:
            return [node, *found]
    return None


STRINGS = (cst.FormattedString, cst.TemplatedString, cst.ConcatenatedString)


def _holds_grown(string: cst.CSTNode, awaited: bool = False) -> bool:
    """Whether a grown call sits in a field of ``string`` (not in a nested function)."""
    if isinstance(string, cst.Call) and (awaited or is_grown_call(string)):
        return True
    return any(
        _holds_grown(child, isinstance(string, cst.Await) and child is string.expression)
        for child in string.children
        if not isinstance(child, (cst.Lambda, cst.FunctionDef, cst.ClassDef))
    )


def _right_hand_parens(node: cst.CSTNode) -> cst.CSTNode:
    """``node`` with black's optional parentheses around an assigned or returned value
    that has two or more delimiters of its kind at the top (``a if b else c``, ``a and b
    and c``, ``a < b < c``): black splits inside those first, ruff too."""
    if not isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)):
        return node
    value = node.value
    if value is None or value.lpar or _delimiters(value) < 2:
        return node
    parenthesised = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node.with_changes(value=parenthesised)


def _delimiters(expression: cst.BaseExpression) -> int:
    """How many top-level delimiters of one priority ``expression`` has (black's count)."""
    if isinstance(expression, cst.IfExp):
        return 2
    if isinstance(expression, cst.Comparison):
        return len(expression.comparisons)
    if isinstance(expression, cst.BooleanOperation):
        sides = (expression.left, expression.right)
        return 1 + sum(_delimiters(s) for s in sides if isinstance(s, cst.BooleanOperation) and not s.lpar)
    return 0


def _chain_value(node: cst.CSTNode) -> cst.BaseExpression | None:
    """The expression a statement or header holds, where a fluent chain may stand."""
    if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr)):
        return node.value
    return node if isinstance(node, cst.BaseExpression) else None


def _fluent_dots(expression: cst.BaseExpression) -> list[cst.Attribute]:
    """The attribute accesses of a call chain that follow a bracket (black's dot
    delimiters), outermost first: ``.strip`` and ``.decode`` of ``(x).strip().decode()``."""
    dots: list[cst.Attribute] = []
    current: cst.BaseExpression = expression
    while True:
        if isinstance(current, (cst.Call, cst.Subscript)) and not current.lpar:
            current = current.func if isinstance(current, cst.Call) else current.value
        elif isinstance(current, cst.Attribute) and not current.lpar:
            value = current.value
            if value.lpar or isinstance(value, (cst.Call, cst.Subscript)):
                dots.append(current)
            current = value
        else:
            return dots


def _fluent(node: cst.CSTNode) -> cst.CSTNode | None:
    """``node`` with its value's call chain laid out fluent, when it has two or more dot
    delimiters and its head holds the grown call; else ``None``."""
    value = _chain_value(node)
    if value is None:
        return None
    dots = _fluent_dots(value)
    if len(dots) < 2 or _path_to_grown(dots[-1].value) is None:
        return None
    inside = _break(1)
    chain = value
    for attribute in dots:
        chain = chain.deep_replace(attribute, attribute.with_changes(dot=cst.Dot(whitespace_before=inside)))
    assert isinstance(chain, cst.BaseExpression)
    if chain.lpar:
        lpar, rpar = list(chain.lpar), list(chain.rpar)
        lpar[0] = lpar[0].with_changes(whitespace_after=inside)
        rpar[-1] = rpar[-1].with_changes(whitespace_before=_break(0))
    else:
        lpar, rpar = [cst.LeftParen(whitespace_after=inside)], [cst.RightParen(whitespace_before=_break(0))]
    chain = chain.with_changes(lpar=lpar, rpar=rpar)
    return chain if node is value else node.deep_replace(value, chain)


def _brackets(node: cst.CSTNode) -> list[_Bracket]:
    """The bracket pairs around the grown call in ``node``, outermost first."""
    path = _path_to_grown(node)
    if path is None:
        return []
    found: list[_Bracket] = []
    for index, step in enumerate(path):
        inner = path[index + 1] if index + 1 < len(path) else None
        if getattr(step, "lpar", None) and not isinstance(step, cst.GeneratorExp):
            found.append(_Bracket(step, "parens"))
        if isinstance(step, cst.Call) and (inner is None or any(arg is inner for arg in step.args)):
            found.append(_Bracket(step, "args"))
        elif isinstance(step, COMPREHENSIONS):
            found.append(_Bracket(step, "comp"))
        elif isinstance(step, DISPLAYS):
            found.append(_Bracket(step, "elements"))
    return found


def _break(depth: int, extra: int = 0, *, mark: bool = False) -> cst.ParenthesizedWhitespace:
    """A line break followed by ``depth`` levels of indentation beyond the statement's
    (and ``extra`` spaces: the continuation line the bracket opens on); ``mark``: with
    ``BODY_MARK`` before the break."""
    comment = cst.Comment(BODY_MARK) if mark else None
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace(" " if mark else ""), comment=comment),
        empty_lines=[],
        indent=True,
        last_line=cst.SimpleWhitespace(" " * extra + "    " * depth),
    )


NO_SPACE = cst.SimpleWhitespace("")


def _open(root: cst.CSTNode, bracket: _Bracket, depth: int, *, explode: bool, mark: bool = False) -> cst.CSTNode:
    """``root`` with ``bracket`` laid out over lines at ``depth`` (``mark``: see ``_body_fits``)."""
    target = bracket.node
    inside, closing = _break(depth + 1, mark=mark), _break(depth)
    replacement: cst.CSTNode
    if bracket.kind == "parens":
        assert isinstance(target, cst.BaseExpression)
        lpar, rpar = list(target.lpar), list(target.rpar)
        lpar[0] = lpar[0].with_changes(whitespace_after=inside)
        rpar[-1] = rpar[-1].with_changes(whitespace_before=closing)
        replacement = target.with_changes(lpar=lpar, rpar=rpar)
        if explode and isinstance(replacement, cst.BooleanOperation):
            replacement = _explode_operators(replacement, type(replacement.operator), inside)
        elif explode and isinstance(replacement, cst.IfExp):  # a line before ``if`` and ``else``
            replacement = replacement.with_changes(whitespace_before_if=inside, whitespace_before_else=inside)
    elif bracket.kind == "args":
        assert isinstance(target, cst.Call)
        args = _items(target.args, depth, explode)
        if not explode:
            args[-1] = args[-1].with_changes(whitespace_after_arg=closing)
        replacement = target.with_changes(whitespace_before_args=inside, args=args)
    elif bracket.kind == "comp":
        assert isinstance(target, COMPREHENSIONS)
        changes = _brackets_of(target, inside, closing)
        if explode:
            changes["for_in"] = _explode_for(target.for_in, inside)
        replacement = target.with_changes(**changes)
    else:
        assert isinstance(target, DISPLAYS)
        changes = _brackets_of(target, inside, NO_SPACE if explode else closing)
        changes["elements"] = _items(list(target.elements), depth, explode)
        replacement = target.with_changes(**changes)
    return root.deep_replace(target, replacement)


def _brackets_of(
    node: cst.CSTNode, inside: cst.BaseParenthesizableWhitespace, closing: cst.BaseParenthesizableWhitespace
) -> dict[str, object]:
    """New opening/closing brackets of a comprehension or display."""
    if isinstance(node, (cst.ListComp, cst.List)):
        return {
            "lbracket": node.lbracket.with_changes(whitespace_after=inside),
            "rbracket": node.rbracket.with_changes(whitespace_before=closing),
        }
    assert isinstance(node, (cst.SetComp, cst.DictComp, cst.Set, cst.Dict))
    return {
        "lbrace": node.lbrace.with_changes(whitespace_after=inside),
        "rbrace": node.rbrace.with_changes(whitespace_before=closing),
    }


def _explode_operators(
    node: cst.BooleanOperation, kind: type[cst.BaseBooleanOp], inside: cst.BaseParenthesizableWhitespace
) -> cst.BooleanOperation:
    """A line break before each ``and`` (or each ``or``) of the chain ``node`` heads."""
    left = node.left
    if isinstance(left, cst.BooleanOperation) and not left.lpar and isinstance(left.operator, kind):
        left = _explode_operators(left, kind, inside)
    operator = node.operator.with_changes(whitespace_before=inside)
    return node.with_changes(left=left, operator=operator)


def _explode_for(comp_for: cst.CompFor, inside: cst.BaseParenthesizableWhitespace) -> cst.CompFor:
    """Each ``for`` and ``if`` of a comprehension on its own line."""
    ifs = [i.with_changes(whitespace_before=inside) for i in comp_for.ifs]
    inner = comp_for.inner_for_in
    return comp_for.with_changes(
        whitespace_before=inside, ifs=ifs, inner_for_in=None if inner is None else _explode_for(inner, inside)
    )


_Item = TypeVar("_Item", bound=cst.CSTNode)


def _items(items: Sequence[_Item], depth: int, explode: bool, extra: int = 0) -> list[_Item]:
    """Arguments or elements: on one line (``explode`` false), or one per line with a
    trailing comma."""
    out = []
    for number, item in enumerate(items):
        if number == len(items) - 1:
            comma = cst.Comma(whitespace_after=_break(depth, extra)) if explode else cst.MaybeSentinel.DEFAULT
        else:
            comma = cst.Comma(whitespace_after=_break(depth + 1, extra) if explode else cst.SimpleWhitespace(" "))
        item = item.with_changes(comma=comma)
        if isinstance(item, cst.Arg):
            item = item.with_changes(whitespace_after_arg=NO_SPACE)
        out.append(item)
    return out
