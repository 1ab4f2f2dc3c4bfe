"""``check --statistics``: how many findings per rule, instead of the findings, as ruff does.

```
12	AFY200	[*] blocking-helper-call
 3	AFY102	[ ] blocking-path-method
```

Most frequent first (then by code). ``[*]`` when ``fix`` fixes at least one of them (the
JSON form says how many: ``fixable_count``). With ``--format json`` the same as a list of
``{"code", "name", "count", "fixable", "fixable_count"}``, ruff's keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from asyncify.report.report import Report
from asyncify.rules import rule_for


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    name: str
    count: int
    fixable_count: int


def rule_counts(report: Report) -> list[RuleCount]:
    """One entry per rule with findings, most frequent first."""
    counts: dict[str, list[int]] = {}
    for finding in report.findings:
        entry = counts.setdefault(finding.code, [0, 0])
        entry[0] += 1
        entry[1] += finding.fixable
    rows = []
    for code, (count, fixable) in counts.items():
        rule = rule_for(code)
        rows.append(RuleCount(code, rule.name if rule is not None else code, count, fixable))
    return sorted(rows, key=lambda row: (-row.count, row.code))


def statistics_text(report: Report) -> str:
    """Tab-separated lines: the count (right-aligned), the code, ``[*]``/``[ ]`` and the name."""
    rows = rule_counts(report)
    if not rows:
        return ""
    width = max(len(str(row.count)) for row in rows)
    code_width = max(len(row.code) for row in rows)
    lines = []
    for row in rows:
        marker = "[*]" if row.fixable_count else "[ ]"
        lines.append(f"{str(row.count).rjust(width)}\t{row.code.ljust(code_width)}\t{marker} {row.name}\n")
    return "".join(lines)


def statistics_json(report: Report) -> str:
    rows = [
        {
            "code": row.code,
            "name": row.name,
            "count": row.count,
            "fixable": row.fixable_count > 0,
            "fixable_count": row.fixable_count,
        }
        for row in rule_counts(report)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
