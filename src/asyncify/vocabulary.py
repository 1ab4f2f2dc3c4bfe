"""The names every layer shares: fix strategies and async backends, each spelled once.

This module is the bottom layer: it imports nothing from asyncify, so the catalogue, the
planner, the codemods and the command line all read the same enums. Both are ``StrEnum``
members, so they compare equal to the strings users write in ``pyproject.toml``, on the
command line and in the catalogue's TOML, and JSON encodes them as those strings.
"""

from __future__ import annotations

import enum


class Strategy(enum.StrEnum):
    """How a finding is fixed.

    ``WRAP``, ``COLLECT``, ``SLEEP``, ``AIOFILES`` and ``EXTRACT`` rewrite one call (a
    codemod each, applied by the rewrite engine); ``TWIN`` and ``PROPAGATE`` rewrite
    helpers and their callers (phase 1 of ``fix``). ``EXTRACT`` is only reached as the
    fallback of ``AIOFILES`` (the codemods carry their fallback order).
    """

    WRAP = "wrap"
    COLLECT = "collect"
    SLEEP = "sleep"
    AIOFILES = "aiofiles"
    EXTRACT = "extract"
    TWIN = "twin"
    PROPAGATE = "propagate"

    @property
    def rewrites_helpers(self) -> bool:
        """``twin`` and ``propagate`` change helpers and call graphs, not one call."""
        return self in HELPER_REWRITES

    @property
    def per_call(self) -> bool:
        """Applied call by call by the rewrite engine (a codemod of its own)."""
        return self not in HELPER_REWRITES


HELPER_REWRITES = frozenset({Strategy.TWIN, Strategy.PROPAGATE})
"""The strategies of phase 1 (``fix --strategy twin|propagate``)."""

HELPER_STRATEGIES = (Strategy.WRAP, Strategy.TWIN, Strategy.PROPAGATE)
"""What may fix an indirect finding (a call of a blocking helper), in the order shown."""

CHOOSABLE_STRATEGIES = tuple(s for s in Strategy if s is not Strategy.EXTRACT)
"""What users (``--strategy``, ``[tool.asyncify.strategy]``, catalogue rows) may name."""


class Backend(enum.StrEnum):
    """The async library rewritten code uses. ``AUTO`` (configuration only) means: read
    it from the file's imports, else the project's; the engine never sees ``AUTO``."""

    AUTO = "auto"
    ASYNCIO = "asyncio"
    ANYIO = "anyio"
    TRIO = "trio"


RUNTIME_BACKENDS = (Backend.ASYNCIO, Backend.ANYIO, Backend.TRIO)
"""The backends the codemods write code for."""


class OutputFormat(enum.StrEnum):
    """``check --format`` / ``--output-format``: ``full``, ``concise`` and ``human`` for
    people, the others for tools.

    ``full`` (the default on a terminal) shows each finding's source line with carets,
    as ruff does; ``concise`` one line per finding; ``human`` (the default when stdout
    is not a terminal) one line per finding with the chain and strategies below it.
    """

    HUMAN = "human"
    FULL = "full"
    CONCISE = "concise"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"

    @property
    def for_people(self) -> bool:
        """Text for a reader, not a document for a tool."""
        return self in PEOPLE_FORMATS


PEOPLE_FORMATS = frozenset({OutputFormat.HUMAN, OutputFormat.FULL, OutputFormat.CONCISE})
