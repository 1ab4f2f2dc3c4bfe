"""One pass over a stdlib ``ast`` tree that produces a ``ModuleSummary``.

"Inside async" is a property of the innermost function scope, not a flag toggled on
enter and exit: every function (including nested ones and the module body) gets its own
record, and lambdas are skipped because their bodies do not run where they are written.
The walk is one recursive pass in source order, dispatched on node type: statements,
imports and definitions here, expressions in ``expressions`` (the base class); what the
walk knows about its position lives in ``Frames`` (changed only by ``with`` blocks), call
sites are built by ``CallRecorder``, ``None`` guards and loop checks are read by
``guards``, and function and class headers by ``definitions``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from asyncify.scan.branches import falls_through, join, reset, target_names
from asyncify.scan.calls import CallRecorder
from asyncify.scan.context import ScanContext
from asyncify.scan.definitions import FUNCTION_NODES, class_scope, decorator_name, function_record
from asyncify.scan.expressions import EXPRESSIONS, ExpressionWalker, Handler, handlers
from asyncify.scan.frames import Frames, FunctionRecord
from asyncify.scan.guards import (
    catches_runtime_error,
    checks_running_loop,
    exits_early,
    guard_params,
    is_type_checking,
    off_loop_thread_arm,
)
from asyncify.scan.positions import Positions
from asyncify.scan.receivers import BACKEND_MODULES
from asyncify.scan.scope import FunctionScope, ModuleScope, Resolver
from asyncify.scan.summary import MODULE_BODY, ClassSummary, FunctionSummary, ModuleSummary, Reference, Span
from asyncify.scan.suppression import parse_suppressions
from asyncify.scan.typeexpr import coroutine

__all__ = ["ScanContext", "Summariser", "summarise_module"]

class Summariser(ExpressionWalker):
    """Builds the summary of one module; use ``summarise_module``."""

    def __init__(self, module: str, is_package: bool, path: str, text: str, context: ScanContext) -> None:
        package = module if is_package else module.rpartition(".")[0]
        self.scope = ModuleScope(module=module, package=package)
        self.resolve = Resolver(self.scope, context)
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
        self._superseded: set[int] = set()
        """``id`` of each ``def`` node a later one in its block replaces."""
        self._mentions_running_loop = "get_running_loop" in text
        """Without the name in the text, no ``try`` can test for a running loop."""
        self._mentions_thread_ident = "get_ident" in text or "get_native_ident" in text

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
            deferred=self.calls.deferred,
        )

    def _prepass(self, body: Iterable[ast.stmt], prefix: str) -> None:
        """Module-level imports and definitions, so functions can call what is defined later."""
        names = self.scope.names
        self._mark_superseded(body)
        for node in body:
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                assert isinstance(node, FUNCTION_NODES)
                names[node.name] = f"{prefix}.{node.name}"
                if node.returns is not None:
                    returned = self.resolve.annotation(node.returns)
                    if returned is not None:
                        async_def = kind is ast.AsyncFunctionDef
                        self.scope.returns[f"{prefix}.{node.name}"] = coroutine(returned) if async_def else returned
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

    def _mark_superseded(self, body: Iterable[ast.stmt]) -> None:
        """Every ``def`` of a block that a later ``def`` of the same name in that block replaces."""
        last: dict[str, ast.stmt] = {}
        for node in body:
            if type(node) is ast.FunctionDef or type(node) is ast.AsyncFunctionDef:
                assert isinstance(node, FUNCTION_NODES)
                earlier = last.get(node.name)
                if earlier is not None:
                    self._superseded.add(id(earlier))
                last[node.name] = node

    def _exports(self, node: ast.Assign) -> None:
        """``__all__ = [...]``: the names a star import takes."""
        if len(node.targets) != 1:
            return
        target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
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
        frozen = function.freeze()
        self.functions.append(frozen._replace(superseded=True) if id(node) in self._superseded else frozen)

    def _class(self, node: ast.ClassDef) -> None:
        header = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
        if header:
            with self.frames.off_loop():
                self._exprs(header)
        local = self._local_name(node.name)
        owner = class_scope(node, local, self.scope, self.resolve)
        self._mark_superseded(node.body)
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
            EXPRESSIONS[type(node.test)](self, node.test)
            scope = frames.function.scope
            before = dict(scope.types)
            off_thread = off_loop_thread_arm(node.test, self.resolve) if self._mentions_thread_ident else None
            guards = guard_params(node.test, frames.function.param_names, negated=False)
            if off_thread == "body":
                pass  # runs only off the event loop's thread
            elif guards:
                with frames.guarded(guards):
                    self._stmts(node.body)
            else:
                self._stmts(node.body)
            after_body = dict(scope.types)
            reset(scope, before)
            if off_thread != "orelse":
                self._stmts(node.orelse)
            arms = [(after_body, node.body), (scope.types, node.orelse)]
            reaching = [state for state, body in arms if falls_through(body)]
            reset(scope, join(reaching) if reaching else after_body)
        if exits_early(node):
            frames.guards = frames.guards | guard_params(node.test, frames.function.param_names, negated=True)

    def _try(self, node: ast.Try) -> None:
        """A ``try: get_running_loop() except RuntimeError:`` handler runs only off the loop."""
        checks_loop = self._mentions_running_loop and checks_running_loop(node.body, self.resolve)
        scope = self.frames.function.scope
        before = dict(scope.types)
        if checks_loop:
            with self.frames.checking_loop():
                self._stmts(node.body)
        else:
            self._stmts(node.body)
        handler_start = join([before, scope.types])  # a handler may start anywhere in the body
        self._stmts(node.orelse)
        ends = [dict(scope.types)] if falls_through(node.body) and falls_through(node.orelse) else []
        for handler in node.handlers:
            if checks_loop and catches_runtime_error(handler):
                continue
            reset(scope, handler_start)
            if handler.type is not None:
                EXPRESSIONS[type(handler.type)](self, handler.type)
            self._stmts(handler.body)
            if falls_through(handler.body):
                ends.append(dict(scope.types))
        reset(scope, join(ends) if ends else handler_start)
        self._stmts(node.finalbody)

    def _while(self, node: ast.While) -> None:
        EXPRESSIONS[type(node.test)](self, node.test)
        self._loop(node.body, dict(self.frames.function.scope.types), set())
        self._stmts(node.orelse)

    def _loop(self, body: list[ast.stmt], before: dict[str, str], bound: set[str]) -> None:
        """A loop body: names typed before it are pinned; after it, joined with ``before``."""
        scope = self.frames.function.scope
        saved = scope.pinned
        scope.pinned = saved | (before.keys() - bound)
        self._stmts(body)
        scope.pinned = saved
        reset(scope, join([before, scope.types]))

    def _match(self, node: ast.Match) -> None:
        """Each case starts from the types before the ``match``; no case may match."""
        EXPRESSIONS[type(node.subject)](self, node.subject)
        scope = self.frames.function.scope
        before = dict(scope.types)
        ends = [before]
        for case in node.cases:
            reset(scope, before)
            self._generic(case.pattern)
            if case.guard is not None:
                EXPRESSIONS[type(case.guard)](self, case.guard)
            self._stmts(case.body)
            if falls_through(case.body):
                ends.append(dict(scope.types))
        reset(scope, join(ends))

    def _expression_statement(self, node: ast.Expr) -> None:
        EXPRESSIONS[type(node.value)](self, node.value)

    def _aug_assign(self, node: ast.AugAssign) -> None:
        EXPRESSIONS[type(node.target)](self, node.target)
        EXPRESSIONS[type(node.value)](self, node.value)

    def _raise(self, node: ast.Raise) -> None:
        for part in (node.exc, node.cause):
            if part is not None:
                EXPRESSIONS[type(part)](self, part)

    def _assert(self, node: ast.Assert) -> None:
        for part in (node.test, node.msg):
            if part is not None:
                EXPRESSIONS[type(part)](self, part)

    def _delete(self, node: ast.Delete) -> None:
        self._exprs(node.targets)

    def _assign(self, node: ast.Assign) -> None:
        value = node.value
        EXPRESSIONS[type(value)](self, value)
        typed = self.resolve.type_of(value)
        for target in node.targets:
            self._bind(target, typed)
            if type(target) is not ast.Name:
                EXPRESSIONS[type(target)](self, target)

    def _ann_assign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            EXPRESSIONS[type(node.value)](self, node.value)
        typed = self.resolve.annotation(node.annotation)
        if typed is None and node.value is not None:
            typed = self.resolve.type_of(node.value)
        self._bind(node.target, typed)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        if isinstance(node, ast.AsyncFor) and isinstance(node.iter, ast.Call):
            self._call(node.iter, awaited=True)
        else:
            EXPRESSIONS[type(node.iter)](self, node.iter)
        before = dict(self.frames.function.scope.types)
        self._bind(node.target, self._element_type(node.iter))
        self._loop(node.body, before, target_names(node.target))
        self._stmts(node.orelse)

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        """``with requests.Session() as s``: the target has the context manager's type."""
        for item in node.items:
            EXPRESSIONS[type(item.context_expr)](self, item.context_expr)
            if item.optional_vars is not None:
                self._bind(item.optional_vars, self.resolve.type_of(item.context_expr))
        self._stmts(node.body)


def summarise_module(
    tree: ast.Module, text: str, module: str, is_package: bool, path: str, context: ScanContext
) -> ModuleSummary:
    """The summary of a parsed module (see ``Summariser``)."""
    return Summariser(module, is_package, path, text, context).summarise(tree, text)


_STATEMENTS: dict[type, Handler] = handlers(
    ast.stmt,
    {
        ast.FunctionDef: Summariser._function,
        ast.AsyncFunctionDef: Summariser._function,
        ast.ClassDef: Summariser._class,
        ast.If: Summariser._if,
        ast.Try: Summariser._try,
        ast.While: Summariser._while,
        ast.Match: Summariser._match,
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
