"""Deferred types, evaluated with the whole project in view.

The scanner writes a type that depends on another module as where it comes from and the
operations applied since (``scan.typeexpr``): the return type of a function defined
elsewhere, an attribute of a class defined elsewhere, then ``await``, ``.items()``,
iteration, unpacking, subscripts. Here the origin is looked up in the project (function
and method annotations, ``async def`` results awaited, class attributes through project
bases, module-level instances) and the operations applied in order. Anything not found
is unknown (``None``): a deferred type never guesses.

Call sites whose receiver had a deferred type (``CallKind.DEFERRED``) are turned into
ordinary sites before the analysis reads them (``concretise``): ``Path#read_text``
becomes the qualified ``pathlib.Path.read_text``; an unknown receiver keeps the guess the
scanner would have made (a distinctive method name) or is dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from asyncify.catalogue import load_builtin_catalogue
from asyncify.scan.receivers import PATH, PATH_ATTRIBUTES, PATH_RETURNING_METHODS, normalise_type
from asyncify.scan.summary import CallKind, CallSite, FunctionSummary, ModuleSummary
from asyncify.scan.typeexpr import (
    awaited,
    base_of,
    container_method,
    coroutine,
    element,
    is_deferred,
    parse_index,
    split,
    subscript,
)

MAX_DEPTH = 8
"""Deferred types found while evaluating one (an attribute typed by another function's
result) are followed this deep; cycles end there."""


class Lookup(Protocol):
    """What evaluation needs of the project index."""

    def returns_of(self, name: str) -> tuple[str | None, bool] | None: ...

    def class_named_qualified(self, name: str) -> str | None: ...

    def method_returns(self, class_name: str, method: str) -> tuple[str | None, bool] | None: ...

    def class_attribute(self, name: str) -> str | None: ...


class DeferredTypes:
    """Evaluates deferred types against the project (each distinct one once)."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.catalogue_returns = load_builtin_catalogue().returns
        """Library factories' and methods' object types (``sqlite3.Connection.cursor``)."""
        self._cache: dict[str, str | None] = {}

    def evaluate(self, typed: str | None, depth: int = 0) -> str | None:
        """The concrete type ``typed`` stands for (itself when not deferred), or ``None``."""
        if typed is None or not is_deferred(typed):
            return typed or None
        if typed in self._cache:
            return self._cache[typed]
        if depth > MAX_DEPTH:
            return None
        self._cache[typed] = None  # a cycle through this type is unknown
        origin, *operations = typed[1:].split("|")
        kind, _, name = origin.partition(":")
        current = self._called(name) if kind == "call" else name
        for operation in operations:
            if current is None:
                break
            current = self.evaluate(self._apply(current, operation, depth), depth + 1)
        self._cache[typed] = current
        return current

    def _called(self, name: str) -> str | None:
        """What calling the project name ``name`` gives: an instance of a class, or the
        declared return type of a function (a coroutine of it for an ``async def``)."""
        cls = self.lookup.class_named_qualified(name)
        if cls is not None:
            return cls
        found = self.lookup.returns_of(name)
        return _result(found)

    def _apply(self, typed: str, operation: str, depth: int) -> str | None:
        if operation == "await":
            return awaited(typed)
        if operation == "iter":
            return element(typed)
        if operation.startswith("["):
            return subscript(typed, parse_index(operation))
        if operation.endswith("()"):
            return self._method(typed, operation[1:-2])
        return self._attribute(typed, operation[1:], depth)

    def _method(self, typed: str, method: str) -> str | None:
        if typed == PATH:
            return PATH if method in PATH_RETURNING_METHODS else None
        known = self.catalogue_returns.get(f"{typed}.{method}")
        if known is not None:
            return known
        if split(typed)[1]:
            return container_method(typed, method)
        return _result(self.lookup.method_returns(typed, method))

    def _attribute(self, typed: str, attribute: str, depth: int) -> str | None:
        if typed == PATH:
            return PATH if attribute in PATH_ATTRIBUTES else None
        return self.evaluate(self.lookup.class_attribute(f"{base_of(typed)}.{attribute}"), depth + 1)

    def site(self, site: CallSite) -> CallSite | None:
        """A ``CallKind.DEFERRED`` site as the analysis reads it, or ``None`` to drop it."""
        receiver, _, method = site.target.rpartition("#")
        guess = method.startswith("~")
        method = method.removeprefix("~")
        typed = self.evaluate(receiver)
        if typed is not None:
            target = f"{normalise_type(base_of(typed))}.{method}"
            return tuple.__new__(CallSite, (target, CallKind.QUALIFIED, *site[2:]))
        if guess:
            return tuple.__new__(CallSite, (method, CallKind.GUESS, *site[2:]))
        return None


def _result(found: tuple[str | None, bool] | None) -> str | None:
    if found is None:
        return None
    returns, is_async = found
    if returns is None:
        return None
    return coroutine(returns) if is_async else returns


def concretise(module: ModuleSummary, types: DeferredTypes) -> ModuleSummary:
    """``module`` with every deferred call site turned into what the analysis reads."""
    functions = []
    for function in module.functions:
        if not any(site.kind is CallKind.DEFERRED for site in function.calls):
            functions.append(function)
            continue
        sites = []
        for site in function.calls:
            if site.kind is CallKind.DEFERRED:
                resolved = types.site(site)
                if resolved is not None:
                    sites.append(resolved)
            else:
                sites.append(site)
        functions.append(_with_calls(function, tuple(sites)))
    return replace(module, functions=tuple(functions), deferred=False)


def _with_calls(function: FunctionSummary, calls: tuple[CallSite, ...]) -> FunctionSummary:
    return function._replace(calls=calls)
