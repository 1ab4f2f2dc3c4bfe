"""The contract between the rewrite engine and the per-pattern codemods.

The engine (``asyncify.rewrite``) locates every edit's call in one parse, then asks the
edit's strategy for a :class:`Plan`: which *original* nodes to replace, and how, given
their already-updated form. Plans are applied together in one post-order transformer
pass, so nested edits compose (inner first) and a codemod never walks the tree itself to
find its target. Keeping plans keyed by original nodes is what lets one pass carry every
edit of a file without codemods knowing about each other.

This contract (with :mod:`asyncify.vocabulary`) is all a codemod may import besides
libcst and its sibling codemods: the engine above calls them, they never call up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import libcst as cst

from asyncify.vocabulary import Backend, Strategy

NodeRewrite = Callable[[cst.CSTNode], cst.CSTNode]
"""Receives the node as updated by the pass so far (children already rewritten)."""


@dataclass(frozen=True, slots=True)
class Site:
    """An edit's call, found in the original tree.

    ``ancestors`` runs from the ``Module`` down to the call's parent; codemods read the
    parent (parenthesising, ``with`` items) and the engine reads the whole chain to decide
    whether an ``await`` may be written there.
    """

    key: int
    strategy: Strategy
    call: cst.Call
    ancestors: tuple[cst.CSTNode, ...]

    @property
    def parent(self) -> cst.CSTNode | None:
        return self.ancestors[-1] if self.ancestors else None


@dataclass(frozen=True, slots=True)
class RewriteContext:
    """Facts shared by every plan of one file, computed once by the engine.

    ``aliases`` maps local names bound by imports anywhere in the module to qualified
    names (``t`` -> ``time``, ``sleep`` -> ``time.sleep``); it is flat, not scoped, which
    is enough to tell ``json.load`` from ``yaml.load`` inside a ``with`` block. ``sites``
    lets a plan see the other edits of the file (keyed by ``id`` of their call node).
    """

    backend: Backend
    target_version: tuple[int, int]
    aliases: Mapping[str, str]
    sites: Mapping[int, Site]
    modules: Mapping[str, str] = field(default_factory=dict)
    """Modules new code must name by an alias (``asyncio`` -> ``_asyncio``) because the
    file binds their own name to something else (``imports.module_names``)."""
    pinned: Mapping[int, str] = field(default_factory=dict)
    """Calls (by ``id``) that must stay on the event loop's thread, with why: a plan that
    would move one to a worker thread (``extract``'s block) is refused."""
    undeclared: frozenset[str] = frozenset()
    """Third-party modules the project does not depend on: a plan that would import one
    is refused with ``not_declared(module)``, and the engine falls back."""

    def site_of(self, node: cst.CSTNode) -> Site | None:
        return self.sites.get(id(node))

    def ref(self, qualified: str) -> str:
        """How new code spells ``qualified``: ``asyncio.to_thread`` or ``_asyncio.to_thread``."""
        head, dot, rest = qualified.partition(".")
        return f"{self.modules.get(head, head)}{dot}{rest}"


NOT_DECLARED = " is not a dependency of this project"


def not_declared(module: str) -> str:
    """The refusal of a plan that would import ``module``, which the project lacks."""
    return f"{module}{NOT_DECLARED}"


@dataclass(frozen=True, slots=True)
class Plan:
    """What one edit changes.

    ``rewrites`` pairs original nodes with their rewrite; the nodes must be the site's
    call, one of its ancestors, or inside one of those (the engine's pass only enters
    there). ``claims`` are other calls the
    plan rewrites itself (the ``json.load(f)`` inside an aiofiles block, the second
    ``open()`` of a two-item ``with``): edits targeting them are absorbed — reported as
    applied with this one instead of being rewritten a second time. ``imports`` are
    module names to ``import`` once the pass is done.
    """

    rewrites: tuple[tuple[cst.CSTNode, NodeRewrite], ...]
    imports: frozenset[str] = frozenset()
    claims: tuple[cst.CSTNode, ...] = ()


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an edit cannot be applied safely; one line, shown to the user."""

    reason: str


Planner = Callable[[Site, RewriteContext], "Plan | Refusal"]


@dataclass(frozen=True, slots=True)
class Codemod:
    """A registered rewrite pattern: the codemod that applies one :class:`Strategy`.

    ``priority``: lower plans first. Codemods that claim calls inside their target
    (aiofiles claims the handle's ``json.load(f)``) must plan before the codemods whose
    edits they absorb, so they get a lower number. ``fallbacks``: the strategies the
    engine retries an edit with, one at a time, when this codemod refuses it (aiofiles ->
    extract -> wrap); empty when a refusal is final. ``fallback_reasons``: only refusals
    whose reason contains one of these are retried (empty: any refusal).
    """

    strategy: Strategy
    plan: Planner
    priority: int = 100
    fallbacks: tuple[Strategy, ...] = ()
    fallback_reasons: tuple[str, ...] = ()
    description: str = field(default="", compare=False)
