"""One pass over a stdlib ``ast`` tree that produces a ``ModuleSummary``.

"Inside async" is a property of the innermost function scope, not a flag toggled on
enter and exit: every function (including nested ones and the module body) gets its own
record, and lambdas are skipped because their bodies do not run where they are written.
The pass is written for speed: one recursive walk in source order, dictionary dispatch,
no libcst, no metadata providers.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from asyncify.scan.receivers import (
    BACKEND_MODULES,
    COROUTINE_CONSUMERS,
    LOOP_BOUND_CALLS,
    THREAD_CONSUMERS,
    PATH,
    PATH_ITERATORS,
    RUNNING_LOOP_CHECKS,
    TYPE_CHECKING_NAMES,
    normalise_type,
)
from asyncify.scan.scope import CONFLICT, ClassScope, FunctionScope, ModuleScope, Resolver
from asyncify.scan.summary import (
    MODULE_BODY,
    CallKind,
    CallSite,
    ClassSummary,
    FunctionSummary,
    ModuleSummary,
    Param,
    Reference,
    Span,
)
from asyncify.scan.suppression import parse_suppressions

_STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "id", "attr", "arg", "name", "names", "module", "level", "conversion", "is_async", "simple"})
"""Fields that never hold code to scan (names, operators, contexts): skipped for speed."""
_CHILD_FIELDS: Mapping[type, tuple[str, ...]] = MappingProxyType(
    {
        kind: tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
        for kind in vars(ast).values()
        if isinstance(kind, type) and issubclass(kind, ast.AST)
    }
)


@dataclass(frozen=True)
class ScanContext:
    """What the scanner needs from the catalogue; part of the cache key."""

    blocking: frozenset[str]
    guess_methods: frozenset[str]
    lazy: frozenset[str] = frozenset()
    """Lazy directory iterators (the catalogue's ``collect`` entries)."""
    builtins: frozenset[str] = frozenset({"open", "input"})


@dataclass
class _Function:
    """A function being scanned; frozen into a ``FunctionSummary`` when it ends."""

    qualname: str
    is_async: bool
    span: Span
    scope: FunctionScope
    params: tuple[Param, ...] = ()
    class_name: str | None = None
    decorators: tuple[str, ...] = ()
    returns: str | None = None
    calls: list[CallSite] = field(default_factory=list)
    param_names: frozenset[str] = frozenset()

    def freeze(self) -> FunctionSummary:
        return FunctionSummary(
            qualname=self.qualname,
            is_async=self.is_async,
            span=self.span,
            calls=tuple(self.calls),
            params=self.params,
            class_name=self.class_name,
            decorators=self.decorators,
            returns=self.returns,
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
        self.ascii = text.isascii()
        # Not splitlines(): it also breaks at \x1c-\x1e, \x85 and \u2028, which Python does not.
        self.lines = _LINE_BREAK.split(text) if not self.ascii else []
        self.functions: list[FunctionSummary] = []
        self.classes: list[ClassSummary] = []
        self.references: list[Reference] = []
        self.backends: set[str] = set()
        self.exports: tuple[str, ...] | None = None
        self.current = _Function(MODULE_BODY, False, Span(1, 1, 1, 1), FunctionScope())
        self.class_body: ClassScope | None = None
        self.loop_checked = False
        self._outer_awaitable = False
        """Whether ``await`` is allowed just outside the generator expression being scanned."""
        """Inside ``try: get_running_loop()``: asking for the loop is a test, not a need."""
        """Set while the statements directly in a class body are scanned."""
        self.awaitable = False
        self.guards: frozenset[str] = frozenset()
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
        self.resolve.function = self.current.scope
        self._stmts(tree.body)
        self.functions.append(self.current.freeze())
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
            if isinstance(node, _FUNCTION_NODES):
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
        if self.current.qualname == MODULE_BODY:
            return self.scope.names
        return self.current.scope.names

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
        saved = self.guards
        for node in body:
            handler = self._stmt_handlers.get(type(node))
            if handler is not None:
                handler(node)
            else:
                self._generic(node)
            if isinstance(node, ast.If) and not node.orelse and _exits(node.body):
                self.guards = self.guards | self._guard_params(node.test, negated=True)
        self.guards = saved

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

    def _span(self, node: ast.expr | ast.stmt) -> Span:
        line, col = node.lineno, node.col_offset
        end_line = node.end_lineno or line
        end_col = node.end_col_offset if node.end_col_offset is not None else col
        if not self.ascii:
            col = _char_column(self.lines, line, col)
            end_col = _char_column(self.lines, end_line, end_col)
        return Span(line, col + 1, end_line, end_col + 1)

    def _off_loop(self, run: Callable[[], None]) -> None:
        """Run ``run`` where ``await`` may not be written (defaults, decorators, genexps)."""
        saved = self.awaitable
        self.awaitable = False
        run()
        self.awaitable = saved

    def _function(self, node: ast.stmt) -> None:
        assert isinstance(node, _FUNCTION_NODES)
        decorators = tuple(_decorator_name(d, self.resolve) for d in node.decorator_list)
        defaults = [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        self._off_loop(lambda: self._exprs(defaults))
        parent = self.current
        owner = self.class_body
        local = self._local_name(node.name)
        scope = FunctionScope(parent=parent.scope if parent.qualname != MODULE_BODY else None)
        params = _params(node.args)
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            scope.shadowed.add(arg.arg)
            typed = self.resolve.annotation(arg.annotation)
            if typed is not None:
                scope.types[arg.arg] = typed
        for star in (node.args.vararg, node.args.kwarg):
            if star is not None:
                scope.shadowed.add(star.arg)
        if owner is not None:
            scope.owner = owner
            positional = [*node.args.posonlyargs, *node.args.args]
            if positional and "staticmethod" not in decorators:
                scope.self_name = positional[0].arg
            scope.is_classmethod = "classmethod" in decorators
        elif parent.scope.owner is not None and parent.scope.self_name not in scope.shadowed:
            scope.owner, scope.self_name = parent.scope.owner, parent.scope.self_name
        returns = self.resolve.annotation(node.returns)
        function = _Function(
            qualname=local,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            span=self._span(node),
            scope=scope,
            params=params,
            class_name=owner.local_qualname if owner else None,
            decorators=decorators,
            returns=returns,
            param_names=frozenset(p.name for p in params),
        )
        self._enter(function, node.body)

    def _local_name(self, name: str) -> str:
        """The module-relative qualname of a def or class, as ``__qualname__`` spells it."""
        if self.class_body is not None:
            return f"{self.class_body.local_qualname}.{name}"
        if self.current.qualname == MODULE_BODY:
            return name
        local = f"{self.current.qualname}.<locals>.{name}"
        self.current.scope.names[name] = f"{self.scope.module}.{local}"
        return local

    def _enter(self, function: _Function, body: list[ast.stmt]) -> None:
        saved = (self.current, self.awaitable, self.guards, self.resolve.function, self.class_body)
        self.current, self.awaitable, self.guards = function, function.is_async, frozenset()
        self.resolve.function = function.scope
        self.class_body = None
        self._stmts(body)
        self.functions.append(function.freeze())
        self.current, self.awaitable, self.guards, self.resolve.function, self.class_body = saved

    def _class(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.ClassDef)
        header = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
        self._off_loop(lambda: self._exprs(header))
        parent = self.class_body
        local = self._local_name(node.name)
        bases = tuple(b for b in (self.resolve.dotted(base) for base in node.bases) if b is not None)
        owner = ClassScope(qualname=f"{self.scope.module}.{local}", local_qualname=local, bases=bases)
        self.scope.classes[owner.qualname] = owner
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                typed = self.resolve.annotation(stmt.annotation)
                if typed is not None:
                    owner.attributes[stmt.target.id] = typed
            elif isinstance(stmt, _FUNCTION_NODES):
                returned = self.resolve.annotation(stmt.returns)
                if returned is not None:
                    self.scope.returns[f"{owner.qualname}.{stmt.name}"] = returned
        self.class_body = owner
        self._off_loop(lambda: self._stmts(node.body))
        self.class_body = parent
        self.classes.append(ClassSummary(local, bases, {k: v for k, v in owner.attributes.items() if v}, self._span(node)))

    def _if(self, node: ast.stmt) -> None:
        assert isinstance(node, ast.If)
        if self.resolve.dotted(node.test) in TYPE_CHECKING_NAMES or (
            isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        ):
            self._stmts(node.orelse)
            return
        self._expr(node.test)
        saved = self.guards
        self.guards = saved | self._guard_params(node.test, negated=False)
        self._stmts(node.body)
        self.guards = saved
        self._stmts(node.orelse)

    def _guard_params(self, test: ast.expr, *, negated: bool) -> frozenset[str]:
        """Parameters that must be non-None for the body of ``if test`` to run.

        With ``negated`` the test is an early exit (``if x is None: return``), and the
        guarded code is what follows it.
        """
        params = self.current.param_names
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or if negated else ast.And):
            found: frozenset[str] = frozenset()
            for value in test.values:
                found |= self._guard_params(value, negated=negated)
            return found
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._guard_params(test.operand, negated=not negated)
        if isinstance(test, ast.Name) and not negated and test.id in params:
            return frozenset({test.id})
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.left, ast.Name)
            and test.left.id in params
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
        ):
            wanted = ast.IsNot if not negated else ast.Is
            if isinstance(test.ops[0], wanted):
                return frozenset({test.left.id})
        return frozenset()

    def _try(self, node: ast.stmt) -> None:
        """A ``try: get_running_loop() except RuntimeError:`` handler runs only off the loop."""
        assert isinstance(node, ast.Try)
        checks_loop = any(
            isinstance(c, ast.Call) and self.resolve.dotted(c.func) in RUNNING_LOOP_CHECKS
            for stmt in node.body
            for c in ast.walk(stmt)
        )
        saved = self.loop_checked
        self.loop_checked = self.loop_checked or checks_loop
        self._stmts(node.body)
        self.loop_checked = saved
        for handler in node.handlers:
            if checks_loop and _catches_runtime_error(handler):
                continue
            if handler.type is not None:
                self._expr(handler.type)
            self._stmts(handler.body)
        self._stmts(node.orelse)
        self._stmts(node.finalbody)

    def _bind(self, target: ast.expr, typed: str | None) -> None:
        function = self.current
        if isinstance(target, ast.Name):
            if function.qualname == MODULE_BODY:
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
        for index, generator in enumerate(node.generators):
            if lazy and index == 0:
                self.awaitable = self._outer_awaitable
            self._expr(generator.iter)
            if lazy and index == 0:
                self.awaitable = False
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
            saved = self._outer_awaitable
            self._outer_awaitable = self.awaitable
            self._off_loop(lambda: self._comprehension(node))
            self._outer_awaitable = saved
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
        scope = self.current.scope
        if isinstance(node.value, ast.Name) and node.value.id == scope.self_name and scope.owner is not None:
            self._reference(f"{scope.owner.qualname}.{node.attr}", node)
            return
        dotted = self.resolve.dotted(node)
        if dotted is not None:
            self._reference(dotted, node)
        else:
            self._expr(node.value)

    def _reference(self, target: str | None, node: ast.expr) -> None:
        if target is None or target.partition(".")[0] in _STDLIB:
            return
        last = target.rpartition(".")[2]
        if last.isupper() or last[:1].isupper():
            return
        self.references.append(Reference(target, node.lineno, self.current.qualname))

    def _call(self, node: ast.Call, *, awaited: bool, coroutine: bool = False, lazy: bool = False) -> None:
        """Record the call; ``coroutine`` marks an argument of ``gather``/``create_task``/...,
        ``lazy`` one of ``to_thread(list, ...)``: creating a lazy iterator there does no I/O."""
        func = node.func
        target: str | None = None
        kind = CallKind.QUALIFIED
        if isinstance(func, ast.Name):
            scope = self.current.scope
            if func.id == scope.self_name and scope.is_classmethod and scope.owner is not None:
                target = scope.owner.qualname
            else:
                target = self.resolve.name(func.id)
        elif isinstance(func, ast.Attribute):
            target, kind = self._method_target(func)
            if target is None or not _is_chain(func.value):
                self._expr(func.value)
        else:
            self._expr(func)
        consumer = _callee_name(func) in COROUTINE_CONSUMERS
        collects = _collects_in_thread(node, target)
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
        if target is None or (coroutine and kind is CallKind.GUESS):
            return
        if lazy and (target in self.context.lazy or (kind is CallKind.GUESS and target in _LAZY_METHODS)):
            return
        if kind is CallKind.QUALIFIED and target.partition(".")[0] in _STDLIB and target not in self.context.blocking:
            if target not in LOOP_BOUND_CALLS or self.loop_checked:
                return
        self.current.calls.append(self._call_site(node, target, kind, awaited))

    def _method_target(self, func: ast.Attribute) -> tuple[str | None, CallKind]:
        value = func.value
        scope = self.current.scope
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
            if scope.owner is not None:
                return f"{scope.owner.qualname}.{func.attr}", CallKind.SUPER
            return None, CallKind.QUALIFIED
        dotted = self.resolve.dotted(value)
        if dotted is not None:
            return f"{normalise_type(dotted)}.{func.attr}", CallKind.QUALIFIED
        typed = self.resolve.type_of(value)
        if typed is not None:
            return f"{typed}.{func.attr}", CallKind.QUALIFIED
        if func.attr in self.context.guess_methods:
            return func.attr, CallKind.GUESS
        return None, CallKind.QUALIFIED

    def _call_site(self, node: ast.Call, target: str, kind: CallKind, awaited: bool) -> CallSite:
        none_positions = tuple(
            i for i, a in enumerate(node.args) if isinstance(a, ast.Constant) and a.value is None
        )
        none_keywords = tuple(
            k.arg for k in node.keywords if k.arg and isinstance(k.value, ast.Constant) and k.value.value is None
        )
        return CallSite(
            target=target,
            kind=kind,
            span=self._span(node),
            awaited=awaited,
            awaitable=self.awaitable,
            guards=self.guards,
            positional=len(node.args),
            keywords=tuple(k.arg for k in node.keywords if k.arg),
            none_positions=none_positions,
            none_keywords=none_keywords,
            star_args=any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords),
        )


def summarise_module(tree: ast.Module, text: str, module: str, is_package: bool, path: str, context: ScanContext) -> ModuleSummary:
    """The summary of a parsed module (see ``Summariser``)."""
    return Summariser(module, is_package, path, text, context).summarise(tree, text)


_OFFLOADERS = frozenset({"asyncio.to_thread", "anyio.to_thread.run_sync", "trio.to_thread.run_sync"})
_LAZY_METHODS = frozenset({"iterdir", "glob", "rglob", "walk"})


def _collects_in_thread(node: ast.Call, target: str | None) -> bool:
    """``to_thread(list, it)`` / ``run_in_executor(None, next, it)``: ``it`` is consumed
    in the worker thread."""
    args = node.args
    if target in _OFFLOADERS:
        return bool(args) and isinstance(args[0], ast.Name) and args[0].id in THREAD_CONSUMERS
    if isinstance(node.func, ast.Attribute) and node.func.attr == "run_in_executor":
        return len(args) > 1 and isinstance(args[1], ast.Name) and args[1].id in THREAD_CONSUMERS
    return False


def _callee_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _merge(old: str | None, new: str | None) -> str:
    if old is None or old == new:
        return new or CONFLICT
    return CONFLICT


def _is_chain(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _exits(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def _catches_runtime_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(k, ast.Name) and k.id == "RuntimeError" for k in kinds)


def _decorator_name(node: ast.expr, resolve: Resolver) -> str:
    """A decorator as a resolved name when possible, else its dotted text."""
    if isinstance(node, ast.Call):
        node = node.func
    resolved = resolve.dotted(node)
    if resolved is not None:
        return resolved.removeprefix("builtins.")
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts)) or "<expr>"


def _params(args: ast.arguments) -> tuple[Param, ...]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    result = [
        Param(a.arg, True, isinstance(d, ast.Constant) and d.value is None, d is not None)
        for a, d in zip(positional, defaults)
    ]
    result += [
        Param(a.arg, False, isinstance(d, ast.Constant) and d.value is None, d is not None)
        for a, d in zip(args.kwonlyargs, args.kw_defaults)
    ]
    return tuple(result)


def _char_column(lines: list[str], line: int, byte_col: int) -> int:
    """ast columns are UTF-8 byte offsets; reports and libcst use characters."""
    if line - 1 >= len(lines):
        return byte_col
    return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
