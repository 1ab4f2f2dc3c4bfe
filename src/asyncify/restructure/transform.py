"""Phase 1 in libcst: one file's twins, ``async def``s, awaited calls, imports, exports.

One transformer pass over the file, with ``PositionProvider`` only. Calls are found by
their span, defs by the qualname the scanner gives them (``C.m``, ``f.<locals>.g``).
A twin is built from the *original* def (so the original keeps its calls as they were)
by a second, small pass over that subtree that applies the twin's own call edits; it
goes right after the original, with the blank lines of its level. ``await`` is written
only where the innermost function is async (or is being made async, or is the twin) and
no lambda, generator expression, default, decorator or class body is in between; every
planned operation must be found and applied, or the file fails as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from asyncify.codemods.context import awaited, enclosing_scope, held_lock
from asyncify.codemods.line_length import wrap_long_lines
from asyncify.parsing import compile_module
from asyncify.rewrite import TOO_DEEP, first_line, module_code, parse_for_rewrite
from asyncify.scan.scope import ModuleScope
from asyncify.strict import strict_mode
from asyncify.structural.model import CallEdit, FileOps, ImportEdit, SpanKey

_Node = TypeVar("_Node", bound=cst.CSTNode)


@dataclass(frozen=True, slots=True)
class Transformed:
    """The new text, or ``None`` with the reason the file cannot be rewritten."""

    text: str | None
    reason: str | None = None


def await_problem(
    ancestors: Sequence[cst.CSTNode], node: cst.CSTNode, is_async: Callable[[cst.FunctionDef], bool]
) -> str | None:
    """Why ``await`` cannot stand where ``node`` is (``ancestors`` from the top down)."""
    path = (*ancestors, node)
    for i in range(len(path) - 2, -1, -1):
        parent = path[i]
        if isinstance(parent, cst.FunctionDef) and path[i + 1] is parent.body:
            if not is_async(parent):
                return "await not allowed in a sync function"
            where = enclosing_scope(path[i + 1 : -1], node, inside_block=True)
            return held_lock(ancestors, node) if where is None else f"await not allowed {where}"
    return "await not allowed at module level"


def _rename(call: cst.Call, name: str | None) -> cst.Call | None:
    if name is None:
        return call
    if isinstance(call.func, cst.Name):
        return call.with_changes(func=call.func.with_changes(value=name))
    if isinstance(call.func, cst.Attribute):
        return call.with_changes(func=call.func.with_changes(attr=cst.Name(name)))
    return None


class _Calls(cst.CSTTransformer):
    """Awaits (and renames) the calls at the planned spans below where it is run."""

    def __init__(self, edits: dict[SpanKey, CallEdit], position: Callable[[cst.CSTNode], SpanKey]) -> None:
        super().__init__()
        self.edits = edits
        self.position = position
        self.stack: list[cst.CSTNode] = []
        self.done: set[SpanKey] = set()
        self.problems: list[str] = []

    def is_async(self, node: cst.FunctionDef) -> bool:
        return node.asynchronous is not None

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return super().on_visit(node)

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        self.stack.pop()
        return super().on_leave(original_node, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        key = self.position(original_node)
        edit = self.edits.get(key)
        if edit is None:
            return updated_node
        problem = await_problem(self.stack, original_node, self.is_async)
        renamed = _rename(updated_node, edit.rename)
        if problem is not None or renamed is None:
            self.problems.append(f"line {key[0]}: {problem or 'the callee cannot be renamed'}")
            return updated_node
        self.done.add(key)
        result: cst.BaseExpression = awaited(
            updated_node, renamed, original_node, self.stack[-1] if self.stack else None
        )
        return result


class _TwinCalls(_Calls):
    """The calls of a twin copy: its root def counts as async."""

    def __init__(
        self, root: cst.FunctionDef, edits: dict[SpanKey, CallEdit], position: Callable[[cst.CSTNode], SpanKey]
    ) -> None:
        super().__init__(edits, position)
        self.root = root

    def is_async(self, node: cst.FunctionDef) -> bool:
        return node is self.root or node.asynchronous is not None


class _Structural(_Calls):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, ops: FileOps) -> None:
        super().__init__(ops.calls, self._position)
        self.ops = ops
        self.scopes: list[tuple[str, str]] = []
        self.names: dict[int, str] = {}
        self.defs_done: set[str] = set()
        self.twins_done: set[str] = set()
        self.imports_done: set[int] = set()
        self.import_lines: list[cst.ImportFrom] = []
        self.exports_done: set[int] = set()
        self.scope = ModuleScope(ops.module, ops.module if ops.is_package else ops.module.rpartition(".")[0])

    def _position(self, node: cst.CSTNode) -> SpanKey:
        pos = self.get_metadata(PositionProvider, node)
        return (pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)

    def is_async(self, node: cst.FunctionDef) -> bool:
        return node.asynchronous is not None or self.names.get(id(node)) in self.ops.make_async

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            kind, parent = self.scopes[-1] if self.scopes else ("module", "")
            name = node.name.value
            local = name if kind == "module" else f"{parent}.{name}" if kind == "class" else f"{parent}.<locals>.{name}"
            self.scopes.append(("class" if isinstance(node, cst.ClassDef) else "function", local))
            self.names[id(node)] = local
        return super().on_visit(node)

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, (cst.FunctionDef, cst.ClassDef)):
            self.scopes.pop()
        return result

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        qualname = self.names[id(original_node)]
        if qualname in self.ops.make_async:
            updated_node = updated_node.with_changes(asynchronous=cst.Asynchronous())
            if qualname in self.ops.renamed:
                updated_node = updated_node.with_changes(name=cst.Name(self.ops.renamed[qualname]))
            self.defs_done.add(qualname)
        twin = self.ops.twins.get(qualname)
        if twin is None:
            return updated_node
        start, _, end, _ = self._position(original_node)
        inner = [k for k in self.ops.calls if start <= k[0] <= end]
        nested = [q for q in (*self.ops.make_async, *self.ops.twins) if q.startswith(qualname + ".")]
        if inner or nested:
            self.problems.append(f"line {start}: `{qualname}` gets a twin but also holds other edits")
            return updated_node
        calls = _TwinCalls(original_node, twin.calls, self._position)
        copy = original_node.visit(calls)
        self.problems += calls.problems
        missing = set(twin.calls) - calls.done
        if missing or not isinstance(copy, cst.FunctionDef):
            self.problems += [f"line {k[0]}: call not found in the twin of `{qualname}`" for k in sorted(missing)]
            return updated_node
        blank = 2 if len(self.scopes) == 1 else 1
        copy = copy.with_changes(
            name=cst.Name(twin.name),
            asynchronous=cst.Asynchronous(),
            leading_lines=[cst.EmptyLine(indent=False)] * blank,
        )
        self.twins_done.add(qualname)
        return cst.FlattenSentinel([updated_node, copy])

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        name = get_full_name_for_node(updated_node.module) if updated_node.module is not None else None
        source = self.scope.resolve_relative(len(updated_node.relative), name)
        aliases = list(updated_node.names)
        for number, edit in enumerate(self.ops.imports):
            if edit.source != source:
                continue
            bound = {
                (get_full_name_for_node(a.name), a.evaluated_alias or get_full_name_for_node(a.name)) for a in aliases
            }
            if (edit.name, edit.local) not in bound:
                continue
            self.imports_done.add(number)
            if (edit.twin_name, edit.twin_local) in bound:
                continue
            if edit.replace:
                aliases = [_renamed_alias(a, edit) for a in aliases]
                continue
            at = next(
                i
                for i, a in enumerate(aliases)
                if (get_full_name_for_node(a.name), a.evaluated_alias or get_full_name_for_node(a.name))
                == (edit.name, edit.local)
            )
            if edit.twin_local != edit.twin_name:
                # isort and ruff keep each ``as`` import on its own line: so does the twin's.
                asname = cst.AsName(cst.Name(edit.twin_local))
                alone = updated_node.with_changes(names=[cst.ImportAlias(cst.Name(edit.twin_name), asname=asname)])
                self.import_lines.append(alone.with_changes(lpar=None, rpar=None))
                continue
            added = cst.ImportAlias(cst.Name(edit.twin_name))
            aliases = _insert_after(aliases, at, added, lambda a, c: a.with_changes(comma=c))
        return updated_node.with_changes(names=aliases)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        """The twins' ``from m import twin as local`` lines, after the import they join."""
        if not self.import_lines:
            return updated_node
        lines = [cst.SimpleStatementLine([node]) for node in self.import_lines]
        self.import_lines = []
        return cst.FlattenSentinel([updated_node, *lines])

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        targets = updated_node.targets
        if len(self.scopes) or len(targets) != 1 or not _is_all(targets[0].target):
            return updated_node
        return updated_node.with_changes(value=self._exports(updated_node.value))

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node: cst.AugAssign) -> cst.AugAssign:
        if len(self.scopes) or not _is_all(updated_node.target):
            return updated_node
        return updated_node.with_changes(value=self._exports(updated_node.value))

    def _exports(self, value: cst.BaseExpression) -> cst.BaseExpression:
        if not isinstance(value, (cst.List, cst.Tuple)):
            return value
        elements = list(value.elements)
        for number, edit in enumerate(self.ops.exports):
            names = [_string(e) for e in elements]
            if edit.name not in names:
                continue
            self.exports_done.add(number)
            if edit.twin in names:
                continue
            at = names.index(edit.name)
            if edit.replace:
                elements[at] = elements[at].with_changes(value=_string_like(elements[at].value, edit.twin))
                continue
            original = elements[at].value
            quote = original.quote if isinstance(original, cst.SimpleString) else '"'
            added_element: cst.BaseElement = cst.Element(cst.SimpleString(f"{quote}{edit.twin}{quote}"))
            elements = _insert_after(elements, at, added_element, lambda e, c: e.with_changes(comma=c))
        return value.with_changes(elements=elements)

    def missing(self) -> list[str]:
        found = [f"`{q}` not found to make async" for q in self.ops.make_async if q not in self.defs_done]
        found += [f"`{q}` not found to add its twin" for q in self.ops.twins if q not in self.twins_done]
        found += [f"line {k[0]}: call not found" for k in self.ops.calls if k not in self.done]
        found += [
            f"no `from {e.source} import {e.name}` to add `{e.twin_name}` to"
            for n, e in enumerate(self.ops.imports)
            if n not in self.imports_done
        ]
        found += [
            f"`{e.name}` not found in `__all__`" for n, e in enumerate(self.ops.exports) if n not in self.exports_done
        ]
        return found


def _renamed_alias(alias: cst.ImportAlias, edit: ImportEdit) -> cst.ImportAlias:
    """``name [as local]`` of a renamed function, written with the new name."""
    local = alias.evaluated_alias or get_full_name_for_node(alias.name)
    if (get_full_name_for_node(alias.name), local) != (edit.name, edit.local):
        return alias
    asname = cst.AsName(cst.Name(edit.twin_local)) if edit.twin_local != edit.twin_name else None
    return alias.with_changes(name=cst.Name(edit.twin_name), asname=asname)


def _string_like(original: cst.BaseExpression, text: str) -> cst.SimpleString:
    quote = original.quote if isinstance(original, cst.SimpleString) else '"'
    return cst.SimpleString(f"{quote}{text}{quote}")


def _is_all(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Name) and target.value == "__all__"


def _string(element: cst.BaseElement) -> str | None:
    value = element.value
    if isinstance(value, cst.SimpleString):
        evaluated = value.evaluated_value
        return evaluated if isinstance(evaluated, str) else None
    return None


def _insert_after(
    items: list[_Node], index: int, new: _Node, with_comma: Callable[[_Node, cst.Comma], _Node]
) -> list[_Node]:
    """``items`` with ``new`` after ``items[index]``, separators laid out like the others."""
    item = items[index]
    own = getattr(item, "comma", None)
    previous = getattr(items[index - 1], "comma", None) if index > 0 else None
    between = previous if isinstance(previous, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if not isinstance(own, cst.Comma):
        pair = [with_comma(item, between), new]
    elif index + 1 < len(items):
        pair = [item, with_comma(new, own)]
    else:
        pair = [with_comma(item, between), with_comma(new, own)]
    return [*items[:index], *pair, *items[index + 1 :]]


def transform_module(
    text: str, ops: FileOps, filename: str = "<unknown>", *, line_length: int | None = None
) -> Transformed:
    """Apply ``ops`` to ``text``; never raises (a failure is a reason). With
    ``line_length``, new lines longer than that are split the way black would."""
    try:
        module = parse_for_rewrite(text)
    except RecursionError:
        return Transformed(None, TOO_DEEP)
    except Exception as exc:  # libcst raises several error types for bad input
        return Transformed(None, f"cannot parse: {first_line(exc)}")
    try:
        wrapper = MetadataWrapper(module)
        visitor = _Structural(ops)
        new = wrapper.visit(visitor)
    except RecursionError:  # a limit of the input, not a bug: refused in strict mode too
        return Transformed(None, TOO_DEEP)
    except Exception as exc:  # a transform bug must not take the whole run down
        if strict_mode():
            raise
        return Transformed(None, f"internal error: {first_line(exc)}")
    problems = visitor.problems + visitor.missing()
    if problems:
        return Transformed(None, "; ".join(dict.fromkeys(problems)))
    code = module_code(new, text)
    if line_length is not None:
        split = wrap_long_lines(new, text, line_length, code)
        wrapped = code if split is new else module_code(split, text)
        if wrapped != code and _compile_problem(wrapped, filename) is None:
            return Transformed(wrapped)
    problem = _compile_problem(code, filename)
    return Transformed(None, problem) if problem else Transformed(code)


def _compile_problem(code: str, filename: str) -> str | None:
    try:
        cst.parse_module(code)
        compile_module(code, filename)
    except (SyntaxError, ValueError, cst.ParserSyntaxError) as exc:
        return f"result does not compile: {first_line(exc)}"
    return None
