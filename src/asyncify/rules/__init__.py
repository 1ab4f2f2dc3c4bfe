"""Rule registry, built by discovery: every ``Rule`` subclass in this package's modules.

Adding a rule is adding a module here (plus catalogue rows and golden cases); no list
to keep in sync.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from asyncify.rules.base import Rule

__all__ = ["Rule", "all_rules", "rule_for"]


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Every rule by code, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                if value.code in found:
                    raise RuntimeError(f"rule code {value.code} defined twice: {found[value.code]} and {value}")
                found[value.code] = value
    return dict(sorted(found.items()))


def rule_for(code: str) -> type[Rule] | None:
    return all_rules().get(code)
