"""Facts the summaries do not carry, from one ``ast`` walk per module (cached per run).

Summaries record call sites as the scanner saw them: in a sync function every site is
"not awaitable", lambdas are skipped, and calls through receivers of unknown type are
dropped. Propagation needs more before it may turn a function into ``async def``:

* where ``await`` could *not* be written even if the enclosing function became async
  (generator expression, lambda, default argument, decorator, class body);
* every name and attribute used inside a lambda, every attribute used as a value, and
  every ``.name(...)`` call, so a function or method that may be called or passed
  somewhere the analysis cannot resolve is not converted;
* the ``if __name__ == "__main__":`` block, generator functions, defaults that call
  something (a twin would evaluate them a second time), and the names bound in each
  scope (twin name collisions).

Qualnames follow the scanner: ``f``, ``C.m``, ``f.<locals>.g``; the module body is
``<module>``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from asyncify.parsing import parse_module
from asyncify.scan.summary import MODULE_BODY
from asyncify.structural.model import SpanKey

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class ModuleFacts:
    """What one walk of a module found (see the module docstring)."""

    no_await: dict[SpanKey, str] = field(default_factory=dict)
    func_names: dict[SpanKey, tuple[str, str]] = field(default_factory=dict)
    """Call span -> ("name", id) / ("attr", attribute) / ("other", "")."""
    attr_calls: dict[str, list[tuple[SpanKey, int, str | None]]] = field(default_factory=dict)
    """``.name(...)`` calls: span, line, and the name the receiver chain starts at."""
    attr_values: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)
    """``.name`` read as a value (not called): line and the receiver chain's first name."""
    lambda_uses: dict[str, list[int]] = field(default_factory=dict)
    main_block: list[tuple[int, int]] = field(default_factory=list)
    generators: set[str] = field(default_factory=set)
    default_calls: set[str] = field(default_factory=set)
    scope_names: dict[str, set[str]] = field(default_factory=dict)
    loop_runners: dict[str, int] = field(default_factory=dict)
    """Functions that start an event loop (``asyncio.run``...) -> line: sync by nature."""

    def in_main_block(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.main_block)


class _Walker:
    def __init__(self, text: str) -> None:
        self.facts = ModuleFacts()
        self.lines = text.splitlines() if not text.isascii() else []

    def span(self, node: ast.expr) -> SpanKey:
        line, col = node.lineno, node.col_offset
        end_line = node.end_lineno or line
        end_col = node.end_col_offset if node.end_col_offset is not None else col
        if self.lines:
            col, end_col = _chars(self.lines, line, col), _chars(self.lines, end_line, end_col)
        return (line, col + 1, end_line, end_col + 1)

    def bind(self, scope: str, name: str) -> None:
        self.facts.scope_names.setdefault(scope, set()).add(name)

    def stmts(self, body: list[ast.stmt], scope: str, kind: str, why: str | None) -> None:
        for node in body:
            self.node(node, scope, kind, why, False)

    def node(self, node: ast.AST, scope: str, kind: str, why: str | None, in_lambda: bool) -> None:
        """Walk ``node`` in ``scope`` (a qualname; ``kind`` module/class/function)."""
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            self.definition(node, scope, kind, why, in_lambda)
            return
        if isinstance(node, ast.Lambda):
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
                self.node(default, scope, kind, "in a default argument", in_lambda)
            self.node(node.body, scope, kind, "in a lambda", True)
            return
        if isinstance(node, ast.GeneratorExp):
            why = "in a generator expression"
        elif isinstance(node, ast.If) and kind == "module" and _is_main_test(node.test):
            self.facts.main_block.append((node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, ast.Call):
            self.call(node, scope, kind, why, in_lambda)
            return
        elif isinstance(node, ast.Attribute):
            if isinstance(node.ctx, ast.Load):
                self.facts.attr_values.setdefault(node.attr, []).append((node.lineno, _root(node.value)))
            if in_lambda:
                self.facts.lambda_uses.setdefault(node.attr, []).append(node.lineno)
        elif isinstance(node, ast.Name):
            if in_lambda:
                self.facts.lambda_uses.setdefault(node.id, []).append(node.lineno)
            if not isinstance(node.ctx, ast.Load):
                self.bind(scope, node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                self.bind(scope, alias.asname or alias.name.partition(".")[0])
        for child in ast.iter_child_nodes(node):
            self.node(child, scope, kind, why, in_lambda)

    def call(self, node: ast.Call, scope: str, kind: str, why: str | None, in_lambda: bool) -> None:
        key = self.span(node)
        if why is not None:
            self.facts.no_await[key] = why
        func = node.func
        if isinstance(func, ast.Name):
            self.facts.func_names[key] = ("name", func.id)
            if in_lambda:
                self.facts.lambda_uses.setdefault(func.id, []).append(func.lineno)
        elif isinstance(func, ast.Attribute):
            self.facts.func_names[key] = ("attr", func.attr)
            if kind == "function" and _runs_loop(func):
                self.facts.loop_runners.setdefault(scope, func.lineno)
            self.facts.attr_calls.setdefault(func.attr, []).append((key, func.lineno, _root(func.value)))
            if in_lambda:
                self.facts.lambda_uses.setdefault(func.attr, []).append(func.lineno)
            self.node(func.value, scope, kind, why, in_lambda)
        else:
            self.facts.func_names[key] = ("other", "")
            self.node(func, scope, kind, why, in_lambda)
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            self.node(arg, scope, kind, why, in_lambda)

    def definition(self, node: ast.AST, scope: str, kind: str, why: str | None, in_lambda: bool) -> None:
        assert isinstance(node, (*_FUNCTIONS, ast.ClassDef))
        self.bind(scope, node.name)
        for decorator in node.decorator_list:
            self.node(decorator, scope, kind, "in a decorator", in_lambda)
        local = _local(scope, kind, node.name)
        if isinstance(node, ast.ClassDef):
            for base in [*node.bases, *(k.value for k in node.keywords)]:
                self.node(base, scope, kind, "in a class definition", in_lambda)
            self.facts.scope_names.setdefault(local, set())
            self.stmts_in(node.body, local, "class", "in a class body", in_lambda)
            return
        defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        for default in defaults:
            self.node(default, scope, kind, "in a default argument", in_lambda)
        if any(isinstance(n, ast.Call) for d in defaults for n in ast.walk(d)):
            self.facts.default_calls.add(local)
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in _own_nodes(node.body)):
            self.facts.generators.add(local)
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                self.bind(local, arg.arg)
        self.stmts_in(node.body, local, "function", None, in_lambda)

    def stmts_in(self, body: list[ast.stmt], scope: str, kind: str, why: str | None, in_lambda: bool) -> None:
        for stmt in body:
            self.node(stmt, scope, kind, why, in_lambda)


def module_facts(text: str) -> ModuleFacts:
    """The facts of one module's text (a ``SyntaxError`` propagates to the caller)."""
    walker = _Walker(text)
    walker.facts.scope_names[MODULE_BODY] = set()
    walker.stmts(parse_module(text).body, MODULE_BODY, "module", None)
    return walker.facts


class TooManyModules(Exception):
    """A search would parse more modules than the caller's budget allows."""

    def __init__(self, name: str, budget: int) -> None:
        super().__init__(f"`{name}` appears in more than {budget} modules")
        self.name, self.budget = name, budget


class ProjectFacts:
    """Module facts on demand, from texts read once; ``uses`` searches every module.

    ``budget`` caps how many modules one name search may parse (``check`` sets it so
    that explaining a finding stays cheap; ``fix`` does not).
    """

    def __init__(self, paths: list[str], read: Callable[[str], str], budget: int | None = None) -> None:
        self.paths = paths
        self.read = read
        self.budget = budget
        self._texts: dict[str, str | None] = {}
        self._facts: dict[str, ModuleFacts | None] = {}
        self._raw: dict[str, bytes | None] | None = None

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = self.read(path)
            except (OSError, ValueError):
                self._texts[path] = None
        return self._texts[path]

    def _raw_bytes(self) -> dict[str, bytes | None]:
        """Every file's bytes (``None``: unreadable), read once, at the first search: a run
        searches for a few dozen names, and reading the files for each search cost more
        than the rest of it."""
        if self._raw is None:
            self._raw = {}
            for path in self.paths:
                try:
                    with open(path, "rb") as handle:
                        self._raw[path] = handle.read()
                except OSError:
                    self._raw[path] = None
        return self._raw

    def of(self, path: str) -> ModuleFacts | None:
        """The facts of ``path``, or ``None`` when it cannot be read or parsed."""
        if path not in self._facts:
            text = self.text(path)
            try:
                self._facts[path] = module_facts(text) if text is not None else None
            except (SyntaxError, ValueError):
                self._facts[path] = None
        return self._facts[path]

    def containing(self, name: str) -> Iterator[tuple[str, ModuleFacts]]:
        """Modules whose text mentions ``name`` (a cheap filter before parsing).

        Each module's raw bytes are searched first (an identifier is written the same in
        every ASCII-compatible encoding, which is every encoding Python source may use)
        and only the modules that mention it are decoded (a file that cannot be read is
        decoded too, which reports the problem the usual way); with a budget the search
        stops as soon as it is exceeded.
        """
        matching = []
        needle = name.encode("utf-8")
        raw = self._raw_bytes()
        for path in self.paths:
            data = raw.get(path)
            if data is not None and needle not in data and path not in self._texts:
                continue
            if name in (self.text(path) or ""):
                matching.append(path)
                if self.budget is not None and len(matching) > self.budget:
                    raise TooManyModules(name, self.budget)
        for path in matching:
            facts = self.of(path)
            if facts is not None:
                yield path, facts


def _local(scope: str, kind: str, name: str) -> str:
    if kind == "module":
        return name
    if kind == "class":
        return f"{scope}.{name}"
    return f"{scope}.<locals>.{name}"


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Nodes of a function body, not descending into nested scopes."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, _SCOPES))


def _runs_loop(func: ast.Attribute) -> bool:
    if func.attr in {"run_until_complete", "run_forever"}:
        return True
    return func.attr == "run" and _root(func.value) in {"asyncio", "anyio", "trio", "uvloop"}


def _root(node: ast.expr) -> str | None:
    """``a`` for the chain ``a.b.c``; ``None`` when the chain does not start at a name."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and consts)


def _chars(lines: list[str], line: int, byte_col: int) -> int:
    """ast columns are UTF-8 byte offsets; spans use characters."""
    if line - 1 >= len(lines):
        return byte_col
    return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
