"""What the scanner needs to know from the catalogue (part of the cache key)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScanContext:
    """What the scanner needs from the catalogue; part of the cache key."""

    blocking: frozenset[str]
    guess_methods: frozenset[str]
    lazy: frozenset[str] = frozenset()
    """Lazy directory iterators (the catalogue's ``collect`` entries)."""
    builtins: frozenset[str] = frozenset({"open", "input"})
    objects: frozenset[str] = frozenset()
    """Blocking object types: a call of any method of theirs is recorded."""
    returns: dict[str, str] = field(default_factory=dict, hash=False)
    """Factory or method -> the type it returns (``sqlite3.connect`` -> ``sqlite3.Connection``)."""
    items: dict[str, str] = field(default_factory=dict, hash=False)
    """Type -> the type of ``obj[key]`` (``pymongo.MongoClient`` -> its ``Database``)."""
    attributes: dict[str, str] = field(default_factory=dict, hash=False)
    """Type -> the type of any ``obj.name`` that is not a method call."""
    properties: frozenset[str] = frozenset()
    """``Type.name`` of plain-value attributes that ``attributes`` does not type."""
    subresources: frozenset[str] = frozenset()
    """Types whose capitalised methods return the same type (``s3.Bucket(name)``)."""
