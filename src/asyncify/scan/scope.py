"""Name and type resolution for the scanner: what a name or expression refers to.

Resolution is lexical and deliberately shallow: imports and definitions of the module,
imports and nested definitions of the enclosing function, parameter annotations, and
the types of simple assignments in source order. A name that resolves to nothing is
``None`` and the call is not guessed at (except for the catalogue's distinctive method
names, which the caller handles).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from asyncify.scan.context import ScanContext
from asyncify.scan.receivers import (
    PATH,
    PATH_ATTRIBUTES,
    PATH_FACTORIES,
    PATH_RETURNING_METHODS,
    normalise_type,
)

CONFLICT = ""
"""A local whose assignments disagree on its type: treated as unknown."""


@dataclass
class ClassScope:
    """The class being scanned: its qualified name and the attribute types found so far."""

    qualname: str
    local_qualname: str
    attributes: dict[str, str] = field(default_factory=dict)
    bases: tuple[str, ...] = ()


class FunctionScope:
    """Names visible in one function body beyond the module's.

    ``names``: local imports and nested defs -> qualified names. ``types``: local
    variables and parameters -> type qualname (CONFLICT when ambiguous). ``shadowed``:
    every local binding (parameters, assignments) that hides a module-level name.
    ``parent``: the enclosing function, whose names and types a closure can see.
    (A plain class with slots: one is made per function scanned.)
    """

    __slots__ = ("is_classmethod", "names", "owner", "parent", "self_name", "shadowed", "types")

    def __init__(self, parent: FunctionScope | None = None) -> None:
        self.names: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.shadowed: set[str] = set()
        self.self_name: str | None = None
        self.owner: ClassScope | None = None
        self.is_classmethod = False
        self.parent = parent


@dataclass
class ModuleScope:
    """Module-level imports, definitions, instance types and function return types."""

    module: str
    package: str
    names: dict[str, str] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)
    returns: dict[str, str] = field(default_factory=dict)
    classes: dict[str, ClassScope] = field(default_factory=dict)
    """Classes of this module by qualified name, for attribute types through instances."""

    def resolve_relative(self, level: int, target: str | None) -> str | None:
        """``from ..x import y`` -> the absolute module ``x`` lives in."""
        if level == 0:
            return target
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts):
            return None
        base = parts[: len(parts) - (level - 1)]
        if target:
            base.append(target)
        return ".".join(base) if base else None


class Resolver:
    """Resolves names, dotted chains and expression types against the current scopes."""

    def __init__(self, module: ModuleScope, context: ScanContext) -> None:
        self.module = module
        self.builtins = context.builtins
        self.returns = context.returns
        self.items = context.items
        self.attributes = context.attributes
        self.subresources = context.subresources
        self.properties = context.properties
        self.function: FunctionScope | None = None

    def name(self, identifier: str) -> str | None:
        """The qualified name ``identifier`` refers to, if it names a module, class or function."""
        function = self.function
        while function is not None:
            found = function.names.get(identifier)
            if found is not None:
                return found
            if identifier in function.shadowed:
                return None
            function = function.parent
        found = self.module.names.get(identifier)
        if found is not None:
            return found
        if identifier in self.builtins and identifier not in self.module.instances:
            return "builtins." + identifier
        return None

    def dotted(self, node: ast.expr) -> str | None:
        """A pure ``a.b.c`` chain whose head resolves through imports or definitions."""
        if type(node) is ast.Name:
            return self.name(node.id)
        if type(node) is ast.Attribute:
            base = self.dotted(node.value)
            if base is not None:
                return normalise_type(base) + "." + node.attr
        return None

    def type_of(self, node: ast.expr) -> str | None:
        """The type qualname of the value ``node`` evaluates to, when it is known."""
        if type(node) is ast.Name:
            return self._name_type(node.id)
        if type(node) is ast.Attribute:
            return self._attribute_type(node)
        if type(node) is ast.Call:
            return self._call_type(node)
        if type(node) is ast.BinOp:
            if type(node.op) is ast.Div and (self.type_of(node.left) == PATH or self.type_of(node.right) == PATH):
                return PATH
            return None
        if type(node) is ast.Subscript:
            container = self.type_of(node.value)
            return self.items.get(container) if container is not None else None
        if type(node) is ast.NamedExpr:
            return self.type_of(node.value)
        if type(node) is ast.IfExp:
            body = self.type_of(node.body)
            return body if body is not None and body == self.type_of(node.orelse) else None
        return None

    def _name_type(self, identifier: str) -> str | None:
        function = self.function
        while function is not None:
            if identifier == function.self_name and function.owner is not None:
                return function.owner.qualname
            if identifier in function.types:
                return function.types[identifier] or None
            if identifier in function.shadowed:
                return None
            function = function.parent
        return self.module.instances.get(identifier) or None

    def attribute_of(self, class_name: str, attribute: str) -> str | None:
        """An attribute's type on a class of this module or its bases in this module."""
        seen: set[str] = set()
        pending = [class_name]
        while pending:
            current = self.module.classes.get(pending.pop())
            if current is None or current.qualname in seen:
                continue
            seen.add(current.qualname)
            typed = current.attributes.get(attribute)
            if typed:
                return typed
            pending.extend(reversed(current.bases))
        return None

    def _attribute_type(self, node: ast.Attribute) -> str | None:
        function = self.function
        if (
            function is not None
            and function.owner is not None
            and type(node.value) is ast.Name
            and node.value.id == function.self_name
        ):
            return self.attribute_of(function.owner.qualname, node.attr)
        receiver = self.type_of(node.value)
        if receiver == PATH:
            return PATH if node.attr in PATH_ATTRIBUTES else None
        if receiver is None:
            return None
        typed = self.attribute_of(receiver, node.attr)
        if typed is None and f"{receiver}.{node.attr}" not in self.properties:
            typed = self.attributes.get(receiver)
        return typed

    def _call_type(self, node: ast.Call) -> str | None:
        func = node.func
        callee = self.dotted(func)
        if callee is not None:
            callee = normalise_type(callee)
            if callee == PATH or callee in PATH_FACTORIES:
                return PATH
            known = self.returns.get(callee)
            if known is not None:
                return known
            returned = self.module.returns.get(callee)
            if returned is not None:
                return returned
            if callee.rsplit(".", 1)[-1][:1].isupper() and not callee.startswith("builtins."):
                return callee
            return None
        if type(func) is ast.Attribute:
            receiver = self.type_of(func.value)
            if receiver == PATH and func.attr in PATH_RETURNING_METHODS:
                return PATH
            if receiver in self.subresources and func.attr[:1].isupper():
                return receiver
            if receiver is not None:
                method = f"{receiver}.{func.attr}"
                return self.returns.get(method) or self.module.returns.get(method)
        return None

    def annotation(self, node: ast.expr | None) -> str | None:
        """The class an annotation names: ``Path``, ``Optional[Path]``, ``Path | None``, ``"Path"``."""
        if node is None:
            return None
        kind = type(node)
        if kind is ast.Name or kind is ast.Attribute:
            dotted = self.dotted(node)
            if dotted is None or dotted.startswith("builtins."):
                return None
            return normalise_type(dotted)
        if type(node) is ast.Constant:
            if node.value is None:
                return "builtins.None"
            if not isinstance(node.value, str):
                return None
            try:
                parsed = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
            return self.annotation(parsed)
        if type(node) is ast.BinOp:
            if type(node.op) is not ast.BitOr:
                return None
            left, right = self.annotation(node.left), self.annotation(node.right)
            if left is None or left == "builtins.None":
                return right
            return left if right is None or right == "builtins.None" else None
        if type(node) is ast.Subscript:
            outer = self.dotted(node.value)
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if outer in ("typing.Optional", "typing.Annotated", "typing_extensions.Annotated"):
                return self.annotation(elements[0])
            if outer == "typing.Union":
                found = {self.annotation(e) for e in elements} - {"builtins.None"}
                return found.pop() if len(found) == 1 else None
            return self.annotation(node.value)
        return None

