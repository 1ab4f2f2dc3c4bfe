"""One pass over a stdlib ``ast`` tree that produces a ``ModuleSummary``.

"Inside async" is a property of the innermost function scope, not a flag toggled on
enter and exit: every function (including nested ones and the module body) gets its own
record, and lambdas are skipped because their bodies do not run where they are written.
The walk is one recursive pass in source order; what it knows about its position lives
in ``Frames`` (changed only by ``with`` blocks), call sites are built by ``CallRecorder``,
``None`` guards and loop checks are read by ``guards``, and function and class headers by
``definitions``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from types import MappingProxyType

from asyncify.scan.calls import STDLIB, CallRecorder, collects_in_thread, consumes_coroutines, is_chain
from asyncify.scan.context import ScanContext
from asyncify.scan.definitions import FUNCTION_NODES, class_scope, decorator_name, function_record
from asyncify.scan.frames import FunctionRecord, Frames
from asyncify.scan.guards import catches_runtime_error, checks_running_loop, exits_early, guard_params, is_type_checking
from asyncify.scan.positions import Positions
from asyncify.scan.receivers import BACKEND_MODULES, PATH, PATH_ITERATORS, normalise_type
from asyncify.scan.scope import CONFLICT, FunctionScope, ModuleScope, Resolver
from asyncify.scan.summary import (
    MODULE_BODY,
    CallKind,
    ClassSummary,
    FunctionSummary,
    ModuleSummary,
    Reference,
    Span,
)
from asyncify.scan.suppression import parse_suppressions

__all__ = ["ScanContext", "Summariser", "summarise_module"]

_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "id", "attr", "arg", "name", "names", "module", "level", "conversion", "is_async", "simple"})
"""Fields that never hold code to scan (names, operators, contexts): skipped for speed."""
_CHILD_FIELDS: Mapping[type, tuple[str, ...]] = MappingProxyType(
    {
        kind: tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
        for kind in vars(ast).values()
        if isinstance(kind, type) and issubclass(kind, ast.AST)
    }
)


class Summariser:
    """Builds the summary of one module; use ``summarise_module``."""

    def __init__(self, module: str, is_package: bool, path: str, text: str, context: ScanContext) -> None:
        package = module if is_package else module.rpartition(".")[0]
        self.scope = ModuleScope(module=module, package=package)
        self.resolve = Resolver(self.scope, context.builtins)
        self.context = context
        self.path = path
        self.is_package = is_package
        self.positions = Positions(text)
        self.functions: list[FunctionSummary] = []
        self.classes: list[ClassSummary] = []
        self.references: list[Reference] = []
        self.backends: set[str] = set()
        self.exports: tuple[str, ...] | None = None
        self.frames = Frames(FunctionRecord(MODULE_BODY, False, Span(1, 1, 1, 1), FunctionScope()), self.resolve)
        self.calls = CallRecorder(context, self.frames, self.positions)
        self._import_bindings: dict[int, list[tuple[str, str]]] = {}
        self._mentions_running_loop = "get_running_loop" in text
        """Without the name in the text, no ``try`` can test for a running loop."""

    # ----- module level -------------------------------------------------------------

    def summarise(self, tree: ast.Module, text: str) -> ModuleSummary:
        self._prepass(tree.body, self.scope.module)
        self._stmts(tree.body)
        self.functions.append(self.frames.function.freeze())
        return ModuleSummary(
            path=self.path,
            module=self.scope.module,
            is_package=self.is_package,
            imports=self.scope.names,
            functions=tuple(self.functions),
            classes=tuple(self.classes),
            instances={k: v for k, v in self.scope.instances.items() if v},
            references=tuple(self.references),
            suppressions=parse_suppressions(text),
            exports=self.exports,
            backends=frozenset(self.backends),
        )

    def _prepass(self, body: Iterable[ast.stmt], prefix: str) -> None:
        """Module-level imports and definitions, so functions can call what is defined later."""
        names = self.scope.names
        for node in body:
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                assert isinstance(node, FUNCTION_NODES)
                names[node.name] = f"{prefix}.{node.name}"
                if node.returns is not None:
                    returned = self.resolve.annotation(node.returns)
                    if returned is not None:
                        self.scope.returns[f"{prefix}.{node.name}"] = returned
            elif kind is ast.ClassDef:
                assert isinstance(node, ast.ClassDef)
                names[node.name] = f"{prefix}.{node.name}"
            elif kind is ast.Import or kind is ast.ImportFrom:
                assert isinstance(node, (ast.Import, ast.ImportFrom))
                self._import(node)
            elif kind is ast.If or kind is ast.Try:
                assert isinstance(node, (ast.If, ast.Try))
                self._prepass(node.body, prefix)
                self._prepass(node.orelse, prefix)
                for handler in getattr(node, "handlers", ()):
                    self._prepass(handler.body, prefix)
            elif kind is ast.Assign:
                assert isinstance(node, ast.Assign)
                self._exports(node)

    def _exports(self, node: ast.Assign) -> None:
        """``__all__ = [...]``: the names a star import takes."""
        if len(node.targets) != 1:
            return
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "__all__":
            if isinstance(node.value, (ast.List, ast.Tuple)):
                self.exports = tuple(
                    e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                )

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Bind the imported names where the import runs: the function's locals, or the module's."""
        function = self.frames.function
        names = self.scope.names if function.is_module else function.scope.names
        bindings = self._import_bindings.get(id(node))
        if bindings is None:
            bindings = self._bindings(node)
            self._import_bindings[id(node)] = bindings
        names.update(bindings)

    def _bindings(self, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
        """Name -> qualified name for each alias of an import (computed once per statement:
        module-level imports are bound by the prepass and again where they run)."""
        if type(node) is ast.Import:
            bindings = []
            for alias in node.names:
                top = alias.name.partition(".")[0]
                if top in BACKEND_MODULES:
                    self.backends.add(top)
                bindings.append((alias.asname, alias.name) if alias.asname else (top, top))
            return bindings
        assert isinstance(node, ast.ImportFrom)
        source = self.scope.resolve_relative(node.level, node.module)
        if source is None:
            return []
        top = source.partition(".")[0]
        if top in BACKEND_MODULES:
            self.backends.add(top)
        return [(alias.asname or alias.name, f"{source}.{alias.name}") for alias in node.names if alias.name != "*"]

    # ----- statements -----------------------------------------------------------------

    def _stmts(self, body: list[ast.stmt]) -> None:
        frames = self.frames
        saved = frames.guards
        for node in body:
            _STATEMENTS[type(node)](self, node)
        frames.guards = saved

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
                            _EXPRESSIONS[type(item)](self, item)
                        elif isinstance(item, ast.AST):
                            self._generic(item)
            elif isinstance(value, ast.expr):
                _EXPRESSIONS[type(value)](self, value)
            elif isinstance(value, ast.AST):
                self._generic(value)

    def _nothing(self, node: ast.AST) -> None:
        """Nodes that hold no code to scan (constants, ``pass``, lambdas, ``global``)."""

    def _local_name(self, name: str) -> str:
        """The qualname of a nested def or class; a def inside a function is also a local name."""
        local = self.frames.local_name(name)
        function = self.frames.function
        if self.frames.class_body is None and not function.is_module:
            function.scope.names[name] = f"{self.scope.module}.{local}"
        return local

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        decorators = tuple(decorator_name(d, self.resolve) for d in node.decorator_list)
        header = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        if header:
            with self.frames.off_loop():
                self._exprs(header)
        function = function_record(node, self._local_name(node.name), decorators, self.frames, self.positions)
        with self.frames.entering(function):
            self._stmts(node.body)
        self.functions.append(function.freeze())

    def _class(self, node: ast.ClassDef) -> None:
        header = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
        if header:
            with self.frames.off_loop():
                self._exprs(header)
        local = self._local_name(node.name)
        owner = class_scope(node, local, self.scope, self.resolve)
        with self.frames.in_class(owner):
            self._stmts(node.body)
        attributes = {k: v for k, v in owner.attributes.items() if v}
        self.classes.append(ClassSummary(local, owner.bases, attributes, self.positions.span(node)))

    def _if(self, node: ast.If) -> None:
        """The body runs under the test's ``None`` guards; after ``if x is None: return``
        the rest of the enclosing block does (``_stmts`` restores the guards at its end)."""
        frames = self.frames
        if is_type_checking(node.test, self.resolve):
            self._stmts(node.orelse)
        else:
            _EXPRESSIONS[type(node.test)](self, node.test)
            guards = guard_params(node.test, frames.function.param_names, negated=False)
            if guards:
                with frames.guarded(guards):
                    self._stmts(node.body)
            else:
                self._stmts(node.body)
            self._stmts(node.orelse)
        if exits_early(node):
            frames.guards = frames.guards | guard_params(node.test, frames.function.param_names, negated=True)

    def _try(self, node: ast.Try) -> None:
        """A ``try: get_running_loop() except RuntimeError:`` handler runs only off the loop."""
        checks_loop = self._mentions_running_loop and checks_running_loop(node.body, self.resolve)
        if checks_loop:
            with self.frames.checking_loop():
                self._stmts(node.body)
        else:
            self._stmts(node.body)
        for handler in node.handlers:
            if checks_loop and catches_runtime_error(handler):
                continue
            if handler.type is not None:
                _EXPRESSIONS[type(handler.type)](self, handler.type)
            self._stmts(handler.body)
        self._stmts(node.orelse)
        self._stmts(node.finalbody)

    def _while(self, node: ast.While) -> None:
        _EXPRESSIONS[type(node.test)](self, node.test)
        self._stmts(node.body)
        self._stmts(node.orelse)

    def _expression_statement(self, node: ast.Expr) -> None:
        _EXPRESSIONS[type(node.value)](self, node.value)

    def _optional_value(self, node: ast.Return | ast.Yield) -> None:
        if node.value is not None:
            _EXPRESSIONS[type(node.value)](self, node.value)

    def _aug_assign(self, node: ast.AugAssign) -> None:
        _EXPRESSIONS[type(node.target)](self, node.target)
        _EXPRESSIONS[type(node.value)](self, node.value)

    def _raise(self, node: ast.Raise) -> None:
        for part in (node.exc, node.cause):
            if part is not None:
                _EXPRESSIONS[type(part)](self, part)

    def _assert(self, node: ast.Assert) -> None:
        for part in (node.test, node.msg):
            if part is not None:
                _EXPRESSIONS[type(part)](self, part)

    def _delete(self, node: ast.Delete) -> None:
        self._exprs(node.targets)

    def _bind(self, target: ast.expr, typed: str | None) -> None:
        function = self.frames.function
        kind = type(target)
        if kind is ast.Name:
            assert isinstance(target, ast.Name)
            if function.is_module:
                if typed is not None and target.id not in self.scope.names:
                    self.scope.instances[target.id] = _merge(self.scope.instances.get(target.id), typed)
                return
            scope = function.scope
            scope.shadowed.add(target.id)
            scope.types[target.id] = _merge(scope.types.get(target.id), typed) if typed else CONFLICT
        elif kind is ast.Attribute and typed is not None:
            assert isinstance(target, ast.Attribute)
            owner, self_name = function.scope.owner, function.scope.self_name
            if owner is not None and isinstance(target.value, ast.Name) and target.value.id == self_name:
                owner.attributes[target.attr] = _merge(owner.attributes.get(target.attr), typed)
        elif kind is ast.Tuple or kind is ast.List:
            assert isinstance(target, (ast.Tuple, ast.List))
            for element in target.elts:
                self._bind(element, None)

    def _assign(self, node: ast.Assign) -> None:
        value = node.value
        _EXPRESSIONS[type(value)](self, value)
        typed = self.resolve.type_of(value)
        for target in node.targets:
            self._bind(target, typed)
            if type(target) is not ast.Name:
                _EXPRESSIONS[type(target)](self, target)

    def _ann_assign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            _EXPRESSIONS[type(node.value)](self, node.value)
        typed = self.resolve.annotation(node.annotation)
        if typed is None and node.value is not None:
            typed = self.resolve.type_of(node.value)
        self._bind(node.target, typed)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        if isinstance(node, ast.AsyncFor) and isinstance(node.iter, ast.Call):
            self._call(node.iter, awaited=True)
        else:
            _EXPRESSIONS[type(node.iter)](self, node.iter)
        self._bind(node.target, self._element_type(node.iter))
        self._stmts(node.body)
        self._stmts(node.orelse)

    def _element_type(self, iterable: ast.expr) -> str | None:
        """``root.iterdir()`` and friends yield Paths."""
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
            if iterable.func.attr in PATH_ITERATORS and self.resolve.type_of(iterable.func.value) == PATH:
                return PATH
        return None

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        """``with requests.Session() as s``: the target has the context manager's type."""
        for item in node.items:
            _EXPRESSIONS[type(item.context_expr)](self, item.context_expr)
            if item.optional_vars is not None:
                self._bind(item.optional_vars, self.resolve.type_of(item.context_expr))
        self._stmts(node.body)

    # ----- expressions ----------------------------------------------------------------

    def _exprs(self, nodes: list[ast.expr]) -> None:
        for node in nodes:
            _EXPRESSIONS[type(node)](self, node)

    def _optional_exprs(self, nodes: list[ast.expr | None]) -> None:
        for node in nodes:
            if node is not None:
                _EXPRESSIONS[type(node)](self, node)

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
            _EXPRESSIONS[type(generator.iter)](self, generator.iter)
            if lazy and index == 0:
                frames.awaitable = False
            self._bind(generator.target, self._element_type(generator.iter))
            self._exprs(generator.ifs)
        if isinstance(node, ast.DictComp):
            _EXPRESSIONS[type(node.key)](self, node.key)
            _EXPRESSIONS[type(node.value)](self, node.value)
        else:
            _EXPRESSIONS[type(node.elt)](self, node.elt)

    def _generator(self, node: ast.GeneratorExp) -> None:
        with self.frames.in_generator():
            self._comprehension(node)

    def _await(self, node: ast.Await) -> None:
        value = node.value
        if type(value) is ast.Call:
            assert isinstance(value, ast.Call)
            self._call(value, awaited=True)
        else:
            _EXPRESSIONS[type(value)](self, value)

    def _named(self, node: ast.NamedExpr) -> None:
        _EXPRESSIONS[type(node.value)](self, node.value)
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
            _EXPRESSIONS[type(value)](self, value)
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
                _EXPRESSIONS[type(func.value)](self, func.value)
        elif func_type is not ast.Name:
            _EXPRESSIONS[func_type](self, func)
        consumer = consumes_coroutines(func)
        collects = collects_in_thread(node, target)
        for arg in node.args:
            value = arg.value if isinstance(arg, ast.Starred) else arg
            if (consumer or collects) and type(value) is ast.Call:
                assert isinstance(value, ast.Call)
                self._call(value, awaited=False, coroutine=consumer, lazy=not consumer)
            else:
                _EXPRESSIONS[type(value)](self, value)
        for keyword in node.keywords:
            _EXPRESSIONS[type(keyword.value)](self, keyword.value)
        self.calls.record(node, target, kind, awaited=awaited, coroutine=coroutine, lazy=lazy)


def summarise_module(tree: ast.Module, text: str, module: str, is_package: bool, path: str, context: ScanContext) -> ModuleSummary:
    """The summary of a parsed module (see ``Summariser``)."""
    return Summariser(module, is_package, path, text, context).summarise(tree, text)


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


def _merge(old: str | None, new: str | None) -> str:
    if old is None or old == new:
        return new or CONFLICT
    return CONFLICT


_Handler = Callable[[Summariser, Any], None]


def _handlers(base: type[ast.AST], special: dict[type, _Handler]) -> dict[type, _Handler]:
    """Handlers for every node class derived from ``base``: ``special`` or the generic walk."""
    table: dict[type, _Handler] = {
        kind: Summariser._generic for kind in vars(ast).values() if isinstance(kind, type) and issubclass(kind, base)
    }
    table.update(special)
    return table


_STATEMENTS: dict[type, _Handler] = _handlers(
    ast.stmt,
    {
        ast.FunctionDef: Summariser._function,
        ast.AsyncFunctionDef: Summariser._function,
        ast.ClassDef: Summariser._class,
        ast.If: Summariser._if,
        ast.Try: Summariser._try,
        ast.While: Summariser._while,
        ast.Assign: Summariser._assign,
        ast.AnnAssign: Summariser._ann_assign,
        ast.AugAssign: Summariser._aug_assign,
        ast.For: Summariser._for,
        ast.AsyncFor: Summariser._for,
        ast.With: Summariser._with,
        ast.AsyncWith: Summariser._with,
        ast.Import: Summariser._import,
        ast.ImportFrom: Summariser._import,
        ast.Expr: Summariser._expression_statement,
        ast.Return: Summariser._optional_value,
        ast.Raise: Summariser._raise,
        ast.Assert: Summariser._assert,
        ast.Delete: Summariser._delete,
        ast.Pass: Summariser._nothing,
        ast.Break: Summariser._nothing,
        ast.Continue: Summariser._nothing,
        ast.Global: Summariser._nothing,
        ast.Nonlocal: Summariser._nothing,
    },
)
"""Statement class -> handler: one dictionary lookup per statement, no isinstance chain."""

_EXPRESSIONS: dict[type, _Handler] = _handlers(
    ast.expr,
    {
        ast.Call: Summariser._call,
        ast.Await: Summariser._await,
        ast.Name: Summariser._name,
        ast.Attribute: Summariser._attribute,
        ast.Constant: Summariser._nothing,
        ast.Lambda: Summariser._nothing,
        ast.GeneratorExp: Summariser._generator,
        ast.ListComp: Summariser._comprehension,
        ast.SetComp: Summariser._comprehension,
        ast.DictComp: Summariser._comprehension,
        ast.NamedExpr: Summariser._named,
        ast.BinOp: lambda self, node: self._exprs([node.left, node.right]),
        ast.BoolOp: lambda self, node: self._exprs(node.values),
        ast.Compare: lambda self, node: self._exprs([node.left, *node.comparators]),
        ast.UnaryOp: lambda self, node: _EXPRESSIONS[type(node.operand)](self, node.operand),
        ast.IfExp: lambda self, node: self._exprs([node.test, node.body, node.orelse]),
        ast.Subscript: lambda self, node: self._exprs([node.value, node.slice]),
        ast.Starred: lambda self, node: _EXPRESSIONS[type(node.value)](self, node.value),
        ast.Tuple: lambda self, node: self._exprs(node.elts),
        ast.List: lambda self, node: self._exprs(node.elts),
        ast.Set: lambda self, node: self._exprs(node.elts),
        ast.Dict: lambda self, node: self._optional_exprs([*node.keys, *node.values]),
        ast.JoinedStr: lambda self, node: self._exprs(node.values),
        ast.FormattedValue: lambda self, node: self._optional_exprs([node.value, node.format_spec]),
        ast.Slice: lambda self, node: self._optional_exprs([node.lower, node.upper, node.step]),
        ast.Yield: Summariser._optional_value,
        ast.YieldFrom: lambda self, node: _EXPRESSIONS[type(node.value)](self, node.value),
    },
)
"""Expression class -> handler; children are visited in field order, as ``_generic`` would."""
