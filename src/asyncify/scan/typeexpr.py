"""Types as strings: plain classes, container element types, and deferred types.

A type is the qualified name of a class (``pathlib.Path``, ``pkg.db.DB``). A container
the code annotates keeps its element types, written like the annotation with every name
resolved: ``builtins.dict[builtins.str,pathlib.Path]``, ``builtins.tuple[pkg.A,...]``.
An ``async def`` called without ``await`` gives ``typing.Coroutine[T]``.

A scanner sees one module, so a type that depends on another module (the return type of
a function defined there, an attribute of a class defined there) is *deferred*: where it
comes from and what was done to it since, e.g.
``?type:pkg.dl.Downloader|.download_scripts()|await|.items()|iter|[1]``. The project
index evaluates deferred types (``analysis.deferred``) with the same operations below.
Origins: ``call:QN`` (what calling the project name ``QN`` returns) and ``type:T``.
Operations: ``.attr``, ``.method()``, ``await``, ``iter`` (an element when iterated), and
``[N]`` / ``[]`` (a subscript with the integer ``N`` / with anything else).
"""

from __future__ import annotations

DEFERRED = "?"
UNKNOWN = "builtins.object"
"""An element type the annotation leaves open (``dict[str, Any]``)."""
COROUTINE = "typing.Coroutine"
MAX_OPERATIONS = 8
"""A longer chain of operations on a deferred type is not followed (the type is unknown)."""

_ABC = ("typing.", "collections.abc.")
_SEQUENCES = frozenset(
    {"builtins.list", "builtins.set", "builtins.frozenset", "collections.deque", "typing.List", "typing.Set"}
    | {"typing.FrozenSet", "typing.Deque"}
    | {
        prefix + name
        for prefix in _ABC
        for name in (
            "Iterator",
            "Iterable",
            "Generator",
            "Sequence",
            "MutableSequence",
            "Collection",
            "AbstractSet",
            "MutableSet",
            "KeysView",
            "ValuesView",
            "AsyncIterator",
            "AsyncIterable",
            "AsyncGenerator",
            "Reversible",
        )
    }
)
_MAPPINGS = frozenset(
    {"builtins.dict", "collections.defaultdict", "collections.OrderedDict", "collections.Counter"}
    | {"typing.Dict", "typing.DefaultDict", "typing.OrderedDict", "typing.Counter"}
    | {prefix + name for prefix in _ABC for name in ("Mapping", "MutableMapping")}
)
_TUPLES = frozenset({"builtins.tuple", "typing.Tuple"})
_AWAITABLES = frozenset({prefix + name for prefix in _ABC for name in ("Awaitable", "Coroutine")})
_INDEXABLE = frozenset({"list", "List", "Sequence", "MutableSequence", "deque", "Deque"})
CONTAINERS = _SEQUENCES | _MAPPINGS | _TUPLES | _AWAITABLES
"""Generic classes whose element types are kept (every other generic is its class alone)."""


def is_deferred(typed: str) -> bool:
    return typed[:1] == DEFERRED


def defer(typed: str, operation: str) -> str | None:
    """``typed`` (deferred) with one more operation; ``None`` past ``MAX_OPERATIONS``."""
    return None if typed.count("|") >= MAX_OPERATIONS else f"{typed}|{operation}"


def generic(base: str, args: list[str]) -> str:
    return f"{base}[{','.join(args)}]"


def split(typed: str) -> tuple[str, list[str]]:
    """``base[a,b[c,d]]`` -> ``("base", ["a", "b[c,d]"])``; a plain class has no arguments."""
    start = typed.find("[")
    if start < 0 or not typed.endswith("]"):
        return typed, []
    args, depth, current = [], 0, start + 1
    for position in range(start + 1, len(typed) - 1):
        char = typed[position]
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            args.append(typed[current:position])
            current = position + 1
    args.append(typed[current:-1])
    return typed[:start], args


def base_of(typed: str) -> str:
    """The class of a type, without element types."""
    return typed.partition("[")[0]


def _known(typed: str) -> str | None:
    return None if typed == UNKNOWN or typed == "..." else typed


def element(typed: str) -> str | None:
    """What iterating over a value of this type gives (a mapping: its keys)."""
    base, args = split(typed)
    if not args:
        return None
    if base in _SEQUENCES or base in _MAPPINGS:
        return _known(args[0])
    if base in _TUPLES:
        if len(args) == 2 and args[1] == "...":
            return _known(args[0])
        return _known(args[0]) if len(set(args)) == 1 else None
    return None


def subscript(typed: str, index: int | None) -> str | None:
    """``value[index]`` (``index`` None: not an integer literal)."""
    base, args = split(typed)
    if not args:
        return None
    if base in _MAPPINGS:
        return _known(args[1]) if len(args) == 2 else None
    if base in _TUPLES:
        if len(args) == 2 and args[1] == "...":
            return _known(args[0])
        if index is not None and -len(args) <= index < len(args):
            return _known(args[index])
        return None
    if base in _SEQUENCES and base.rpartition(".")[2] in _INDEXABLE:
        return _known(args[0])
    return None


def container_method(typed: str, method: str) -> str | None:
    """What ``items()``, ``values()``, ``keys()``, ``get()``, ``pop()``, ``copy()`` return."""
    base, args = split(typed)
    if not args:
        return None
    if base in _MAPPINGS and len(args) == 2:
        key, value = args
        if method == "items":
            return generic("builtins.list", [generic("builtins.tuple", [key, value])])
        if method == "values":
            return generic("builtins.list", [value])
        if method == "keys":
            return generic("builtins.list", [key])
        if method in ("get", "pop", "setdefault"):
            return _known(value)
    if method == "copy":
        return typed
    if method == "pop" and base in _SEQUENCES:
        return _known(args[0])
    return None


def awaited(typed: str) -> str | None:
    """What ``await`` on a value of this type gives."""
    base, args = split(typed)
    if base in _AWAITABLES or base == COROUTINE:
        return _known(args[-1]) if args else None
    return None


def coroutine(returns: str) -> str:
    """What calling an ``async def`` annotated ``-> returns`` gives, before ``await``."""
    return generic(COROUTINE, [returns])


def parse_index(operation: str) -> int | None:
    """``[2]`` -> 2, ``[]`` -> None."""
    inner = operation[1:-1]
    return int(inner) if inner.lstrip("-").isdigit() else None
