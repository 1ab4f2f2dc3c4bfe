"""Split a call a rewrite made longer over lines, the way black lays out a call.

``patch("app.loader.EvalSetLoader.get_slice_scripts_async", new_callable=AsyncMock,
return_value=[...])`` outgrows the project's line length where its sync original fit.
The outermost call on such a line that holds a rewritten node is opened: its arguments
go on one indented line of their own when they fit there ("hugging"), else one per line
with a trailing comma; the closing bracket returns to the statement's indentation. Lines
the file already had are never touched (``codemods.line_length`` does the same for the
offload codemods, whose grown call it finds itself).
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

INDENT = "    "


def split_grown_calls(module: cst.Module, original: str, limit: int, grown: Collection[cst.CSTNode]) -> cst.Module:
    """``module`` with each new over-long line's outermost call around a ``grown`` node split."""
    lines = module.code.splitlines()
    known = set(original.splitlines())
    long = {n for n, line in enumerate(lines, 1) if len(line) > limit and line not in known}
    if not long or not grown:
        return module
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    wanted = {id(node) for node in grown}
    chosen: dict[cst.Call, cst.Call] = {}
    taken: set[int] = set()

    class _Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            where = positions[node]
            line = where.start.line
            if line not in long or line in taken or where.end.line != line or not node.args:
                return
            if not _holds(node, wanted):
                return
            taken.add(line)
            text = lines[line - 1]
            base = len(text) - len(text.lstrip())
            chosen[node] = _split(node, base, limit, len(text) - where.end.column)

    module.visit(_Finder())
    if not chosen:
        return module
    result = module.visit(_Swap(chosen))
    return result if isinstance(result, cst.Module) else module


class _Swap(cst.CSTTransformer):
    def __init__(self, chosen: dict[cst.Call, cst.Call]) -> None:
        super().__init__()
        self.chosen = chosen

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        return self.chosen.get(original_node, updated_node)


def _holds(node: cst.CSTNode, wanted: set[int]) -> bool:
    found = False

    class _Search(cst.CSTVisitor):
        def on_visit(self, inner: cst.CSTNode) -> bool:
            nonlocal found
            found = found or id(inner) in wanted
            return not found

    node.visit(_Search())
    return found


def _split(call: cst.Call, base: int, limit: int, rest: int) -> cst.Call:
    """Hug the arguments on one line when it fits in ``limit``, else one per line."""
    render = cst.Module([]).code_for_node
    args = [a.with_changes(whitespace_after_arg=cst.SimpleWhitespace("")) for a in call.args]
    args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    hugged = ", ".join(render(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in args)
    if base + len(INDENT) + len(hugged) <= limit and base + 1 + rest <= limit:
        args = [a.with_changes(comma=_comma(cst.SimpleWhitespace(" "))) for a in args[:-1]] + [args[-1]]
        args[-1] = args[-1].with_changes(whitespace_after_arg=_break(0))
        return call.with_changes(whitespace_before_args=_break(1), args=args)
    last = args[-1].with_changes(comma=_comma(_break(0)))
    args = [*(a.with_changes(comma=_comma(_break(1))) for a in args[:-1]), last]
    return call.with_changes(whitespace_before_args=_break(1), args=args)


def _comma(after: cst.BaseParenthesizableWhitespace) -> cst.Comma:
    return cst.Comma(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=after)


def _break(depth: int) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), empty_lines=[], indent=True, last_line=cst.SimpleWhitespace(INDENT * depth)
    )
