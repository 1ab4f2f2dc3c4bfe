"""What a run returns: the result types every output layer reads.

Kept below ``report/`` and ``review/`` (and apart from the library API that builds them)
so that rendering a result never imports the machinery that computed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from asyncify.findings import Finding
from asyncify.scan.summary import ModuleSummary


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be checked, with a one-line reason."""

    path: str
    message: str


@dataclass
class CheckResult:
    """What ``check`` found: findings (sorted), files that failed, and stage timings."""

    findings: list[Finding]
    errors: list[FileError]
    files: int
    timings: dict[str, float] = field(default_factory=dict)
    summaries: list[ModuleSummary] = field(default_factory=list, repr=False)
    leftovers: list[Path] = field(default_factory=list)
    """Temporary files of an interrupted ``fix`` found by discovery (``fix`` removes them)."""
