"""Findings -> changes: which strategy fixes each finding, or why none may.

The planner decides; the rewrite engine (``asyncify.rewrite``) edits. A *change* is one
finding's edit, the unit that ``--dry-run`` labels, ``--diff`` prints and ``-i`` asks
about. Safety is decided here first (the engine checks again): never an ``await`` where
it is not allowed, never a thread hop for thread-affine objects or for a guessed receiver
type unless ``--unsafe-fixes`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from asyncify.config import Config
from asyncify.edits import Edit, RewriteOptions
from asyncify.findings import Confidence, Finding, display_name, helper_name
from asyncify.rules.blocking_helper import BlockingHelper
from asyncify.rules.observed_blocking_call import ObservedBlockingCall
from asyncify.vocabulary import Backend, Strategy

THREAD_STRATEGIES = frozenset({Strategy.WRAP, Strategy.COLLECT})
"""Strategies that move the call itself to a worker thread."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The strategy for a finding, or the reason it is left alone."""

    strategy: Strategy | None
    reason: str | None = None

    @property
    def fixable(self) -> bool:
        return self.strategy is not None


@dataclass(frozen=True, slots=True)
class Change:
    """One finding's edit: the unit of review."""

    key: int
    finding: Finding
    strategy: Strategy

    def edit(self) -> Edit:
        return Edit(span=self.finding.span, strategy=self.strategy, key=self.key)


def default_strategy(finding: Finding) -> Strategy | None:
    """The default policy: the catalogue's first strategy (``sleep`` for ``time.sleep``,
    ``aiofiles`` for ``open``, ``wrap`` for helpers and most calls); ``None`` for APIs the
    catalogue gives no automatic fix (``csv.reader``: the I/O happens later)."""
    if finding.is_indirect:
        return Strategy.WRAP  # twin and propagate rewrite helpers: only when asked for
    return finding.strategies[0] if finding.strategies else None


def decide(finding: Finding, config: Config) -> Decision:
    """Whether ``asyncify fix`` with ``config`` would fix ``finding``, and how."""
    if finding.code == ObservedBlockingCall.code and finding.not_fixable and not finding.strategies:
        return Decision(None, finding.not_fixable)  # seen at run time where wrap cannot help; it says why
    if not finding.awaitable:
        return Decision(
            None, "await is not allowed here (generator expression, default argument, decorator or class body)"
        )
    if finding.confidence is Confidence.LIKELY and not config.unsafe_fixes:
        if finding.call.startswith("<unknown>."):
            return Decision(None, "receiver type is only guessed from the method name (use --unsafe-fixes)")
        return Decision(None, "blocks only for some arguments or is unsafe to move to a thread (use --unsafe-fixes)")
    if finding.thread_affine and not config.unsafe_fixes:
        return Decision(
            None, "thread-affine object (e.g. a sqlite3 connection) must stay on its thread (use --unsafe-fixes)"
        )
    if not finding.strategies:
        return Decision(None, f"no automatic fix for {finding.call} (see `asyncify explain {finding.code}`)")
    chosen = config.strategy_for(finding.code) or default_strategy(finding) or Strategy.WRAP
    if chosen.rewrites_helpers:
        if finding.is_indirect and finding.code == BlockingHelper.code:
            return Decision(chosen)  # phase 1 decides, and falls back at its boundaries
        chosen = default_strategy(finding) or Strategy.WRAP  # a direct call: the ordinary fix applies
    if chosen is Strategy.WRAP and Strategy.COLLECT in finding.strategies:
        chosen = Strategy.COLLECT  # wrapping only the call would leave the iteration on the loop
    if chosen is Strategy.WRAP and finding.needs_loop is not None:
        return Decision(
            None,
            f"{helper_name(finding.call)} calls {display_name(finding.needs_loop)}() and needs the event loop's "
            "thread; a worker thread would break it (use --strategy propagate or twin)",
        )
    if chosen in THREAD_STRATEGIES and finding.thread_bound is not None:
        hint = " (use --strategy propagate or twin)" if finding.is_indirect else ""
        return Decision(None, f"{finding.thread_bound}; it must stay on the event loop's thread{hint}")
    if chosen not in finding.strategies and chosen is not Strategy.WRAP:
        return Decision(
            None, f"strategy {chosen!r} does not apply to {finding.code} (applies: {', '.join(finding.strategies)})"
        )
    return Decision(chosen)


def annotate_fixable(findings: Sequence[Finding], config: Config) -> list[Finding]:
    """Findings with ``fixable`` / ``not_fixable`` filled in from ``decide``."""
    out = []
    for finding in findings:
        decision = decide(finding, config)
        out.append(replace(finding, fixable=decision.fixable, not_fixable=decision.reason))
    return out


def backend_for(module_backends: frozenset[str], project_backends: frozenset[str], config: Config) -> Backend:
    """The async library of a file: configuration, else the file's imports, else the project's."""
    if config.backend != Backend.AUTO:
        return config.backend
    for backends in (module_backends, project_backends):
        for backend in (Backend.ASYNCIO, Backend.TRIO, Backend.ANYIO):
            if backend in backends:
                return backend
    return Backend.ASYNCIO


def rewrite_options(backend: Backend, config: Config) -> RewriteOptions:
    return RewriteOptions(backend=backend, target_version=config.target_version)
