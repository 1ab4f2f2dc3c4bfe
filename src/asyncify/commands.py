"""The codemods as libcst ``CodemodCommand`` classes, for libcst's own runner::

    python -m libcst.tool codemod -x asyncify.commands.WrapCommand src/

or, with ``modules: [asyncify]`` in ``.libcst.codemod.yaml``, as
``python -m libcst.tool codemod commands.WrapCommand src/``. This adapter sits above the
codemods (which know nothing of asyncify's detection): targets come from asyncify's own
detection (``asyncify.api.findings_for_source``), and the rewrite goes through the same
engine as ``asyncify fix`` (``asyncify.rewrite``), so both give the same result. A
command takes the findings whose preferred strategy is its own (``--any-finding``: every
finding that lists it) and leaves guessed-receiver findings alone unless
``--include-likely``. One command per codemod; a test compares them with the registry.

Run ``aiofiles`` before ``wrap`` when using both: once ``json.load(f)`` is wrapped, the
handle is passed to ``to_thread`` and the ``with`` block can no longer be converted.
``asyncify fix`` plans all strategies of a file together and has no such ordering.
"""

from __future__ import annotations

import argparse
from abc import ABC
from typing import ClassVar

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from asyncify.vocabulary import RUNTIME_BACKENDS, Backend, Strategy


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


class AsyncifyCommand(CodemodCommand, ABC):
    """Find targets with asyncify's detection and rewrite them with one strategy."""

    STRATEGY: ClassVar[Strategy]

    def __init__(
        self,
        context: CodemodContext,
        backend: str = Backend.ASYNCIO,
        target_version: str = "3.11",
        include_likely: bool = False,
        any_finding: bool = False,
    ) -> None:
        super().__init__(context)
        self.backend = Backend(backend)
        self.target_version = _version(target_version)
        self.include_likely = include_likely
        self.any_finding = any_finding

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--backend", choices=[str(b) for b in RUNTIME_BACKENDS], default=str(Backend.ASYNCIO))
        arg_parser.add_argument("--target-version", default="3.11", help="e.g. 3.8")
        arg_parser.add_argument(
            "--include-likely",
            action="store_true",
            help="also fix findings whose receiver type was only guessed",
        )
        arg_parser.add_argument(
            "--any-finding",
            action="store_true",
            help="apply to every finding that lists this strategy, not only preferred",
        )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        from asyncify.api import findings_for_source
        from asyncify.findings import Confidence
        from asyncify.rewrite import Edit, RewriteOptions, rewrite_module

        source = tree.code
        filename = self.context.filename or "<unknown>"
        edits = []
        for index, finding in enumerate(findings_for_source(source, filename)):
            strategies = finding.strategies if self.any_finding else finding.strategies[:1]
            if self.STRATEGY not in strategies:
                continue
            if finding.confidence is Confidence.LIKELY and not self.include_likely:
                continue
            if finding.thread_affine and self.STRATEGY == Strategy.WRAP:
                self.warn(f"{finding.span.line}:{finding.span.column} thread-affine call left on the loop")
                continue
            edits.append(Edit(finding.span, self.STRATEGY, index))
        if not edits:
            raise SkipFile(f"no finding to fix with {self.STRATEGY}")
        options = RewriteOptions(backend=self.backend, target_version=self.target_version)
        outcome = rewrite_module(source, edits, options, filename=filename)
        spans = {edit.key: edit.span for edit in edits}
        for key, reason in sorted(outcome.refused.items()):
            self.warn(f"{spans[key].line}:{spans[key].column} {reason}")
        if not outcome.applied:
            raise SkipFile("every fix was refused")
        return cst.parse_module(outcome.source)


class WrapCommand(AsyncifyCommand):
    """Run blocking calls in a worker thread."""

    DESCRIPTION = (
        "Run blocking calls found by asyncify in async code in a worker thread: "
        "`await asyncio.to_thread(f, ...)` (anyio/trio: `to_thread.run_sync`)."
    )
    STRATEGY = Strategy.WRAP


class CollectCommand(AsyncifyCommand):
    """Consume lazy directory iterators in a worker thread."""

    DESCRIPTION = (
        "Consume lazy directory iterators found by asyncify in a worker thread: "
        "`await asyncio.to_thread(list, p.iterdir())`."
    )
    STRATEGY = Strategy.COLLECT


class SleepCommand(AsyncifyCommand):
    """Replace ``time.sleep`` in async code."""

    DESCRIPTION = "Replace time.sleep(x) in async code with await asyncio.sleep(x) (anyio/trio sleep)."
    STRATEGY = Strategy.SLEEP


class AiofilesCommand(AsyncifyCommand):
    """Convert ``with open(...)`` blocks in async code."""

    DESCRIPTION = (
        "Convert `with open(p) as f:` blocks in async code to `async with aiofiles.open(p) as f:`"
        " with awaited reads and writes; refuses blocks whose handle escapes."
    )
    STRATEGY = Strategy.AIOFILES


class ExtractCommand(AsyncifyCommand):
    """Move ``with`` blocks of async code to a worker thread."""

    DESCRIPTION = (
        "Move a `with open(p) as f:` block of async code into a nested function awaited with "
        "`asyncio.to_thread` (anyio/trio: `to_thread.run_sync`); names the block sets for "
        "later code are written back with `nonlocal`."
    )
    STRATEGY = Strategy.EXTRACT


COMMANDS: tuple[type[AsyncifyCommand], ...] = (
    WrapCommand,
    CollectCommand,
    SleepCommand,
    AiofilesCommand,
    ExtractCommand,
)
"""One per codemod (``tests/test_rewrite.py`` compares them with the registry)."""
