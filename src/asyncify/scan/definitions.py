"""Function and class headers: the records and scopes a definition opens.

A function's scope knows its parameters (shadowing module names; typed by their
annotations), whether it is a method and what ``self``/``cls`` is called, and the
enclosing function (closures see its names). A class's scope collects the attribute
types declared in its body before the body is scanned, so methods defined early see
attributes annotated later.
"""

from __future__ import annotations

import ast

from asyncify.scan.frames import Frames, FunctionRecord
from asyncify.scan.positions import Positions
from asyncify.scan.scope import ClassScope, FunctionScope, ModuleScope, Resolver
from asyncify.scan.summary import Param
from asyncify.scan.typeexpr import coroutine

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


def function_record(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    decorators: tuple[str, ...],
    frames: Frames,
    positions: Positions,
) -> FunctionRecord:
    """The record of a function about to be scanned, with its scope set up."""
    resolver = frames.resolver
    parent = frames.function
    owner = frames.class_body
    scope = FunctionScope(parent=parent.scope if not parent.is_module else None)
    args = node.args
    positional = args.posonlyargs + args.args if args.posonlyargs else args.args
    params = _params(args, positional)
    shadowed, types = scope.shadowed, scope.types
    for group in (positional, args.kwonlyargs):
        for arg in group:
            shadowed.add(arg.arg)
            if arg.annotation is not None:
                typed = resolver.annotation(arg.annotation)
                if typed is not None:
                    types[arg.arg] = typed
    if args.vararg is not None:
        shadowed.add(args.vararg.arg)
    if args.kwarg is not None:
        shadowed.add(args.kwarg.arg)
    if owner is not None:
        scope.owner = owner
        if positional and "staticmethod" not in decorators:
            scope.self_name = positional[0].arg
        scope.is_classmethod = "classmethod" in decorators
    elif parent.scope.owner is not None and parent.scope.self_name not in shadowed:
        scope.owner, scope.self_name = parent.scope.owner, parent.scope.self_name
    return FunctionRecord(
        qualname=qualname,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        span=positions.span(node),
        scope=scope,
        params=params,
        class_name=owner.local_qualname if owner else None,
        decorators=decorators,
        returns=resolver.annotation(node.returns) if node.returns is not None else None,
        param_names=frozenset([p.name for p in params]),
    )


def class_scope(node: ast.ClassDef, local: str, module: ModuleScope, resolver: Resolver) -> ClassScope:
    """The scope of a class: resolved bases, annotated attributes, method return types."""
    bases = tuple(b for b in (resolver.dotted(base) for base in node.bases) if b is not None)
    owner = ClassScope(qualname=f"{module.module}.{local}", local_qualname=local, bases=bases)
    module.classes[owner.qualname] = owner
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            typed = resolver.annotation(stmt.annotation)
            if typed is not None:
                owner.attributes[stmt.target.id] = typed
        elif isinstance(stmt, FUNCTION_NODES):
            returned = resolver.annotation(stmt.returns)
            if returned is not None:
                async_def = isinstance(stmt, ast.AsyncFunctionDef)
                module.returns[f"{owner.qualname}.{stmt.name}"] = coroutine(returned) if async_def else returned
    return owner


def decorator_name(node: ast.expr, resolver: Resolver) -> str:
    """A decorator as a resolved name when possible, else its dotted text."""
    if isinstance(node, ast.Call):
        node = node.func
    resolved = resolver.dotted(node)
    if resolved is not None:
        return resolved.removeprefix("builtins.")
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts)) or "<expr>"


def _params(args: ast.arguments, positional: list[ast.arg]) -> tuple[Param, ...]:
    """(``tuple.__new__`` builds the records: the NamedTuple's own ``__new__`` is Python code.)"""
    result: list[Param] = []
    defaults = args.defaults
    first_default = len(positional) - len(defaults)
    for index, arg in enumerate(positional):
        default = defaults[index - first_default] if index >= first_default else None
        result.append(tuple.__new__(Param, (arg.arg, True, _is_none(default), default is not None)))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        result.append(tuple.__new__(Param, (arg.arg, False, _is_none(default), default is not None)))
    return tuple(result)


def _is_none(node: ast.expr | None) -> bool:
    return type(node) is ast.Constant and node.value is None
