"""What the scanner needs to know from the catalogue (part of the cache key)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanContext:
    """What the scanner needs from the catalogue; part of the cache key."""

    blocking: frozenset[str]
    guess_methods: frozenset[str]
    lazy: frozenset[str] = frozenset()
    """Lazy directory iterators (the catalogue's ``collect`` entries)."""
    builtins: frozenset[str] = frozenset({"open", "input"})
