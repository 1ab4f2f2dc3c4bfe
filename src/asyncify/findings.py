"""Findings: what ``check`` reports and what ``fix`` plans from."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from asyncify.scan.summary import Span
from asyncify.vocabulary import Strategy


class Confidence(enum.Enum):
    CERTAIN = "certain"
    """The callee was resolved through imports or a known receiver type."""
    LIKELY = "likely"
    """The receiver type was guessed from the method name alone."""


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One step of an indirect finding's call chain."""

    function: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A blocking call on the event loop.

    ``function`` is the enclosing async function's module-relative qualname
    (``Class.method``); ``call`` the resolved callee (``pathlib.Path.read_text``,
    ``pkg.mod._load_config_sync``). ``chain`` is empty for direct findings and, for
    indirect ones, leads from the called helper down to the blocking primitive.
    ``strategies`` lists the fix strategies that apply, best first; ``not_fixable``
    says why ``fix`` would leave it, when it would.
    """

    code: str
    message: str
    path: str
    module: str
    span: Span
    function: str
    call: str
    confidence: Confidence
    strategies: tuple[Strategy, ...]
    awaitable: bool
    chain: tuple[ChainLink, ...] = ()
    thread_affine: bool = False
    needs_loop: str | None = None
    """For helpers: the loop-only API (``asyncio.get_running_loop``) they reach."""
    thread_bound: str | None = None
    """Why moving the call to a worker thread would break it: the helper (or a callback
    passed to the call) is bound to its thread (``asyncify.analysis.affinity``)."""
    strategy_notes: tuple[tuple[Strategy, str], ...] = ()
    """For helpers: ``(strategy, why it does not apply)`` for each strategy left out."""
    fixable: bool = False
    not_fixable: str | None = None

    @property
    def is_indirect(self) -> bool:
        return bool(self.chain)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)

    def chain_text(self) -> str:
        """``run_doctor -> _load_config_sync -> open()``."""
        names = [self.function]
        names += [helper_name(link.function) for link in self.chain[:-1]]
        if self.chain:
            names.append(display_name(self.chain[-1].function) + "()")
        return " -> ".join(names)


def display_name(qualified: str) -> str:
    """How a blocking API is shown: ``open``, ``Path.read_text``, ``os.path.exists``."""
    if qualified.startswith("builtins."):
        return qualified[len("builtins.") :]
    parts = qualified.split(".")
    for index, part in enumerate(parts[:-1]):
        if part[:1].isupper():
            return ".".join(parts[index:])
    return qualified


def helper_name(qualified: str) -> str:
    """How a project function is shown: ``Parser.parse`` or ``_load_config_sync``."""
    parts = qualified.split(".")
    for index, part in enumerate(parts[:-1]):
        if part[:1].isupper():
            return ".".join(parts[index:])
    return parts[-1]
