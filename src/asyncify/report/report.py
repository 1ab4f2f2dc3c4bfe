"""One ``Report`` per run: the counters every subcommand shares and the exit-code contract.

Exit codes (the same for ``check`` and ``fix``):

- ``0``: no findings left and every file could be checked (or ``--exit-zero``);
- ``1``: findings left, or files that could not be read or parsed;
- ``2``: usage, configuration or internal error (click also exits 2 on bad usage).

``--exit-zero`` turns 1 into 0 and never hides a 2.
"""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asyncify.findings import Finding

if TYPE_CHECKING:
    from asyncify.results import CheckResult, FileError
    from asyncify.runtime.merge import RuntimeMerge


class ExitCode(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    ERROR = 2


@dataclass
class Report:
    """Counters and results of one run; renderers read it, the CLI exits with ``exit_code``.

    ``findings`` are the findings still standing (after ``fix``, the ones left);
    ``errors`` the files that could not be checked; ``failures`` the messages of fatal
    errors (bad configuration, internal errors), which make the exit code 2.
    ``fixed`` and ``changed_files`` are for ``fix`` to count what it resolved and wrote.
    """

    exit_zero: bool = False
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    fixed: int = 0
    changed_files: int = 0
    runtime: RuntimeMerge | None = None
    """``check --runtime``: the run-time report merged in (statuses, dropped entries)."""
    baselined: int | None = None
    """``check --baseline``: how many findings the baseline accepted (``None``: no baseline)."""
    baseline_unmatched: int = 0
    """Baseline entries no current finding matched (fixed, or changed beyond recognition)."""

    def add_check(self, result: CheckResult) -> None:
        """Take in what ``run_check`` returned."""
        self.files += result.files
        self.findings = [*self.findings, *result.findings]
        self.errors = [*self.errors, *result.errors]
        for stage, seconds in result.timings.items():
            self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def fail(self, message: str) -> None:
        """Record a fatal error (configuration, usage, internal): the exit code becomes 2."""
        self.failures.append(message)

    def ordered(self) -> list[Finding]:
        """The findings in output order: by shown path, line, column, code."""
        shown: dict[str, str] = {}

        def key(finding: Finding) -> tuple[str, int, int, str]:
            if finding.path not in shown:
                shown[finding.path] = display_path(finding.path)
            return (shown[finding.path], finding.span.line, finding.span.column, finding.code)

        return sorted(self.findings, key=key)

    @property
    def fixable(self) -> int:
        return sum(1 for finding in self.findings if finding.fixable)

    @property
    def files_with_findings(self) -> int:
        return len({display_path(finding.path) for finding in self.findings})

    @property
    def exit_code(self) -> int:
        if self.failures:
            return ExitCode.ERROR
        if (self.findings or self.errors) and not self.exit_zero:
            return ExitCode.FINDINGS
        return ExitCode.CLEAN

    def summary(self) -> str:
        """``3 findings in 2 files (1 fixable), checked 10 files; 1 file could not be checked``."""
        if self.findings:
            head = (
                f"{_count(len(self.findings), 'finding')} in {_count(self.files_with_findings, 'file')}"
                f" ({self.fixable} fixable), checked {_count(self.files, 'file')}"
            )
        else:
            head = f"No findings, checked {_count(self.files, 'file')}"
        if self.fixed or self.changed_files:
            head += f"; fixed {_count(self.fixed, 'finding')} in {_count(self.changed_files, 'file')}"
        if self.errors:
            verb = "file could" if len(self.errors) == 1 else "files could"
            head += f"; {len(self.errors)} {verb} not be checked"
        if self.baselined is not None:
            head += f"; {self.baselined} baselined"
            if self.baseline_unmatched:
                n = self.baseline_unmatched
                entries = f"{n} baseline {'entry' if n == 1 else 'entries'}"
                head += f" ({entries} no longer found: rewrite it with --write-baseline)"
        return head

    def timings_text(self) -> str:
        """``discover 0.01s, scan 0.20s, analyse 0.03s``."""
        return ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in self.timings.items())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def display_path(path: str) -> str:
    """Relative to the current directory when under it, with forward slashes, as one
    line of valid UTF-8, the same in every format: bytes of a file name that do not
    decode (``caf\\xe9.py`` on a UTF-8 system) and control characters (a newline, an
    escape sequence) are shown as backslash escapes."""
    text = relative_path(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def relative_path(path: str) -> str:
    """``display_path`` without the escaping: the file system's own name (for URIs)."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(absolute, cwd)).as_posix()
    return Path(absolute).as_posix()
