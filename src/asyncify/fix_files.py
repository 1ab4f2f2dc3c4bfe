"""The files of one ``fix`` run: each opened once (through the file gate, or from an
editor's buffer), rewritten pass by pass in memory, re-scanned after each pass.

A failure in one file's pass (recursion, an internal error) stays with that file: it is
left as the earlier passes made it, and the run goes on with the others.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asyncify.api import catalogue_for, scan_context
from asyncify.config import Config
from asyncify.edits import Edit, RewriteOptions, RewriteOutcome
from asyncify.gate import FileGate
from asyncify.parsing import parse_module
from asyncify.plan import Change, backend_for, rewrite_options
from asyncify.project_style import ProjectStyle
from asyncify.results import FileError
from asyncify.scan.source import SourceError, SourceFile, read_source
from asyncify.scan.summariser import summarise_module
from asyncify.scan.summary import ModuleSummary, Span
from asyncify.scan.worker import call_with_deep_stack
from asyncify.vocabulary import Strategy


@dataclass
class FileFix:
    """One file's planned rewrite: original source, new text, and the changes made."""

    display: str
    source: SourceFile
    text: str
    options: RewriteOptions
    changes: list[Change] = field(default_factory=list)
    first_pass: list[Change] = field(default_factory=list)
    """Changes planned against the original text: what ``-i`` offers one by one."""
    base: str | None = None
    """The text after phase 1 (twins, propagation), when it changed this file: the
    first-pass changes are planned against it."""
    pinned: dict[Span, str] = field(default_factory=dict)
    """The calls the first pass kept on the event loop's thread (``apply`` keeps them)."""
    notes: dict[int, str] = field(default_factory=dict)
    """Changes applied with another strategy than planned, and why (``RewriteOutcome.notes``)."""
    absorbed: dict[int, int] = field(default_factory=dict)
    """Changes another change made itself -> its key (``RewriteOutcome.absorbed``)."""
    origins: list[str] = field(default_factory=list)
    """What changed the file besides its own changes (phase 1, ``--update-mocks``), for
    the hunks no change claims."""

    @property
    def changed(self) -> bool:
        return self.text != self.source.text

    def apply(self, keys: set[int]) -> RewriteOutcome:
        """The original with only the first-pass changes in ``keys`` applied."""
        edits = [c.edit() for c in self.first_pass if c.key in keys]
        start = self.base if self.base is not None else self.source.text
        return apply_edits(start, edits, self.options, self.display, self.pinned)


def apply_edits(
    text: str,
    edits: Sequence[Edit],
    options: RewriteOptions,
    filename: str,
    pinned: Mapping[Span, str] | None = None,
) -> RewriteOutcome:
    """Run the engine; a refused edit is retried along its codemod's fallbacks (an
    ``aiofiles`` block as ``extract``, the whole ``with`` in a worker thread, then ``wrap``).
    ``pinned``: calls that must stay on the event loop's thread (``Detector.pinned``)."""
    from asyncify.rewrite import rewrite_with_fallbacks  # libcst: only when something is rewritten

    return rewrite_with_fallbacks(text, edits, options, filename=filename, pinned=pinned)


def may_extract(strategy: Strategy) -> bool:
    """Whether an edit of ``strategy`` may end up moving a whole block to a thread."""
    from asyncify.codemods import registry

    codemod = registry().get(strategy)
    return codemod is not None and Strategy.EXTRACT in codemod.fallbacks


class FileOpener:
    """Opens each file once for fixing, or records why it is left alone (``skipped``)."""

    def __init__(
        self, gate: FileGate, project_backends: frozenset[str], config: Config, texts: Mapping[str, str]
    ) -> None:
        """``texts``: in-memory texts (an editor's buffers) that replace files' contents."""
        self.gate = gate
        self.texts = texts
        self.project_backends = project_backends
        self.config = config
        self.files: dict[str, FileFix] = {}
        self.skipped: dict[str, str] = {}
        self.errors: list[FileError] = []
        self.undeclared: frozenset[str] = frozenset()
        self.style = ProjectStyle()

    def open(self, path: str, summary: ModuleSummary) -> FileFix | None:
        if path in self.files:
            return self.files[path]
        if path in self.skipped:
            return None
        text = self.texts.get(os.path.abspath(path))
        if text is not None:
            source = SourceFile(Path(path), text.encode("utf-8"), text, "utf-8", False)
        else:
            try:
                source = read_source(Path(path))
            except SourceError as error:
                self.errors.append(FileError(path, str(error)))
                self.skipped[path] = f"cannot be read: {error}"
                return None
        reason = self.gate.refusal(path, source)
        if reason is not None:
            self.skipped[path] = reason
            return None
        options = rewrite_options(backend_for(summary.backends, self.project_backends, self.config), self.config)
        options = replace(options, undeclared=self.undeclared, style=self.style)
        self.files[path] = FileFix(display=path, source=source, text=source.text, options=options)
        return self.files[path]

    def skip(self, path: str, reason: str) -> None:
        """Leave ``path`` as the earlier passes made it; no later pass touches it."""
        self.skipped[path] = reason


def fix_file_pass(
    file_fix: FileFix,
    changes: list[Change],
    summary: ModuleSummary,
    config: Config,
    refused: dict[int, str],
    opener: FileOpener,
    pinned: Mapping[Span, str] | None,
) -> tuple[list[Change], str, ModuleSummary] | None:
    """One pass over one file: the changes applied, the new text and its summary; ``None``
    when nothing applied. Whatever goes wrong stays with this file (see ``run_fix``)."""
    try:
        outcome = apply_edits(file_fix.text, [c.edit() for c in changes], file_fix.options, file_fix.display, pinned)
        refused.update(outcome.refused)
        file_fix.notes.update(outcome.notes)
        file_fix.absorbed.update(outcome.absorbed)
        applied = [c for c in changes if c.key in outcome.applied]
        if not applied:
            return None
        return applied, outcome.source, rescan(outcome.source, summary, config)
    except RecursionError:
        reason = "too deeply nested to analyse after the rewrite"
    except MemoryError:
        reason = "out of memory while rewriting"
    except Exception as error:
        reason = f"internal error: {type(error).__name__}: {error}"
    refused.update((c.key, reason) for c in changes)
    opener.skip(file_fix.display, reason)
    return None


def rescan(text: str, old: ModuleSummary, config: Config) -> ModuleSummary:
    """The summary of the rewritten text, so the next pass sees what is left (deeply
    nested text is retried with a deep stack, as the scan does)."""
    context = scan_context(catalogue_for(config))

    def summarise() -> ModuleSummary:
        tree = parse_module(text, filename=old.path)
        return summarise_module(tree, text, old.module, old.is_package, old.path, context)

    try:
        return summarise()
    except RecursionError:
        return call_with_deep_stack(summarise)


def current_text(path: str, files: dict[str, FileFix]) -> str:
    """A file's text as this run has it: rewritten if a pass changed it, else on disk."""
    if path in files:
        return files[path].text
    return read_source(Path(path)).text
