"""Blocking APIs as data.

The entries live in ``data/*.toml``, one file per family (file I/O, pathlib, sleep, ...),
so that adding a blocking API is one table row. Users add their own through
``extra-blocking-calls`` in ``[tool.asyncify]``. An entry is keyed by the qualified name
the scanner resolves calls to (``pathlib.Path.read_text``, ``time.sleep``), never by the
text at the call site.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from asyncify.catalogue.objects import BlockingClass, CatalogueError, class_from_table, returns_from_table
from asyncify.vocabulary import CHOOSABLE_STRATEGIES, Strategy

STRATEGIES = CHOOSABLE_STRATEGIES
__all__ = ["BlockingCatalogue", "BlockingClass", "CatalogueEntry", "CatalogueError", "load_builtin_catalogue"]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One blocking API.

    ``guess`` lets a method be reported (confidence ``likely``) when the receiver's type
    is unknown but the method name is distinctive; ``likely`` marks APIs that block only
    for some arguments (``yaml.safe_load`` over a file, not over a string).
    ``thread_affine`` objects must stay on the thread that made them. ``alternative``
    names the async library or API that does the same without blocking (the message
    points to it).
    """

    name: str
    code: str
    family: str
    strategies: tuple[Strategy, ...] = (Strategy.WRAP,)
    message: str | None = None
    guess: bool = False
    likely: bool = False
    thread_affine: bool = False
    alternative: str | None = None

    @property
    def method(self) -> str:
        return self.name.rsplit(".", 1)[-1]


class BlockingCatalogue:
    """Lookup of blocking APIs by qualified name, and by method name for guesses.

    A method of a blocking class (``requests.Session.get``) is found through its class
    when no entry names it: the entry is made from the class (and kept). Entries of the
    configuration may be patterns: ``mylib.*`` (everything under a module or class) and
    ``*.fetch`` (the method on any receiver, typed or not).
    """

    def __init__(
        self,
        entries: list[CatalogueEntry],
        classes: list[BlockingClass] | None = None,
        returns: dict[str, str] | None = None,
    ) -> None:
        self._by_name: dict[str, CatalogueEntry] = {}
        for entry in entries:
            self._by_name[entry.name] = entry
        self._class_list = list(classes or ())
        self._classes: dict[str, BlockingClass] = {}
        for cls in self._class_list:
            for name in cls.names:
                self._classes.setdefault(name, cls)
        self.returns: dict[str, str] = dict(returns or {})
        """Factory or method -> the object type it returns (``sqlite3.connect`` -> ``sqlite3.Connection``);
        a method's row holds for every name of its class (``sqlalchemy.Engine.connect``)."""
        for made_by, typed in list(self.returns.items()):
            owner, _, method = made_by.rpartition(".")
            found = self._classes.get(owner)
            for alias in found.names if found is not None else ():
                self.returns.setdefault(f"{alias}.{method}", typed)
        self._made: dict[str, CatalogueEntry] = {}
        """Entries made from classes and patterns, kept so that a name is one entry object
        (misses are not kept: most call targets of a project are no entry at all)."""
        self._prefixes = {e.name[:-2]: e for e in entries if e.name.endswith(".*")}
        self._any_receiver = {e.name[2:]: e for e in entries if e.name.startswith("*.")}
        self._guesses: dict[str, CatalogueEntry] = {}
        for entry in self._by_name.values():
            if entry.guess:
                self._guesses.setdefault(entry.method, entry)
        self._guesses.update(self._any_receiver)

    def __len__(self) -> int:
        return len(self._by_name)

    def entries(self) -> list[CatalogueEntry]:
        return sorted(self._by_name.values(), key=lambda e: (e.family, e.name))

    def lookup(self, name: str) -> CatalogueEntry | None:
        entry = self._by_name.get(name)
        if entry is not None or not (self._classes or self._prefixes or self._any_receiver):
            return entry
        made = self._made.get(name)
        if made is None:
            made = self._method_entry(name)
            if made is not None:
                self._made[name] = made
        return made

    def _method_entry(self, name: str) -> CatalogueEntry | None:
        owner, _, method = name.rpartition(".")
        pattern = self._pattern(name, method)
        if pattern is not None:
            return replace(pattern, name=name)
        cls = self._classes.get(owner)
        if cls is None or not cls.blocks(method):
            return None
        return CatalogueEntry(
            name=name,
            code=cls.code,
            family=cls.family,
            strategies=cls.strategies,
            thread_affine=cls.thread_affine,
            alternative=cls.alternative,
        )

    def _pattern(self, name: str, method: str) -> CatalogueEntry | None:
        """The ``module.*`` or ``*.method`` entry that covers ``name``, if any."""
        if self._prefixes:
            owner = name
            while "." in owner:
                owner = owner.rpartition(".")[0]
                if owner in self._prefixes:
                    return self._prefixes[owner]
        return self._any_receiver.get(method)

    def is_pattern(self, entry: CatalogueEntry) -> bool:
        """A ``*.method`` entry: a call of it is certain whatever the receiver."""
        return entry.method in self._any_receiver and self._any_receiver[entry.method] is entry

    def blocking_class(self, name: str) -> BlockingClass | None:
        """The blocking class ``name`` is (by any of its names), if it is one."""
        return self._classes.get(name)

    def classes(self) -> list[BlockingClass]:
        return list(self._class_list)

    @property
    def class_names(self) -> frozenset[str]:
        return frozenset(self._classes)

    @property
    def items(self) -> dict[str, str]:
        """Blocking type -> the type of ``obj[key]`` (``MongoClient`` -> ``Database``)."""
        return {name: cls.item for name, cls in self._classes.items() if cls.item}

    @property
    def subresources(self) -> frozenset[str]:
        """Types whose capitalised methods make another object of the type (boto3 resources)."""
        return frozenset(name for name, cls in self._classes.items() if cls.subresources)

    @property
    def properties(self) -> frozenset[str]:
        """``Type.name`` of attributes that are plain values, not typed by ``attributes``."""
        return frozenset(f"{name}.{p}" for name, cls in self._classes.items() for p in cls.properties)

    @property
    def attributes(self) -> dict[str, str]:
        """Blocking type -> the type of ``obj.name`` (``Database`` -> ``Collection``)."""
        return {name: cls.attribute for name, cls in self._classes.items() if cls.attribute}

    def guess(self, method: str) -> CatalogueEntry | None:
        """The entry a method of unknown receiver would be, if its name is distinctive."""
        return self._guesses.get(method)

    @property
    def guess_methods(self) -> frozenset[str]:
        return frozenset(self._guesses)

    def extended(self, extra: list[CatalogueEntry], classes: list[BlockingClass] | None = None) -> BlockingCatalogue:
        return BlockingCatalogue([*self._by_name.values(), *extra], [*self._class_list, *(classes or ())], self.returns)

    def fingerprint(self) -> str:
        """A digest of every entry, class and return type: part of the cache key, so a
        catalogue change rescans."""
        digest = hashlib.sha256()
        for entry in self.entries():
            digest.update(repr(entry).encode())
        for cls in self._class_list:
            digest.update(repr((cls.names, sorted(cls.non_blocking), sorted(cls.blocking), cls.item)).encode())
            digest.update(repr((cls.attribute, cls.code, cls.strategies, cls.alternative, cls.thread_affine)).encode())
            digest.update(repr((cls.subresources, sorted(cls.properties))).encode())
        digest.update(repr(sorted(self.returns.items())).encode())
        return digest.hexdigest()[:16]


def entry_from_table(table: dict[str, Any], family: str, default_code: str, where: str) -> CatalogueEntry:
    """Build an entry from one TOML table, naming ``where`` in every error."""
    known = {"name", "code", "strategies", "message", "guess", "likely", "thread-affine", "alternative"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise CatalogueError(f"{where}: unknown key {unknown[0]!r} (expected one of {', '.join(sorted(known))})")
    name = table.get("name")
    if not isinstance(name, str) or not _name_or_pattern(name):
        raise CatalogueError(
            f"{where}: 'name' must be a dotted qualified name such as 'mylib.fetch' "
            "(or a pattern: 'mylib.*', '*.fetch')"
        )
    strategies = table.get("strategies", [Strategy.WRAP])
    if not isinstance(strategies, list) or not all(s in STRATEGIES for s in strategies):
        raise CatalogueError(f"{where}: 'strategies' for {name!r} must be a list drawn from {', '.join(STRATEGIES)}")
    code = table.get("code", default_code)
    if not isinstance(code, str):
        raise CatalogueError(f"{where}: 'code' for {name!r} must be a string")
    message = table.get("message")
    if message is not None and not isinstance(message, str):
        raise CatalogueError(f"{where}: 'message' for {name!r} must be a string")
    alternative = table.get("alternative")
    if alternative is not None and not isinstance(alternative, str):
        raise CatalogueError(f"{where}: 'alternative' for {name!r} must be a string")
    flags: dict[str, bool] = {}
    for key in ("guess", "likely", "thread-affine"):
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise CatalogueError(f"{where}: {key!r} for {name!r} must be true or false")
        flags[key] = value
    return CatalogueEntry(
        name=name,
        code=code,
        family=family,
        strategies=tuple(Strategy(s) for s in strategies),
        message=message,
        guess=flags["guess"],
        likely=flags["likely"],
        thread_affine=flags["thread-affine"],
        alternative=alternative,
    )


def _name_or_pattern(name: str) -> bool:
    """``a.b.c``, ``a.b.*`` or ``*.c``: identifiers, with at most one ``*``, first or last."""
    parts = name.split(".")
    if len(parts) > 1 and (parts[0] == "*") != (parts[-1] == "*"):
        parts = parts[1:] if parts[0] == "*" else parts[:-1]
    return all(part.isidentifier() for part in parts)


@cache
def load_builtin_catalogue() -> BlockingCatalogue:
    """The catalogue shipped in ``asyncify/catalogue/data``."""
    entries: list[CatalogueEntry] = []
    classes: list[BlockingClass] = []
    returns: dict[str, str] = {}
    data = resources.files("asyncify.catalogue") / "data"
    for item in sorted(data.iterdir(), key=lambda t: t.name):
        if not item.name.endswith(".toml"):
            continue
        table = tomllib.loads(item.read_text(encoding="utf-8"))
        family = table["family"]
        code = table["code"]
        for index, row in enumerate(table.get("entry", [])):
            entries.append(entry_from_table(row, family, code, f"{item.name} entry {index + 1}"))
        for index, row in enumerate(table.get("class", [])):
            classes.append(class_from_table(row, family, code, f"{item.name} class {index + 1}"))
        returns.update(returns_from_table(table.get("returns", {}), f"{item.name} returns"))
    return BlockingCatalogue(entries, classes, returns)
