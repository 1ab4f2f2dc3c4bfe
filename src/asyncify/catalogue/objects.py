"""Blocking object types: classes whose methods block, and how their objects are made.

Real async code blocks through *objects* as much as through functions: a file handle
passed in as a parameter, a ``requests.Session`` kept on ``self``, a ``pymongo``
collection reached through ``client[db][coll]``. A ``[[class]]`` table of a catalogue data
file names such a type (and the other names the same kind of object goes by, such as
``typing.TextIO`` for a file): calling any of its methods blocks, except the ones listed
``non-blocking`` (or, for a class listed with ``blocking``, only those). The scanner types
receivers; the file-level ``[returns]`` table says which factories and methods produce
which object type, and a class's ``item``/``attribute`` say what ``obj[key]`` and
``obj.name`` are (``client["db"]`` is a ``Database``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asyncify.vocabulary import CHOOSABLE_STRATEGIES, Strategy


class CatalogueError(ValueError):
    """A catalogue table (built in or from configuration) is malformed."""


@dataclass(frozen=True, slots=True)
class BlockingClass:
    """A type whose methods block, under one rule code.

    ``names[0]`` is the class as the library defines it; the others are annotations that
    mean the same kind of object (``typing.IO`` for a file). ``blocking`` (when not empty)
    lists the only methods that block; otherwise every method blocks but the
    ``non_blocking`` ones and dunders (``with f:`` is not a call of ``f.__enter__``).
    ``subresources``: a capitalised method makes another object of this type without
    I/O (boto3's generated ``s3.Bucket(name)``, ``bucket.Object(key)``). ``attribute``
    types every attribute but the ``properties``, which are plain values
    (``client.mydb`` is a Database, ``client.address`` is not).
    """

    names: tuple[str, ...]
    code: str
    family: str
    non_blocking: frozenset[str] = frozenset()
    blocking: frozenset[str] = frozenset()
    item: str | None = None
    attribute: str | None = None
    strategies: tuple[Strategy, ...] = (Strategy.WRAP,)
    alternative: str | None = None
    thread_affine: bool = False
    subresources: bool = False
    properties: frozenset[str] = frozenset()

    def blocks(self, method: str) -> bool:
        if method.startswith("__") and method.endswith("__"):
            return False
        if self.subresources and method[:1].isupper():
            return False
        if self.blocking:
            return method in self.blocking
        return method not in self.non_blocking


_CLASS_KEYS = frozenset(
    {"names", "code", "non-blocking", "blocking", "item", "attribute", "strategies", "alternative", "thread-affine"}
    | {"subresources", "properties"}
)


def _dotted(value: object) -> bool:
    return isinstance(value, str) and bool(value) and all(part.isidentifier() for part in value.split("."))


def _method_names(table: dict[str, Any], key: str, where: str) -> frozenset[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.isidentifier() for v in value):
        raise CatalogueError(f"{where}: {key!r} must be a list of method or attribute names")
    return frozenset(value)


def class_from_table(table: dict[str, Any], family: str, default_code: str, where: str) -> BlockingClass:
    """A ``[[class]]`` table as a ``BlockingClass``, naming ``where`` in every error."""
    unknown = sorted(set(table) - _CLASS_KEYS)
    if unknown:
        raise CatalogueError(f"{where}: unknown key {unknown[0]!r} (expected one of {', '.join(sorted(_CLASS_KEYS))})")
    names = table.get("names")
    if not isinstance(names, list) or not names or not all(_dotted(n) and "." in n for n in names):
        raise CatalogueError(f"{where}: 'names' must be a list of dotted class names such as 'mylib.Client'")
    non_blocking = _method_names(table, "non-blocking", where)
    blocking = _method_names(table, "blocking", where)
    properties = _method_names(table, "properties", where)
    if blocking and non_blocking:
        raise CatalogueError(f"{where}: list 'blocking' or 'non-blocking' for {names[0]!r}, not both")
    for key in ("item", "attribute", "alternative", "code"):
        if key in table and not isinstance(table[key], str):
            raise CatalogueError(f"{where}: {key!r} for {names[0]!r} must be a string")
    for key in ("item", "attribute"):
        if key in table and not _dotted(table[key]):
            raise CatalogueError(f"{where}: {key!r} for {names[0]!r} must be a dotted type name")
    strategies = table.get("strategies", [Strategy.WRAP])
    if not isinstance(strategies, list) or not all(s in CHOOSABLE_STRATEGIES for s in strategies):
        raise CatalogueError(f"{where}: 'strategies' for {names[0]!r} must be a list drawn from wrap, ...")
    affine, subresources = table.get("thread-affine", False), table.get("subresources", False)
    if not isinstance(affine, bool) or not isinstance(subresources, bool):
        raise CatalogueError(f"{where}: 'thread-affine' and 'subresources' for {names[0]!r} must be true or false")
    return BlockingClass(
        names=tuple(names),
        code=table.get("code", default_code),
        family=family,
        non_blocking=non_blocking,
        blocking=blocking,
        item=table.get("item"),
        attribute=table.get("attribute"),
        strategies=tuple(Strategy(s) for s in strategies),
        alternative=table.get("alternative"),
        thread_affine=affine,
        subresources=subresources,
        properties=properties,
    )


def returns_from_table(table: object, where: str) -> dict[str, str]:
    """A ``[returns]`` table: factory or method qualified name -> the type it returns."""
    if not isinstance(table, dict):
        raise CatalogueError(f"{where}: 'returns' must be a table of \"callable\" = \"type\"")
    for key, value in table.items():
        if not _dotted(key) or not _dotted(value):
            raise CatalogueError(f"{where}: returns {key!r} = {value!r}: both must be dotted qualified names")
    return dict(table)
