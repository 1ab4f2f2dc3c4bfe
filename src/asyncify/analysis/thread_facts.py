"""Which functions of one module are bound to the thread they run in, and why.

``wrap``, ``collect`` and ``extract`` move code to a worker thread. That breaks code which
depends on *which* thread runs it, even though it blocks:

- it uses a ``threading.local()`` (a module global, or ``self.x = threading.local()``):
  a worker thread sees other values;
- it sets a ``contextvars.ContextVar`` (``var.set(...)``, ``var.reset(...)``): a worker
  runs in a copy of the context, so the caller never sees the new value;
- it installs signal handlers (``signal.signal``, ``set_wakeup_fd``): only the main
  thread may;
- it asks which thread it is (``threading.current_thread()``, ``main_thread()``,
  ``get_ident()``): the answer changes.

The summaries carry calls, not these uses, so they come from one ``ast`` walk of the
module's text, run only for modules a moved helper reaches and only when the text names
one of the modules involved (``needs_walk``). Qualnames follow the scanner (``f``,
``C.m``, ``f.<locals>.g``); each function's own body is walked, not nested ones (those
are functions of their own, reached through the call graph).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from asyncify.parsing import parse_module

THREAD_BOUND_CALLS: dict[str, str] = {
    "signal.signal": "only the main thread may install signal handlers",
    "signal.set_wakeup_fd": "only the main thread may set the wake-up fd",
    "signal.pthread_sigmask": "it changes the signal mask of the thread it runs in",
    "threading.current_thread": "the answer differs in a worker thread",
    "threading.currentThread": "the answer differs in a worker thread",
    "threading.main_thread": "a main-thread check fails in a worker thread",
    "threading.get_ident": "the answer differs in a worker thread",
    "threading.get_native_id": "the answer differs in a worker thread",
    "_thread.get_ident": "the answer differs in a worker thread",
}
"""Calls whose effect or answer depends on the calling thread."""

_LOCAL_TYPES = frozenset({"threading.local", "_threading_local.local"})
_CONTEXT_VARS = frozenset({"contextvars.ContextVar"})
_WORDS = ("threading", "contextvars", "ContextVar", "signal", "_thread")

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def needs_walk(text: str) -> bool:
    """A cheap filter: only a text naming one of the modules involved can bind code to
    its thread."""
    return any(word in text for word in _WORDS)


def thread_bound_functions(text: str) -> dict[str, str]:
    """``{qualname: why}`` for the functions of the module whose own body is bound to its
    thread (a ``SyntaxError`` propagates; the scan has parsed the file already)."""
    tree = parse_module(text)
    names = _import_names(tree)
    globals_ = _typed_globals(tree, names)
    out: dict[str, str] = {}
    by_class: dict[int, set[str]] = {}  # each class walked once, not once per method
    for qualname, node, owner in _functions(tree.body, "", "module", None):
        attributes: set[str] = set()
        if owner is not None:
            if id(owner) not in by_class:
                by_class[id(owner)] = _local_attributes(owner, names)
            attributes = by_class[id(owner)]
        reason = _own_reason(node, names, globals_, attributes)
        if reason is not None:
            out[qualname] = reason
    return out


def _import_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, from every absolute import in the module (flat)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _resolve(node: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, names)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _constructed(value: ast.expr | None, names: dict[str, str], types: frozenset[str]) -> bool:
    return isinstance(value, ast.Call) and _resolve(value.func, names) in types


def _typed_globals(tree: ast.Module, names: dict[str, str]) -> dict[str, str]:
    """Module globals holding a thread-local (``"local"``) or a ContextVar (``"var"``)."""
    found: dict[str, str] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Name):
                if _constructed(value, names, _LOCAL_TYPES):
                    found[target.id] = "local"
                elif _constructed(value, names, _CONTEXT_VARS):
                    found[target.id] = "var"
    return found


def _functions(
    body: list[ast.stmt], scope: str, kind: str, owner: ast.ClassDef | None
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.ClassDef | None]]:
    """Every function with its scanner qualname and, for methods, their class."""
    for node in body:
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            if kind == "module":
                local = node.name
            elif kind == "class":
                local = f"{scope}.{node.name}"
            else:
                local = f"{scope}.<locals>.{node.name}"
            if isinstance(node, ast.ClassDef):
                yield from _functions(node.body, local, "class", node)
            else:
                yield local, node, owner if kind == "class" else None
                yield from _functions(node.body, local, "function", None)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _functions([child], scope, kind, owner)


def _local_attributes(owner: ast.ClassDef, names: dict[str, str]) -> set[str]:
    """``self.x = threading.local()`` in any method of the class: the attributes."""
    found = set()
    for node in ast.walk(owner):
        if isinstance(node, ast.Assign) and _constructed(node.value, names, _LOCAL_TYPES):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    found.add(target.attr)
    return found


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(
            c for c in ast.iter_child_nodes(node) if not isinstance(c, (*_FUNCTIONS, ast.ClassDef, ast.Lambda))
        )


def _own_reason(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    names: dict[str, str],
    globals_: dict[str, str],
    attributes: set[str],
) -> str | None:
    args = function.args
    params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a]
    self_name = params[0] if params else None
    nodes = list(_own_nodes(function))
    shadowed = set(params) | {n.id for n in nodes if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    for node in nodes:
        if isinstance(node, ast.Call):
            target = _resolve(node.func, names)
            if target in THREAD_BOUND_CALLS:
                return f"calls {target}() ({THREAD_BOUND_CALLS[target]})"
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("set", "reset")
                and isinstance(func.value, ast.Name)
                and globals_.get(func.value.id) == "var"
                and func.value.id not in shadowed
            ):
                return f"sets the context variable `{func.value.id}` (in a worker thread, only a copy of the context)"
        elif isinstance(node, ast.Name) and globals_.get(node.id) == "local" and node.id not in shadowed:
            return f"uses the thread-local `{node.id}` (a worker thread sees other values)"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in attributes
            and isinstance(node.value, ast.Name)
            and node.value.id == self_name
            and isinstance(node.ctx, ast.Load)
        ):
            return f"uses the thread-local `{self_name}.{node.attr}` (a worker thread sees other values)"
    return None
