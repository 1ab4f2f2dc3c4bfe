"""asyncify's per-pattern codemods (installed as ``asyncify.codemods``).

Each module holds one rewrite pattern: the planning logic the engine
(``asyncify.rewrite.rewrite_module``) calls, exposed as a module-level ``CODEMOD``
(:class:`~asyncify.codemods.base.Codemod`) for one :class:`~asyncify.vocabulary.Strategy`.
Codemods import libcst, the contract in ``base`` and each other, nothing else of
asyncify: the engine and the libcst command-line adapter (``asyncify.commands``) sit
above them.

Codemods are found by walking this package, not from a hand-kept list: every module
with a ``CODEMOD`` is registered under ``CODEMOD.strategy``.

Adding a pattern:
1. Add its name to :class:`asyncify.vocabulary.Strategy`.
2. Create ``codemods/<name>.py`` with ``plan_<name>(site, ctx) -> Plan | Refusal``. A
   plan names the *original* nodes to replace and a function from their updated form to
   the replacement (use ``context.awaited`` to place an ``await`` in an expression), the
   modules to import, and any other edits' calls it rewrites itself (``claims``).
   Do not walk the module or check the ``await`` context: the engine locates the call
   and refuses sites where ``await`` is not allowed before planning.
3. Define ``CODEMOD = Codemod(strategy=..., plan=plan_<name>, description=...)`` (a
   lower ``priority`` if it claims calls other codemods target; ``fallbacks`` if a
   refusal should be retried with other strategies), and a ``<Name>Command`` in
   ``asyncify/commands.py`` for libcst's own runner.
4. Add golden cases under ``golden/fix/<name>/<case>/`` (``input.py``, optional
   ``options.toml``, and ``edits.txt`` only when the edits are not simply every finding
   detection reports) and run ``pytest tests/test_golden_fix.py --update-golden`` to
   write ``expected.py``; review it before committing.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from asyncify.vocabulary import Strategy

from .base import Codemod


@functools.cache
def registry() -> Mapping[Strategy, Codemod]:
    """Every registered codemod by strategy, discovered once (lazily: modules import
    this package, so discovery at import time would be circular)."""
    found: dict[Strategy, Codemod] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        codemod = getattr(module, "CODEMOD", None)
        if isinstance(codemod, Codemod):
            if codemod.strategy in found:
                raise RuntimeError(f"two codemods for {codemod.strategy}: {info.name} and another module")
            found[codemod.strategy] = codemod
    return MappingProxyType(found)


__all__ = ["Codemod", "registry"]
