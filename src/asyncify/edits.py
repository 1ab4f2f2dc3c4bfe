"""The edit contract between the planner and the rewrite engine.

Kept apart from ``asyncify.rewrite`` so that ``check`` can plan (and say what is fixable)
without importing libcst, which costs a second of start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asyncify.project_style import ProjectStyle
from asyncify.scan.summary import Span
from asyncify.vocabulary import Backend, Strategy


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to make: the call at ``span`` (as the scanner reports it) with a strategy.

    ``span`` covers the call without surrounding parentheses: 1-based line and character
    column, end exclusive (``ast``'s positions, in characters). ``key`` is the caller's
    id for the change and is reported back in the outcome.
    """

    span: Span
    strategy: Strategy
    key: int


@dataclass(frozen=True, slots=True)
class RewriteOptions:
    backend: Backend = Backend.ASYNCIO
    target_version: tuple[int, int] = (3, 11)
    undeclared: frozenset[str] = frozenset()
    """Third-party modules the project does not depend on: new code never imports them
    (``asyncify.dependencies``)."""
    style: ProjectStyle = field(default_factory=ProjectStyle)
    """Line length and import sections of the project (``asyncify.project_style``)."""


@dataclass(frozen=True, slots=True)
class RewriteOutcome:
    """``source`` is the new text (the input itself when nothing applied). ``notes``:
    applied edits that took another strategy than asked, with the line the summary shows
    (an undeclared aiofiles that became a worker thread)."""

    source: str
    applied: tuple[int, ...]
    refused: dict[int, str]
    notes: dict[int, str] = field(default_factory=dict)
    absorbed: dict[int, int] = field(default_factory=dict)
    """Applied edits another edit rewrote itself (``Plan.claims``: the ``json.load(f)`` of
    an aiofiles block) -> the key of that edit: one change to review, not two."""
