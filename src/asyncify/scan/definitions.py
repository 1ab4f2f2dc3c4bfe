"""Function and class headers: the records and scopes a definition opens.

A function's scope knows its parameters (shadowing module names; typed by their
annotations), whether it is a method and what ``self``/``cls`` is called, and the
enclosing function (closures see its names). A class's scope collects the attribute
types declared in its body before the body is scanned, so methods defined early see
attributes annotated later.
"""

from __future__ import annotations

import ast

from asyncify.scan.frames import FunctionRecord, Frames
from asyncify.scan.positions import Positions
from asyncify.scan.scope import ClassScope, FunctionScope, ModuleScope, Resolver
from asyncify.scan.summary import Param

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
    params = _params(node.args)
    for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
        scope.shadowed.add(arg.arg)
        typed = resolver.annotation(arg.annotation)
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
    return FunctionRecord(
        qualname=qualname,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        span=positions.span(node),
        scope=scope,
        params=params,
        class_name=owner.local_qualname if owner else None,
        decorators=decorators,
        returns=resolver.annotation(node.returns),
        param_names=frozenset(p.name for p in params),
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
                module.returns[f"{owner.qualname}.{stmt.name}"] = returned
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


def _params(args: ast.arguments) -> tuple[Param, ...]:
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    result = [
        Param(a.arg, True, isinstance(d, ast.Constant) and d.value is None, d is not None)
        for a, d in zip(positional, defaults, strict=True)
    ]
    result += [
        Param(a.arg, False, isinstance(d, ast.Constant) and d.value is None, d is not None)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    return tuple(result)
