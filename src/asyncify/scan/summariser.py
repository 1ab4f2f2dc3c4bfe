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
from types import MappingProxyType

from asyncify.scan.calls import STDLIB, CallRecorder, collects_in_thread, consumes_coroutines, is_chain
from asyncify.scan.context import ScanContext
from asyncify.scan.definitions import FUNCTION_NODES, class_scope, decorator_name, function_record
from asyncify.scan.frames import FunctionRecord, Frames
from asyncify.scan.guards import catches_runtime_error, checks_running_loop, exits_early, guard_params, is_type_checking
from asyncify.scan.positions import Positions
from asyncify.scan.receivers import BACKEND_MODULES, PATH, PATH_ITERATORS
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
        self._stmt_handlers: dict[type, Callable[[ast.stmt], None]] = {
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.ClassDef: self._class,
            ast.If: self._if,
            ast.Try: self._try,
            ast.Assign: self._assign,
            ast.AnnAssign: self._ann_assign,
            ast.For: self._for,
            ast.AsyncFor: self._for,
            ast.With: self._with,
            ast.AsyncWith: self._with,
            ast.Import: self._import,
            ast.ImportFrom: self._import_from,
        }

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
        for node in body:
            if isinstance(node, FUNCTION_NODES):
                self.scope.names[node.name] = f"{prefix}.{node.name}"
                returned = self.resolve.annotation(node.returns)
                if returned is not None:
                    self.scope.returns[f"{prefix}.{node.name}"] = returned
            elif isinstance(node, ast.ClassDef):
                self.scope.names[node.name] = f"{prefix}.{node.name}"
            elif isinstance(node, ast.Import):
                self._import(node)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node)
            elif isinstance(node, (ast.If, ast.Try)):
                self._prepass(node.body, prefix)
                self._prepass(node.orelse, prefix)
                for handler in getattr(node, "handlers", ()):
                    self._prepass(handler.body, prefix)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id == "__all__":
                    if isinstance(node.value, (ast.List, ast.Tuple)):
                        self.exports = tuple(
                            e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                        )

    def _names(self) -> dict[str, str]:
        """Where an import binds its names: the function's locals, or the module's."""
        function = self.frames.function
        return self.scope.names if function.is_module else function.scope.names

    def _import(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.Import)
        names = self._names()
        for alias in node.names:
            top = alias.name.partition(".")[0]
            if top in BACKEND_MODULES:
                self.backends.add(top)
            if alias.asname:
                names[alias.asname] = alias.name
            else:
                names[top] = top

    def _import_from(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.ImportFrom)
        source = self.scope.resolve_relative(node.level, node.module)
        if source is None:
            return
        top = source.partition(".")[0]
        if top in BACKEND_MODULES:
            self.backends.add(top)
        names = self._names()
        for alias in node.names:
            if alias.name != "*":
                names[alias.asname or alias.name] = f"{source}.{alias.name}"

    # ----- statements -----------------------------------------------------------------

    def _stmts(self, body: list[ast.stmt]) -> None:
        frames = self.frames
        saved = frames.guards
        for node in body:
            handler = self._stmt_handlers.get(type(node))
            if handler is not None:
                handler(node)
            else:
                self._generic(node)
            if isinstance(node, ast.If) and exits_early(node):
                frames.guards = frames.guards | guard_params(node.test, frames.function.param_names, negated=True)
        frames.guards = saved

    def _generic(self, node: ast.AST) -> None:
        for name in _CHILD_FIELDS[type(node)]:
            value = getattr(node, name, None)
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    self._stmts(value)
                else:
                    for item in value:
                        if isinstance(item, ast.expr):
                            self._expr(item)
                        elif isinstance(item, ast.AST):
                            self._generic(item)
            elif isinstance(value, ast.expr):
                self._expr(value)
            elif isinstance(value, ast.AST):
                self._generic(value)

    def _local_name(self, name: str) -> str:
        """The qualname of a nested def or class; a def inside a function is also a local name."""
        local = self.frames.local_name(name)
        function = self.frames.function
        if self.frames.class_body is None and not function.is_module:
            function.scope.names[name] = f"{self.scope.module}.{local}"
        return local

    def _function(self, node: ast.stmt) -> None:
        assert isinstance(node, FUNCTION_NODES)
        decorators = tuple(decorator_name(d, self.resolve) for d in node.decorator_list)
        with self.frames.off_loop():
            self._exprs([*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)])
        function = function_record(node, self._local_name(node.name), decorators, self.frames, self.positions)
        with self.frames.entering(function):
            self._stmts(node.body)
        self.functions.append(function.freeze())

    def _class(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.ClassDef)
        with self.frames.off_loop():
            self._exprs([*node.decorator_list, *node.bases, *(k.value for k in node.keywords)])
        local = self._local_name(node.name)
        owner = class_scope(node, local, self.scope, self.resolve)
        with self.frames.in_class(owner):
            self._stmts(node.body)
        attributes = {k: v for k, v in owner.attributes.items() if v}
        self.classes.append(ClassSummary(local, owner.bases, attributes, self.positions.span(node)))

    def _if(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.If)
        if is_type_checking(node.test, self.resolve):
            self._stmts(node.orelse)
            return
        self._expr(node.test)
        guards = guard_params(node.test, self.frames.function.param_names, negated=False)
        if guards:
            with self.frames.guarded(guards):
                self._stmts(node.body)
        else:
            self._stmts(node.body)
        self._stmts(node.orelse)

    def _try(self, node: ast.stmt) -> None:
        """A ``try: get_running_loop() except RuntimeError:`` handler runs only off the loop."""
        assert isinstance(node, ast.Try)
        checks_loop = checks_running_loop(node.body, self.resolve)
        if checks_loop:
            with self.frames.checking_loop():
                self._stmts(node.body)
        else:
            self._stmts(node.body)
        for handler in node.handlers:
            if checks_loop and catches_runtime_error(handler):
                continue
            if handler.type is not None:
                self._expr(handler.type)
            self._stmts(handler.body)
        self._stmts(node.orelse)
        self._stmts(node.finalbody)

    def _bind(self, target: ast.expr, typed: str | None) -> None:
        function = self.frames.function
        if isinstance(target, ast.Name):
            if function.is_module:
                if typed is not None and target.id not in self.scope.names:
                    self.scope.instances[target.id] = _merge(self.scope.instances.get(target.id), typed)
                return
            scope = function.scope
            scope.shadowed.add(target.id)
            scope.types[target.id] = _merge(scope.types.get(target.id), typed) if typed else CONFLICT
        elif isinstance(target, ast.Attribute) and typed is not None:
            owner, self_name = function.scope.owner, function.scope.self_name
            if owner is not None and isinstance(target.value, ast.Name) and target.value.id == self_name:
                owner.attributes[target.attr] = _merge(owner.attributes.get(target.attr), typed)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind(element, None)

    def _assign(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.Assign)
        self._expr(node.value)
        typed = self.resolve.type_of(node.value)
        for target in node.targets:
            self._bind(target, typed)
            if not isinstance(target, ast.Name):
                self._expr(target)

    def _ann_assign(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.AnnAssign)
        if node.value is not None:
            self._expr(node.value)
        typed = self.resolve.annotation(node.annotation)
        if typed is None and node.value is not None:
            typed = self.resolve.type_of(node.value)
        self._bind(node.target, typed)

    def _for(self, node: ast.stmt) -> None:
        assert isinstance(node, (ast.For, ast.AsyncFor))
        if isinstance(node, ast.AsyncFor) and isinstance(node.iter, ast.Call):
            self._call(node.iter, awaited=True)
        else:
            self._expr(node.iter)
        self._bind(node.target, self._element_type(node.iter))
        self._stmts(node.body)
        self._stmts(node.orelse)

    def _element_type(self, iterable: ast.expr) -> str | None:
        """``root.iterdir()`` and friends yield Paths."""
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
            if iterable.func.attr in PATH_ITERATORS and self.resolve.type_of(iterable.func.value) == PATH:
                return PATH
        return None

    def _with(self, node: ast.stmt) -> None:
        """``with requests.Session() as s``: the target has the context manager's type."""
        assert isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items:
            self._expr(item.context_expr)
            if item.optional_vars is not None:
                self._bind(item.optional_vars, self.resolve.type_of(item.context_expr))
        self._stmts(node.body)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        """Generators first (they bind the names the element uses), then the element.

        A generator expression's first iterable is evaluated where it is written, so an
        ``await`` may replace a call there; everything else in it runs lazily.
        """
        lazy = isinstance(node, ast.GeneratorExp)
        frames = self.frames
        for index, generator in enumerate(node.generators):
            if lazy and index == 0:
                frames.awaitable = frames.outer_awaitable
            self._expr(generator.iter)
            if lazy and index == 0:
                frames.awaitable = False
            self._bind(generator.target, self._element_type(generator.iter))
            for condition in generator.ifs:
                self._expr(condition)
        if isinstance(node, ast.DictComp):
            self._expr(node.key)
            self._expr(node.value)
        else:
            self._expr(node.elt)

    # ----- expressions ----------------------------------------------------------------

    def _exprs(self, nodes: list[ast.expr]) -> None:
        for node in nodes:
            self._expr(node)

    def _expr(self, node: ast.expr) -> None:
        kind = type(node)
        if kind is ast.Call:
            assert isinstance(node, ast.Call)
            self._call(node, awaited=False)
        elif kind is ast.Await:
            assert isinstance(node, ast.Await)
            if isinstance(node.value, ast.Call):
                self._call(node.value, awaited=True)
            else:
                self._expr(node.value)
        elif kind is ast.Name:
            assert isinstance(node, ast.Name)
            if isinstance(node.ctx, ast.Load):
                self._reference(self.resolve.name(node.id), node)
        elif kind is ast.Attribute:
            assert isinstance(node, ast.Attribute)
            self._attribute(node)
        elif kind is ast.Lambda:
            return
        elif kind is ast.GeneratorExp:
            assert isinstance(node, ast.GeneratorExp)
            with self.frames.in_generator():
                self._comprehension(node)
        elif kind is ast.ListComp or kind is ast.SetComp or kind is ast.DictComp:
            assert isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp))
            self._comprehension(node)
        elif kind is ast.NamedExpr:
            assert isinstance(node, ast.NamedExpr)
            self._expr(node.value)
            self._bind(node.target, self.resolve.type_of(node.value))
        elif kind is not ast.Constant:
            self._generic(node)

    def _attribute(self, node: ast.Attribute) -> None:
        scope = self.frames.function.scope
        if isinstance(node.value, ast.Name) and node.value.id == scope.self_name and scope.owner is not None:
            self._reference(f"{scope.owner.qualname}.{node.attr}", node)
            return
        dotted = self.resolve.dotted(node)
        if dotted is not None:
            self._reference(dotted, node)
        else:
            self._expr(node.value)

    def _reference(self, target: str | None, node: ast.expr) -> None:
        if target is None or target.partition(".")[0] in STDLIB:
            return
        last = target.rpartition(".")[2]
        if last.isupper() or last[:1].isupper():
            return
        self.references.append(Reference(target, node.lineno, self.frames.function.qualname))

    def _call(self, node: ast.Call, *, awaited: bool, coroutine: bool = False, lazy: bool = False) -> None:
        """Visit the callee and the arguments, then record the call (``CallRecorder.record``)."""
        func = node.func
        target, kind = self.calls.target(func)
        if isinstance(func, ast.Attribute):
            if target is None or not is_chain(func.value):
                self._expr(func.value)
        elif not isinstance(func, ast.Name):
            self._expr(func)
        consumer = consumes_coroutines(func)
        collects = collects_in_thread(node, target)
        for arg in node.args:
            value = arg.value if isinstance(arg, ast.Starred) else arg
            if consumer and isinstance(value, ast.Call):
                self._call(value, awaited=False, coroutine=True)
            elif collects and isinstance(value, ast.Call):
                self._call(value, awaited=False, lazy=True)
            else:
                self._expr(value)
        for keyword in node.keywords:
            self._expr(keyword.value)
        self.calls.record(node, target, kind, awaited=awaited, coroutine=coroutine, lazy=lazy)


def summarise_module(tree: ast.Module, text: str, module: str, is_package: bool, path: str, context: ScanContext) -> ModuleSummary:
    """The summary of a parsed module (see ``Summariser``)."""
    return Summariser(module, is_package, path, text, context).summarise(tree, text)


def _merge(old: str | None, new: str | None) -> str:
    if old is None or old == new:
        return new or CONFLICT
    return CONFLICT
