"""What the server computes from the open buffers, away from the protocol: the checks of
their projects, their diagnostics, and the edit of a chosen code action.

Everything here is synchronous (it reads files and runs the analysis); the protocol
layer (``asyncify.server.app``) runs it in a worker thread, so the server's own event
loop never blocks.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from asyncify.config import ConfigError
from asyncify.findings import Finding
from asyncify.fixer import FixTarget
from asyncify.results import FileError
from asyncify.server.actions import refusal, workspace_edit
from asyncify.server.diagnostics import SOURCE, diagnostic
from asyncify.server.projects import Project, check_buffers, fix_finding, project_for
from asyncify.server.text import Units, split_lines
from asyncify.vocabulary import Strategy

_ERROR_LINE = re.compile(r"\(line (\d+)")


@dataclass(frozen=True, slots=True)
class Buffer:
    """An open Python document: its URI, its file, its text and the editor's version."""

    uri: str
    path: Path
    text: str
    version: int | None


@dataclass
class Checked:
    """One document's last check: the findings behind its diagnostics, by key."""

    version: int | None
    project: Project
    findings: dict[str, Finding] = field(default_factory=dict)
    diagnostics: list[types.Diagnostic] = field(default_factory=list)


@dataclass
class Outcome:
    """A check of every open buffer: the state of each document checked, and what the
    user must be told (a document whose project could not be checked has no state)."""

    checked: dict[str, Checked] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """Messages for the user (configuration errors, internal errors)."""


def finding_key(finding: Finding) -> str:
    """Identifies a finding within its document's current check."""
    span = finding.span
    return f"{finding.code}:{span.line}:{span.column}:{span.end_line}:{span.end_column}:{finding.call}"


def locator(buffers: Iterable[Buffer]) -> Callable[[str], str]:
    """A path (as ``check`` shows it) -> the URI the editor uses for it."""
    uris = {os.path.abspath(b.path): b.uri for b in buffers}

    def locate(path: str) -> str:
        absolute = os.path.abspath(path)
        return uris.get(absolute) or from_fs_path(absolute) or absolute

    return locate


def check_open(buffers: Sequence[Buffer], units: Units) -> Outcome:
    """Check every project with an open buffer once, reporting only the open buffers."""
    try:
        return _check_open(buffers, units)
    finally:
        # A large scan freezes its summaries out of the cyclic collector's reach; in a
        # process that lives on, whatever cyclic garbage was frozen with them would be
        # kept for good, so they go back to the collector after each check.
        gc.unfreeze()


def _check_open(buffers: Sequence[Buffer], units: Units) -> Outcome:
    outcome = Outcome()
    groups: dict[Path, tuple[Project, list[Buffer]]] = {}
    for buffer in buffers:
        try:
            project = project_for(buffer.path)
        except ConfigError as error:
            if str(error) not in outcome.problems:
                outcome.problems.append(str(error))
            continue
        groups.setdefault(project.root, (project, []))[1].append(buffer)
    locate = locator(buffers)
    for project, members in groups.values():
        try:
            result = check_buffers(project, {b.path: b.text for b in members})
        except ConfigError as error:
            outcome.problems.append(str(error))
            continue
        except Exception as error:  # the server goes on; the user is told
            outcome.problems.append(f"asyncify: internal error: {type(error).__name__}: {error}")
            continue
        by_path: dict[str, list[Finding]] = {}
        for finding in result.findings:
            by_path.setdefault(os.path.abspath(finding.path), []).append(finding)
        errors = {os.path.abspath(e.path): e for e in result.errors}
        for buffer in members:
            state = Checked(buffer.version, project)
            lines = split_lines(buffer.text)
            for finding in by_path.get(os.path.abspath(buffer.path), []):
                key = finding_key(finding)
                state.findings[key] = finding
                state.diagnostics.append(diagnostic(finding, lines, units, locate, key))
            file_error = errors.get(os.path.abspath(buffer.path))
            if file_error is not None:
                state.diagnostics.append(_error_diagnostic(file_error))
            outcome.checked[buffer.uri] = state
    return outcome


def fix_edit(
    state: Checked,
    finding: Finding,
    strategy: Strategy,
    buffers: Sequence[Buffer],
    units: Units,
    *,
    document_changes: bool,
) -> types.WorkspaceEdit | str:
    """The workspace edit that fixes ``finding`` with ``strategy``, or why there is none."""
    members = [b for b in buffers if _inside(b.path, state.project.root)]
    result = fix_finding(state.project, {b.path: b.text for b in members}, finding, strategy)
    versions = {b.uri: b.version for b in members if b.version is not None}
    edit = workspace_edit(result, locator(buffers), versions, units, document_changes=document_changes)
    return edit if edit is not None else refusal(result, FixTarget(finding, strategy))


def _error_diagnostic(error: FileError) -> types.Diagnostic:
    """A file asyncify could not check (a syntax error while typing, say), at its line."""
    match = _ERROR_LINE.search(error.message)
    line = int(match.group(1)) - 1 if match else 0
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line + 1, character=0)),
        message=f"not checked: {error.message}",
        severity=types.DiagnosticSeverity.Information,
        source=SOURCE,
    )


def _inside(path: Path, root: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(root) + os.sep)
