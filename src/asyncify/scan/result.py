"""The closed set of results a per-file scan returns; scanning never raises."""

from __future__ import annotations

from dataclasses import dataclass

from asyncify.scan.summary import ModuleSummary


@dataclass(frozen=True, slots=True)
class Scanned:
    """The file parsed and was summarised."""

    summary: ModuleSummary


@dataclass(frozen=True, slots=True)
class ScanFailed:
    """The file could not be read or parsed; ``message`` says why, in one line."""

    path: str
    message: str


ScanResult = Scanned | ScanFailed
