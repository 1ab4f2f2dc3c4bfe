"""``--format json``: a stable, versioned document for scripts.

```
{"version": 1,
 "findings": [{"code", "message", "path", "line", "column", "end_line", "end_column",
               "function", "call", "chain": [{"function", "path", "line"}],
               "confidence": "certain" | "likely", "fixable", "strategies",
               "not_applicable": {strategy: reason}, "not_fixable": reason | null}],
 "errors": [{"path", "message"}],
 "baselined": 13,                         # only with a baseline: findings it accepted
 "timings": {"discover": 0.01, ...},      # only when asked for (--verbose)
 "runtime": {...}}                        # only with --runtime (asyncify.runtime.display)
```

Lines and columns are 1-based (columns count characters, end exclusive); paths are
relative to the current directory when under it, with forward slashes; ``chain`` is
empty for direct findings. Adding a key is allowed within a version; renaming or
removing one is a new version.
"""

from __future__ import annotations

import json
from typing import Any

from asyncify.findings import Finding
from asyncify.report.report import Report, display_path

JSON_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "code": finding.code,
        "message": finding.message,
        "path": display_path(finding.path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "function": finding.function,
        "call": finding.call,
        "chain": [
            {"function": link.function, "path": display_path(link.path), "line": link.line} for link in finding.chain
        ],
        "confidence": finding.confidence.value,
        "fixable": finding.fixable,
        "strategies": list(finding.strategies),
        "not_applicable": {strategy: reason for strategy, reason in finding.strategy_notes},
        "not_fixable": finding.not_fixable,
    }


def report_dict(report: Report, *, timings: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "findings": [finding_dict(f) for f in report.ordered()],
        "errors": [{"path": display_path(e.path), "message": e.message} for e in report.errors],
    }
    if report.runtime is not None:
        from asyncify.runtime.display import finding_json, summary_json

        for entry, finding in zip(document["findings"], report.ordered(), strict=True):
            entry["runtime"] = finding_json(report.runtime, finding)
        document["runtime"] = summary_json(report.runtime)
    if report.baselined is not None:
        document["baselined"] = report.baselined
    if timings:
        document["timings"] = {stage: round(seconds, 6) for stage, seconds in report.timings.items()}
    return document


def render_json(report: Report, *, timings: bool = False) -> str:
    return json.dumps(report_dict(report, timings=timings), indent=2, ensure_ascii=False) + "\n"
