"""Name and type resolution for the scanner: what a name or expression refers to.

Resolution is lexical and deliberately shallow: imports and definitions of the module,
imports and nested definitions of the enclosing function, parameter annotations, and
the types of simple assignments in source order. A name that resolves to nothing is
``None`` and the call is not guessed at (except for the catalogue's distinctive method
names, which the caller handles).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field

from asyncify.scan.context import ScanContext
from asyncify.scan.receivers import (
    PATH,
    PATH_ATTRIBUTES,
    PATH_FACTORIES,
    PATH_RETURNING_METHODS,
    normalise_type,
)
from asyncify.scan.typeexpr import (
    CONTAINERS,
    UNKNOWN,
    awaited,
    container_method,
    defer,
    generic,
    is_deferred,
    subscript,
)

_STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
_BUILTIN_CONTAINERS = frozenset({"dict", "list", "set", "frozenset", "tuple"})

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
    variables and parameters -> type qualname (CONFLICT when ambiguous), as they are at
    the point of the walk (``scan.branches``). ``shadowed``:
    every local binding (parameters, assignments) that hides a module-level name.
    ``parent``: the enclosing function, whose names and types a closure can see.
    (A plain class with slots: one is made per function scanned.)
    """

    __slots__ = ("is_classmethod", "names", "owner", "parent", "pinned", "self_name", "shadowed", "types")

    def __init__(self, parent: FunctionScope | None = None) -> None:
        self.names: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.shadowed: set[str] = set()
        self.self_name: str | None = None
        self.owner: ClassScope | None = None
        self.is_classmethod = False
        self.parent = parent
        self.pinned: frozenset[str] = frozenset()
        """Names typed before the innermost loop being scanned (``scan.branches``)."""


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
        if type(node) is ast.Await:
            return self._awaited_type(node)
        if type(node) is ast.Subscript:
            return self._subscript_type(node)
        if type(node) is ast.NamedExpr:
            return self.type_of(node.value)
        if type(node) is ast.IfExp:
            body = self.type_of(node.body)
            return body if body is not None and body == self.type_of(node.orelse) else None
        return None

    def _awaited_type(self, node: ast.Await) -> str | None:
        typed = self.type_of(node.value)
        if typed is None:
            return None
        return defer(typed, "await") if is_deferred(typed) else awaited(typed)

    def _subscript_type(self, node: ast.Subscript) -> str | None:
        typed = self.type_of(node.value)
        if typed is None:
            return None
        item = self.items.get(typed)  # the catalogue's item types (``rows[0]`` of a cursor)
        if item is not None:
            return item
        key = node.slice
        index = key.value if type(key) is ast.Constant and type(key.value) is int else None
        if is_deferred(typed):
            return defer(typed, f"[{'' if index is None else index}]")
        return subscript(typed, index)

    def _elsewhere(self, typed: str, operation: str) -> str | None:
        """``operation`` on a project class this module does not define (or a base it
        does not define may): a deferred type the project index evaluates."""
        if typed.partition(".")[0] in _STDLIB or "[" in typed:
            return None
        return f"?type:{typed}|{operation}"

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
            owner = function.owner.qualname
            return self.attribute_of(owner, node.attr) or self._elsewhere(owner, "." + node.attr)
        receiver = self.type_of(node.value)
        if receiver is None:
            return None
        if is_deferred(receiver):
            return defer(receiver, "." + node.attr)
        if receiver == PATH:
            return PATH if node.attr in PATH_ATTRIBUTES else None
        typed = self.attribute_of(receiver, node.attr)
        if typed is None and f"{receiver}.{node.attr}" not in self.properties:
            typed = self.attributes.get(receiver)  # the catalogue's sub-objects (``client.files``)
        return typed or self._elsewhere(receiver, "." + node.attr)

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
            if callee.partition(".")[0] in _STDLIB or callee.startswith(self.module.module + "."):
                return None
            return f"?call:{callee}"  # defined in another module: its annotation decides
        if type(func) is ast.Attribute:
            receiver = self.type_of(func.value)
            if receiver is None:
                return None
            operation = f".{func.attr}()"
            if is_deferred(receiver):
                return defer(receiver, operation)
            if receiver == PATH and func.attr in PATH_RETURNING_METHODS:
                return PATH
            if receiver in self.subresources and func.attr[:1].isupper():
                return receiver
            method = f"{receiver}.{func.attr}"
            known = self.returns.get(method) or self.module.returns.get(method)
            if known is not None:
                return known
            return container_method(receiver, func.attr) or self._elsewhere(receiver, operation)
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
            if outer is None and type(node.value) is ast.Name and node.value.id in _BUILTIN_CONTAINERS:
                outer = "builtins." + node.value.id  # ``dict[str, Path]`` (a shadowing name resolves above)
            if outer is not None and outer in CONTAINERS:
                return generic(outer, [self._element_annotation(e) for e in elements])
            return self.annotation(node.value)
        return None


    def _element_annotation(self, node: ast.expr) -> str:
        """An element type of a container annotation: ``...`` kept, anything unknown ``object``."""
        if type(node) is ast.Constant and node.value is Ellipsis:
            return "..."
        if type(node) is ast.List:  # Callable[[...], R] and the like: not an element type
            return UNKNOWN
        typed = self.annotation(node)
        return typed if typed is not None and typed != "builtins.None" else UNKNOWN
