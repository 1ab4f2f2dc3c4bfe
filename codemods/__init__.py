"""asyncify's per-pattern codemods (installed as ``asyncify.codemods``).

Each module holds one rewrite pattern: the planning logic the engine
(``asyncify.rewrite.rewrite_module``) calls, exposed as a module-level ``STRATEGY``
(:class:`~asyncify.codemods.base.Strategy`), and a libcst ``CodemodCommand`` subclass for
standalone use (``python -m libcst.tool codemod -x asyncify.codemods.wrap.WrapCommand``).

Strategies are found by walking this package, not from a hand-kept list: every module
with a ``STRATEGY`` is registered under ``STRATEGY.name``.

Adding a pattern:
1. Create ``codemods/<name>.py`` with ``plan_<name>(site, ctx) -> Plan | Refusal``. A
   plan names the *original* nodes to replace and a function from their updated form to
   the replacement (use ``context.awaited`` to place an ``await`` in an expression), the
   modules to import, and any other edits' calls it rewrites itself (``claims``).
   Do not walk the module or check the ``await`` context: the engine locates the call
   and refuses sites where ``await`` is not allowed before planning.
2. Define ``STRATEGY = Strategy(name=..., plan=plan_<name>, description=...)`` (a lower
   ``priority`` if it claims calls other strategies target), and a
   ``<Name>Command(AsyncifyCommand)`` with ``DESCRIPTION`` and ``STRATEGY = "<name>"``.
3. Add golden cases under ``golden/fix/<name>/<case>/`` (``input.py``, ``edits.txt``,
   optional ``options.toml``) and run ``pytest tests/test_golden_fix.py
   --update-golden`` to write ``expected.py``; review it before committing.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from .base import Strategy


@functools.cache
def strategies() -> Mapping[str, Strategy]:
    """Every registered strategy by name, discovered once (lazily: modules import this
    package, so discovery at import time would be circular)."""
    found: dict[str, Strategy] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        strategy = getattr(module, "STRATEGY", None)
        if isinstance(strategy, Strategy):
            found[strategy.name] = strategy
    return MappingProxyType(found)


__all__ = ["Strategy", "strategies"]
