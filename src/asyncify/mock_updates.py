"""``fix --update-mocks``: the project's tests that mock a changed function, rewritten.

When a twin or propagation changes what async code awaits, the tests that patch the old
function (``asyncify.mock_targets`` finds them) are rewritten by
``asyncify.codemods.async_mocks`` into the same change set as the rest of the fix: a
test file becomes one more ``FileFix`` (or the rewrite goes on top of the fix's own
changes to it), so ``--dry-run`` and ``--diff`` show it and a write is all-or-nothing
with the rest. Passing ``--update-mocks`` is the permission to change the test files,
named on the command line or not (they stay inside the project root). Every patch met
gives one summary line: rewritten, or left alone with the reason. A test file that does
not parse, or whose rewrite would not compile, is left alone.

The tests are updated right after phase 1, before the passes: a test file the passes
also fix (an async test's own blocking calls) is then planned against the updated text,
and ``fix -i`` can ask about each test file's updates as one change, like a component.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from libcst import ParserSyntaxError

from asyncify.codemods.async_mocks import MockUpdate, update_mocks
from asyncify.codemods.changed_callees import ChangedCallee
from asyncify.codemods.imports import ImportSections
from asyncify.edits import RewriteOptions
from asyncify.fix_files import FileFix, FileOpener
from asyncify.mock_targets import test_files
from asyncify.parsing import compile_module
from asyncify.scan.source import SourceError, read_source
from asyncify.scan.summary import ModuleSummary

KEPT = "its update was not accepted in -i"


@dataclass
class MockRewrite:
    """The summary's lines (one per patch met), and each rewritten test file's text before."""

    notes: list[str] = field(default_factory=list)
    before: dict[str, str] = field(default_factory=dict)


def update_test_mocks(
    root: Path,
    callees: Mapping[tuple[str, str], str],
    twins: Collection[tuple[str, str]],
    opener: FileOpener,
    summaries: Mapping[str, ModuleSummary],
    kept: Collection[str] = (),
) -> MockRewrite:
    """Rewrite the mocks of ``callees`` in ``root``'s tests into ``opener.files``, except
    in the files of ``kept``. A test file the run scanned is opened under its scanned
    path (``summaries``), so the passes that follow find the same ``FileFix``."""
    done = MockRewrite()
    if not callees:
        return done
    changed = [
        ChangedCallee(module, qualname, now, (module, qualname) in twins)
        for (module, qualname), now in sorted(callees.items())
    ]
    words = {c.name for c in changed} | {c.owner for c in changed}
    style = opener.style
    sections = ImportSections(style.first_party, style.third_party, style.local, style.force_sort_within_sections)
    by_real = {os.path.realpath(path): file_fix for path, file_fix in opener.files.items()}
    scanned = {os.path.realpath(path): path for path in summaries}
    kept_real = {os.path.realpath(path) for path in kept}
    for path in test_files(root):
        shown = path.relative_to(root).as_posix()
        real = os.path.realpath(path)
        file_fix = by_real.get(real) or _open(path, opener)
        if file_fix is None or not any(word in file_fix.text for word in words):
            continue
        try:
            rewrite = update_mocks(file_fix.text, changed, sections, style.line_length)
        except (ParserSyntaxError, RecursionError):
            continue
        updates = rewrite.updates
        if rewrite.text != file_fix.text and real in kept_real:
            updates = [replace(u, reason=u.reason or KEPT) for u in updates]
        elif rewrite.text != file_fix.text and not _compiles(rewrite.text, shown):
            updates = [replace(u, reason=u.reason or "the rewrite would not compile") for u in updates]
        elif rewrite.text != file_fix.text:
            if real in scanned and by_real.get(real) is None:  # the passes open it by that name
                file_fix = opener.open(scanned[real], summaries[scanned[real]]) or file_fix
            done.before[str(file_fix.source.path)] = file_fix.text
            file_fix.text = file_fix.base = rewrite.text
            file_fix.origins.append("--update-mocks: mocks of the changed functions made AsyncMocks")
            if all(f is not file_fix for f in opener.files.values()):
                opener.files[str(file_fix.source.path)] = file_fix
        done.notes += [_line(shown, update) for update in updates]
    return done


def _open(path: Path, opener: FileOpener) -> FileFix | None:
    """A test file the fix did not open: read it, if the file gate lets ``fix`` write it."""
    try:
        source = read_source(path)
    except SourceError:
        return None
    if opener.gate.refusal(str(path), source) is not None:
        return None
    display = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    options = RewriteOptions(undeclared=opener.undeclared, style=opener.style)
    return FileFix(display=display, source=source, text=source.text, options=options)


def _compiles(text: str, name: str) -> bool:
    try:
        compile_module(text, name)
    except (SyntaxError, ValueError):
        return False
    return True


def _line(shown: str, update: MockUpdate) -> str:
    head = f"{shown}::{update.test} patches {update.target}; the code now awaits {update.callee.awaited}"
    if update.reason is None and not update.changed:
        return f"{head}: already an awaitable mock, unchanged"
    if update.reason is None:
        return f"{head}: updated to an AsyncMock of {update.callee.now}"
    return f"{head}: left alone, {update.reason}"
