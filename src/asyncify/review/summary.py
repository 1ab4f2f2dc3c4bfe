"""The summary every ``fix`` ends with (stderr): what changed, what is left and why.

A user who runs ``fix`` and still sees findings needs to know whether to act: a finding
left because it is unsafe needs ``--unsafe-fixes`` (and a careful look), one in an
unsupported context needs a hand edit, one rejected in ``-i`` needs nothing. So findings
left are grouped by a short reason class, the exact reasons are one ``-v`` away, and a
hint names the options that would fix more.

Counters and the exit code live in the shared ``Report`` (``asyncify.report``), like for
``check``: 0 when nothing is left, 1 when findings remain or files failed, 2 for usage,
configuration and internal errors. In ``--dry-run`` and ``--diff`` nothing is written,
so every finding is still there: any planned change (or finding left) means exit 1.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.text import Text

from asyncify.config import Config
from asyncify.findings import Finding
from asyncify.fixer import FILE_LEFT_ALONE, FixResult
from asyncify.report import Report
from asyncify.report.human import finding_text
from asyncify.results import FileError
from asyncify.rules.blocking_helper import BlockingHelper
from asyncify.write import ChangedOnDisk, HeldBack, WriteFailed


class Mode(enum.Enum):
    WRITE = "write"
    DRY_RUN = "dry-run"
    DIFF = "diff"
    INTERACTIVE = "interactive"

    @property
    def writes(self) -> bool:
        return self in (Mode.WRITE, Mode.INTERACTIVE)


REJECTED = "rejected in review (-i)"
SKIPPED = "skipped in review (-i)"
NOT_REVIEWED = "not reviewed (quit before reaching it)"
LATER_PASS = "depends on changes made in review: run `asyncify fix` again"
NOT_WRITTEN = "file not written"
UNSAFE = "unsafe (needs --unsafe-fixes)"
_REVIEW = (REJECTED, SKIPPED, NOT_REVIEWED, LATER_PASS)
HELPER_CODE = BlockingHelper.code
"""Only project helpers (AFY200) have helpers behind them for twin and propagate."""


def _file_class(reason: str) -> str:
    """Why a whole file was left alone (``asyncify.gate``, ``asyncify.fixer``)."""
    if "outside the project root" in reason:
        return "file outside the project root (a symbolic link)"
    if "a symbolic link" in reason:
        return "file is a symbolic link to another file of the run (fixed through it)"
    if "fix-max-" in reason:
        return "file over the fix budget (fix-max-bytes, fix-max-depth)"
    if "internal error" in reason:
        return "file left alone after an internal error"
    return "file left alone (cannot be read or rewritten)"


def reason_class(reason: str) -> str:
    """The short class of a reason a finding was left, for grouping in the summary."""
    if reason in _REVIEW:
        return reason
    if reason.startswith(NOT_WRITTEN):
        return NOT_WRITTEN
    if reason.startswith(FILE_LEFT_ALONE):
        return _file_class(reason)
    if "--unsafe-fixes" in reason:
        return UNSAFE
    if reason.startswith(("await is not allowed", "in a ", "in an ")):
        return "unsupported context (await not allowed there)"
    if "does not compile" in reason:
        return "did not compile"
    if reason.startswith("no automatic fix"):
        return "no automatic fix"
    if reason.startswith("strategy ") and "does not apply" in reason:
        return "chosen strategy does not apply"
    if "overlaps another edit" in reason or reason.startswith("another edit targets"):
        return "overlaps another change"
    if "needs the event loop's thread" in reason or "must stay on the event loop's thread" in reason:
        return "needs the event loop's thread (use --strategy propagate or twin)"
    if "a threading lock (" in reason:
        return "a threading lock is held around it"
    if "a list would not behave like it" in reason or "a list is not one" in reason or "to prune the walk" in reason:
        return "its iterator cannot be collected into a list"
    if reason.startswith("blocks inside the awaited coroutine"):
        return "blocks inside an awaited coroutine (seen at run time: no sync call to move to a thread)"
    if "is not a call asyncify can move" in reason:
        return "not a call (seen at run time)"
    if reason == "not fixed":
        return "not fixed"
    if reason.startswith("the project targets Python"):
        return reason  # the same for every finding it stops: the version and what it lacks
    return "the codemod cannot rewrite it"


@dataclass
class FixSummary:
    """What one ``fix`` run did (or, for ``--dry-run``/``--diff``, would do)."""

    mode: Mode
    changed_files: int
    fixed: int
    left: list[tuple[Finding, str]]
    converged: bool = True
    passes: int = 0
    write_problems: list[ChangedOnDisk | WriteFailed | HeldBack] = field(default_factory=list)
    interrupted: bool = False
    removed: list[Path] = field(default_factory=list)
    """Temporary files of an interrupted run, removed before writing."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Files ``fix`` left alone, with why (``FixResult.skipped``)."""
    notes: list[str] = field(default_factory=list)
    """What the project's dependencies changed about the fixes (``FixResult.notes``)."""


def build_report(summary: FixSummary, result: FixResult, *, pending: list[Finding] | None = None) -> Report:
    """The shared ``Report`` for the exit code; ``pending`` are planned but unwritten fixes."""
    report = Report(files=result.check.files, timings=dict(result.check.timings))
    report.findings = sorted([f for f, _ in summary.left] + list(pending or []), key=Finding.sort_key)
    report.errors = list(result.errors) + [FileError(str(p.path), p.reason) for p in summary.write_problems]
    report.fixed = summary.fixed
    report.changed_files = summary.changed_files
    return report


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def render_fix_summary(
    summary: FixSummary, report: Report, console: Console, config: Config, *, verbose: bool = False, quiet: bool = False
) -> None:
    """The summary block; see the module docstring. ``quiet`` keeps only the problems."""
    if not quiet:
        console.print(_headline(summary), style="bold")
    held = [p for p in summary.write_problems if isinstance(p, HeldBack)]
    for problem in summary.write_problems:
        if not isinstance(problem, HeldBack):
            console.print(Text(f"not written: {problem.path}: {problem.reason}", style="red"))
    if held:
        others = _count(len(held), "other file")
        console.print(Text(f"nothing was written: fix writes all files or none ({others} held back)", style="red"))
    for leftover in summary.removed:
        console.print(Text(f"removed {leftover}, a temporary file left by an interrupted run", style="yellow"))
    if not quiet:
        for note in summary.notes:
            console.print(Text(f"note: {note}", style="yellow"))
        for path, why in sorted(summary.skipped.items()):
            console.print(Text(f"left alone: {path}: {why}", style="yellow"))
    for error in report.errors[: len(report.errors) - len(summary.write_problems)]:
        console.print(Text(f"{error.path}: {error.message}", style="red"))
    if quiet:
        return
    if summary.left:
        console.print(Text(f"{_count(len(summary.left), 'finding')} left:", style="bold yellow"))
        classes = Counter(reason_class(reason) for _, reason in summary.left)
        for name, number in classes.most_common():
            console.print(Text(f"  {number:>3}  {name}"))
        if verbose:
            for finding, reason in sorted(summary.left, key=lambda item: item[0].sort_key()):
                line = Text("    ") + finding_text(finding)
                line.append(f"  ({reason})", style="dim")
                console.print(line)
    if not summary.converged:
        console.print(
            Text(
                f"fix did not converge after {summary.passes} passes: some fixes enable others;"
                " run `asyncify fix` again",
                style="yellow",
            )
        )
    for hint in _hints(summary, config):
        console.print(Text(f"hint: {hint}", style="cyan"))


def _headline(summary: FixSummary) -> str:
    files, fixed = _count(summary.changed_files, "file"), _count(summary.fixed, "finding")
    if summary.interrupted:
        return f"Interrupted: changed {files}, fixed {fixed}."
    if summary.mode is Mode.DRY_RUN or summary.mode is Mode.DIFF:
        if not summary.changed_files:
            return "No changes to make."
        return f"Would change {files}, fixing {fixed} (nothing written)."
    if not summary.changed_files:
        return "No files changed."
    return f"Changed {files}, fixed {fixed}."


def _hints(summary: FixSummary, config: Config) -> list[str]:
    """Options that would fix more of what is left."""
    hints = []
    unsafe = sum(1 for _, reason in summary.left if reason_class(reason) == UNSAFE)
    if unsafe and not config.unsafe_fixes:
        hints.append(f"--unsafe-fixes would also fix {_count(unsafe, 'finding')} (review those changes closely)")
    indirect = sum(1 for f, reason in summary.left if f.is_indirect and f.code == HELPER_CODE and reason not in _REVIEW)
    if indirect and (config.strategy is None or not config.strategy.rewrites_helpers):
        hints.append(
            f"--strategy twin or --strategy propagate rewrite the helpers behind {_count(indirect, 'indirect finding')}"
        )
    later = sum(1 for _, reason in summary.left if reason == LATER_PASS)
    if later:
        hints.append(f"-i offers only changes planned on the original text; run fix again for {later} more")
    return hints
