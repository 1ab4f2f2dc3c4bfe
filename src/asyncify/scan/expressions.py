"""The expression half of the summariser's walk: names, attribute chains, calls,
comprehensions and walrus bindings, dispatched on node type through ``EXPRESSIONS``.

``ExpressionWalker`` is the base of ``Summariser`` (which adds statements, imports and
definitions); it records references (project names used as values) and, through
``CallRecorder``, call sites. Children are visited in field order, as ``_generic`` would,
so references and bindings come out in source order.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from asyncify.scan.branches import bind_local
from asyncify.scan.calls import STDLIB, CallRecorder, collects_in_thread, consumes_coroutines, is_chain
from asyncify.scan.frames import Frames
from asyncify.scan.receivers import PATH, PATH_ITERATORS, normalise_type
from asyncify.scan.scope import CONFLICT, ModuleScope, Resolver
from asyncify.scan.summary import Reference
from asyncify.scan.typeexpr import defer, element, is_deferred, subscript

_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "type_comment", "kind", "id", "attr", "arg", "name", "names", "module", "level"}
    | {"conversion", "is_async", "simple"}
)
"""Fields that never hold code to scan (names, operators, contexts): skipped for speed."""
_CHILD_FIELDS: Mapping[type, tuple[str, ...]] = MappingProxyType(
    {
        kind: tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
        for kind in vars(ast).values()
        if isinstance(kind, type) and issubclass(kind, ast.AST)
    }
)


class ExpressionWalker:
    """Expressions of the module being summarised (see the module docstring)."""

    scope: ModuleScope
    resolve: Resolver
    frames: Frames
    calls: CallRecorder
    references: list[Reference]

    def _stmts(self, body: list[ast.stmt]) -> None:
        raise NotImplementedError  # the statements' half: ``Summariser``

    def _generic(self, node: ast.AST) -> None:
        """Any node without a handler of its own: its children in field order."""
        for name in _CHILD_FIELDS[type(node)]:
            value = getattr(node, name, None)
            if type(value) is list:
                if value and isinstance(value[0], ast.stmt):
                    self._stmts(value)
                else:
                    for item in value:
                        if isinstance(item, ast.expr):
                            EXPRESSIONS[type(item)](self, item)
                        elif isinstance(item, ast.AST):
                            self._generic(item)
            elif isinstance(value, ast.expr):
                EXPRESSIONS[type(value)](self, value)
            elif isinstance(value, ast.AST):
                self._generic(value)

    def _nothing(self, node: ast.AST) -> None:
        """Nodes that hold no code to scan (constants, ``pass``, lambdas, ``global``)."""

    def _optional_value(self, node: ast.Return | ast.Yield) -> None:
        if node.value is not None:
            EXPRESSIONS[type(node.value)](self, node.value)

    def _bind(self, target: ast.expr, typed: str | None) -> None:
        function = self.frames.function
        kind = type(target)
        if kind is ast.Name:
            assert isinstance(target, ast.Name)
            owner = self.frames.class_body
            if owner is not None:
                # A class attribute (``registry = Registry()``): typed on the class.
                if typed is not None:
                    owner.attributes[target.id] = _merge(owner.attributes.get(target.id), typed)
                return
            if function.is_module:
                instances = self.scope.instances
                if typed is not None and target.id not in self.scope.names:
                    instances[target.id] = _merge(instances.get(target.id), typed)
                elif typed is None and target.id in instances:
                    instances[target.id] = CONFLICT  # ``db = DB()`` then ``db = None``: unknown
                return
            scope = function.scope
            scope.shadowed.add(target.id)
            bind_local(scope, target.id, typed)
        elif kind is ast.Attribute and typed is not None:
            assert isinstance(target, ast.Attribute)
            owner, self_name = function.scope.owner, function.scope.self_name
            if owner is not None and isinstance(target.value, ast.Name) and target.value.id == self_name:
                owner.attributes[target.attr] = _merge(owner.attributes.get(target.attr), typed)
        elif kind is ast.Tuple or kind is ast.List:
            assert isinstance(target, (ast.Tuple, ast.List))
            starred = any(type(element) is ast.Starred for element in target.elts)
            for position, element in enumerate(target.elts):
                self._bind(element, None if typed is None or starred else _item(typed, position))

    def _element_type(self, iterable: ast.expr) -> str | None:
        """What a ``for`` over ``iterable`` binds: ``root.iterdir()`` and friends yield
        Paths, an annotated container its element type, a deferred type a deferred one."""
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr in PATH_ITERATORS
            and self.resolve.type_of(iterable.func.value) == PATH
        ):
            return PATH
        typed = self.resolve.type_of(iterable)
        if typed is None:
            return None
        return defer(typed, "iter") if is_deferred(typed) else element(typed)

    def _exprs(self, nodes: list[ast.expr]) -> None:
        for node in nodes:
            EXPRESSIONS[type(node)](self, node)

    def _optional_exprs(self, nodes: list[ast.expr | None]) -> None:
        for node in nodes:
            if node is not None:
                EXPRESSIONS[type(node)](self, node)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        """Generators first (they bind the names the element uses), then the element.

        A generator expression's first iterable is evaluated where it is written, so an
        ``await`` may replace a call there; everything else in it runs lazily.
        """
        lazy = type(node) is ast.GeneratorExp
        frames = self.frames
        for index, generator in enumerate(node.generators):
            if lazy and index == 0:
                frames.awaitable = frames.outer_awaitable
            EXPRESSIONS[type(generator.iter)](self, generator.iter)
            if lazy and index == 0:
                frames.awaitable = False
            self._bind(generator.target, self._element_type(generator.iter))
            self._exprs(generator.ifs)
        if isinstance(node, ast.DictComp):
            EXPRESSIONS[type(node.key)](self, node.key)
            EXPRESSIONS[type(node.value)](self, node.value)
        else:
            EXPRESSIONS[type(node.elt)](self, node.elt)

    def _generator(self, node: ast.GeneratorExp) -> None:
        with self.frames.in_generator():
            self._comprehension(node)

    def _await(self, node: ast.Await) -> None:
        value = node.value
        if type(value) is ast.Call:
            assert isinstance(value, ast.Call)
            self._call(value, awaited=True)
        else:
            EXPRESSIONS[type(value)](self, value)

    def _named(self, node: ast.NamedExpr) -> None:
        EXPRESSIONS[type(node.value)](self, node.value)
        self._bind(node.target, self.resolve.type_of(node.value))

    def _name(self, node: ast.Name) -> None:
        if type(node.ctx) is ast.Load:
            target = self.resolve.name(node.id)
            if target is not None:
                self._reference(target, node)

    def _attribute(self, node: ast.Attribute) -> None:
        """``a.b.c``: one reference to the whole chain when its head resolves, else to
        ``self.attr`` at its root; anything else at the root (a call, a subscript) is
        scanned as an expression. Every sub-chain of an unresolved chain is unresolved
        too, so the chain is walked once."""
        value = node.value
        innermost = node
        while type(value) is ast.Attribute:
            assert isinstance(value, ast.Attribute)
            innermost = value
            value = value.value
        if type(value) is not ast.Name:
            EXPRESSIONS[type(value)](self, value)
            return
        assert isinstance(value, ast.Name)
        scope = self.frames.function.scope
        is_self = value.id == scope.self_name and scope.owner is not None
        if _capitalised(node.attr):
            # ``UnitOf.X``, ``vol.Optional``: a reference to the chain is never recorded,
            # so only ``self.attr`` below it can be, and only when the head is unresolved.
            if is_self and innermost is not node and self.resolve.name(value.id) is None:
                assert scope.owner is not None
                self._reference(f"{scope.owner.qualname}.{innermost.attr}", innermost)
            return
        if innermost is node and is_self:
            assert scope.owner is not None
            self._reference(f"{scope.owner.qualname}.{node.attr}", node)
            return
        head = self.resolve.name(value.id)
        if head is not None:
            self._reference(_dotted(head, node, value), node)
        elif is_self:
            assert scope.owner is not None
            self._reference(f"{scope.owner.qualname}.{innermost.attr}", innermost)

    def _reference(self, target: str, node: ast.expr) -> None:
        referable = _REFERABLE.get(target)
        if referable is None:
            referable = _referable(target)
        if referable:
            self.references.append(tuple.__new__(Reference, (target, node.lineno, self.frames.function.qualname)))

    def _call(self, node: ast.Call, awaited: bool = False, coroutine: bool = False, lazy: bool = False) -> None:
        """Visit the callee and the arguments, then record the call (``CallRecorder.record``).

        Registered directly as the ``ast.Call`` handler (hence no keyword-only flags)."""
        func = node.func
        target, kind = self.calls.target(func)
        func_type = type(func)
        if func_type is ast.Attribute:
            assert isinstance(func, ast.Attribute)
            if target is None or not is_chain(func.value):
                EXPRESSIONS[type(func.value)](self, func.value)
        elif func_type is not ast.Name:
            EXPRESSIONS[func_type](self, func)
        consumer = consumes_coroutines(func)
        collects = collects_in_thread(node, target)
        for arg in node.args:
            value = arg.value if isinstance(arg, ast.Starred) else arg
            if (consumer or collects) and type(value) is ast.Call:
                assert isinstance(value, ast.Call)
                self._call(value, awaited=False, coroutine=consumer, lazy=not consumer)
            else:
                EXPRESSIONS[type(value)](self, value)
        for keyword in node.keywords:
            EXPRESSIONS[type(keyword.value)](self, keyword.value)
        self.calls.record(node, target, kind, awaited=awaited, coroutine=coroutine, lazy=lazy)


def _dotted(head: str, node: ast.Attribute, root: ast.Name) -> str:
    """The qualified name of the chain ``node`` whose root name resolved to ``head``."""
    attributes: list[str] = []
    current: ast.expr = node
    while current is not root:
        assert isinstance(current, ast.Attribute)
        attributes.append(current.attr)
        current = current.value
    for attribute in reversed(attributes):
        head = normalise_type(head) + "." + attribute
    return head


def _capitalised(name: str) -> bool:
    """A class or constant name (``Path``, ``DOMAIN``, ``_LOGGER``): never a function."""
    return name.isupper() or name[:1].isupper()


_REFERABLE: dict[str, bool] = {}
"""Memo of ``_referable`` per target (a pure function of the string)."""


def _referable(target: str) -> bool:
    """A name used as a value that the analysis may care about: not the standard
    library, not a class or a constant."""
    referable = target.partition(".")[0] not in STDLIB and not _capitalised(target.rpartition(".")[2])
    if len(_REFERABLE) > 200_000:
        _REFERABLE.clear()
    _REFERABLE[target] = referable
    return referable


def _item(typed: str, position: int) -> str | None:
    """The type unpacking gives the element at ``position``."""
    return defer(typed, f"[{position}]") if is_deferred(typed) else subscript(typed, position)


def _merge(old: str | None, new: str | None) -> str:
    if old is None or old == new:
        return new or CONFLICT
    return CONFLICT


Handler = Callable[[Any, Any], None]
"""A node handler: an unbound walker method (the statement table holds ``Summariser``'s)."""


def handlers(base: type[ast.AST], special: dict[type, Handler]) -> dict[type, Handler]:
    """Handlers for every node class derived from ``base``: ``special`` or the generic walk."""
    table: dict[type, Handler] = {
        kind: ExpressionWalker._generic
        for kind in vars(ast).values()
        if isinstance(kind, type) and issubclass(kind, base)
    }
    table.update(special)
    return table


EXPRESSIONS: dict[type, Handler] = handlers(
    ast.expr,
    {
        ast.Call: ExpressionWalker._call,
        ast.Await: ExpressionWalker._await,
        ast.Name: ExpressionWalker._name,
        ast.Attribute: ExpressionWalker._attribute,
        ast.Constant: ExpressionWalker._nothing,
        ast.Lambda: ExpressionWalker._nothing,
        ast.GeneratorExp: ExpressionWalker._generator,
        ast.ListComp: ExpressionWalker._comprehension,
        ast.SetComp: ExpressionWalker._comprehension,
        ast.DictComp: ExpressionWalker._comprehension,
        ast.NamedExpr: ExpressionWalker._named,
        ast.BinOp: lambda self, node: self._exprs([node.left, node.right]),
        ast.BoolOp: lambda self, node: self._exprs(node.values),
        ast.Compare: lambda self, node: self._exprs([node.left, *node.comparators]),
        ast.UnaryOp: lambda self, node: EXPRESSIONS[type(node.operand)](self, node.operand),
        ast.IfExp: lambda self, node: self._exprs([node.test, node.body, node.orelse]),
        ast.Subscript: lambda self, node: self._exprs([node.value, node.slice]),
        ast.Starred: lambda self, node: EXPRESSIONS[type(node.value)](self, node.value),
        ast.Tuple: lambda self, node: self._exprs(node.elts),
        ast.List: lambda self, node: self._exprs(node.elts),
        ast.Set: lambda self, node: self._exprs(node.elts),
        ast.Dict: lambda self, node: self._optional_exprs([*node.keys, *node.values]),
        ast.JoinedStr: lambda self, node: self._exprs(node.values),
        ast.FormattedValue: lambda self, node: self._optional_exprs([node.value, node.format_spec]),
        ast.Slice: lambda self, node: self._optional_exprs([node.lower, node.upper, node.step]),
        ast.Yield: ExpressionWalker._optional_value,
        ast.YieldFrom: lambda self, node: EXPRESSIONS[type(node.value)](self, node.value),
    },
)
"""Expression class -> handler; children are visited in field order, as ``_generic`` would."""
