"""How the run shows in ``check``'s output: a line per finding, a closing section, JSON keys.

Human output, under each finding::

    run time: confirmed, 7 blocking calls in 2 tests (io.BufferedReader.read, os.stat)
    run time: not exercised by the tests

and after the findings::

    run time (r.json: 6 tests, CPython 3.11.7, blockbuster 1.5.29): 14 confirmed, 1 observed only, ...
      not exercised: pkg/mod.py:57:16 AFY200 run_doctor -> check_config_valid
      dropped (pkg/api.py:12 fetch(url)): the file changed since the run and ...
      slow step: pkg/calc.py:40 in crunch: 0.31 s until this await (1 test)

JSON (additive to contract v1): each finding gets a ``runtime`` object (``status``,
and for confirmed and observed ones ``count``, ``tests``, ``primitives``, ``chains``),
and the document a ``runtime`` object with the report's facts, the counts per status,
``dropped``, ``outside`` and ``slow_steps``.
"""

from __future__ import annotations

from typing import Any

from asyncify.findings import Finding, helper_name
from asyncify.report.report import display_path
from asyncify.runtime.document import Chain
from asyncify.runtime.merge import RuntimeInfo, RuntimeMerge, Status, folded_frames

SHOWN_TESTS = 3


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def chain_text(merge: RuntimeMerge, finding: Finding) -> str | None:
    """An observed finding's chain with library frames folded:
    ``latest_price -> slowlib.client.fetch_quote (+2 library frames) -> socket.socket.recv()``."""
    info = merge.info_for(finding)
    if info is None or info.status is not Status.OBSERVED or not info.chains:
        return None
    chain = info.chains[0]
    names = [finding.function]
    for frame, hidden in folded_frames(chain):
        name = helper_name(frame.function) if frame.project else frame.function
        if hidden:
            name += f" (+{_count(hidden, 'library frame')})"
        names.append(name)
    names.append(f"{chain.primitive}()")
    return " -> ".join(names)


def finding_lines(merge: RuntimeMerge, finding: Finding) -> list[str]:
    """The ``run time: ...`` lines shown under a finding."""
    info = merge.info_for(finding)
    if info is None:
        return []
    if info.status in (Status.CONFIRMED, Status.OBSERVED):
        head = "confirmed, " if info.status is Status.CONFIRMED else ""
        lines = [
            f"run time: {head}{_count(info.count, 'blocking call')} in {_count(len(info.tests), 'test')}"
            f" ({', '.join(info.primitives)})"
        ]
        if info.tests:
            more = len(info.tests) - SHOWN_TESTS
            shown = ", ".join(info.tests[:SHOWN_TESTS]) + (f" (+{more} more)" if more > 0 else "")
            lines.append(f"tests: {shown}")
        if info.status is Status.OBSERVED and finding.not_fixable:
            lines.append(f"not fixable: {finding.not_fixable}")
        return lines
    if info.status is Status.EXERCISED:
        return ["run time: reached by the tests, but no blocking call was seen there"]
    if info.status is Status.NOT_EXERCISED:
        return ["run time: not exercised by the tests"]
    return [f"run time: unknown ({info.note})" if info.note else "run time: unknown"]


def section_lines(merge: RuntimeMerge) -> list[str]:
    """The closing section: counts, what no test exercised, dropped entries, slow steps."""
    report = merge.report
    counts = merge.counts()
    facts = ", ".join(part for part in (_count(report.tests, "test"), report.python, report.detector) if part)
    parts = [
        f"{counts[Status.CONFIRMED]} confirmed",
        f"{counts[Status.OBSERVED]} observed only",
        f"{counts[Status.EXERCISED]} reached without blocking",
        f"{counts[Status.NOT_EXERCISED]} not exercised",
    ]
    if counts[Status.UNKNOWN]:
        parts.append(f"{counts[Status.UNKNOWN]} unknown")
    lines = [f"run time ({merge.source}: {facts}): {', '.join(parts)}"]
    for finding in merge.findings:
        info = merge.info_for(finding)
        if info is not None and info.status is Status.NOT_EXERCISED:
            span = finding.span
            where = f"{display_path(finding.path)}:{span.line}:{span.column}"
            lines.append(f"  not exercised: {where} {finding.code} {finding.chain_text() or finding.function}")
    for dropped in merge.dropped:
        text = f" {dropped.text}" if dropped.text else ""
        lines.append(f"  dropped ({dropped.path}:{dropped.line} {dropped.function}{text}): {dropped.reason}")
    if merge.outside:
        lines.append(f"  {_count(merge.outside, 'call site')} of the report in files this run does not check")
    for step in merge.slow_steps:
        lines.append(
            f"  slow step: {display_path(step.path)}:{step.line} in {step.function}: {step.seconds:.2f} s until this "
            f"line ({_count(len(step.tests), 'test')})"
        )
    return lines


def _chain_dict(chain: Chain, merge: RuntimeMerge) -> dict[str, Any]:
    """Project frames' paths as the findings show paths; library frames' as recorded."""
    return {
        "primitive": chain.primitive,
        "count": chain.count,
        "frames": [
            {
                "function": f.function,
                "path": display_path(str(merge.root / f.path)) if f.project else f.path,
                "line": f.line,
                "project": f.project,
            }
            for f in chain.frames
        ],
    }


def finding_json(merge: RuntimeMerge, finding: Finding) -> dict[str, Any] | None:
    """The ``runtime`` key of a finding in ``--format json`` (and SARIF properties)."""
    info: RuntimeInfo | None = merge.info_for(finding)
    if info is None:
        return None
    data: dict[str, Any] = {"status": info.status.value}
    if info.status in (Status.CONFIRMED, Status.OBSERVED):
        data.update(
            count=info.count,
            tests=list(info.tests),
            primitives=list(info.primitives),
            chains=[_chain_dict(c, merge) for c in info.chains],
        )
    if info.note:
        data["note"] = info.note
    return data


def summary_json(merge: RuntimeMerge) -> dict[str, Any]:
    """The document-level ``runtime`` key."""
    report = merge.report
    return {
        "report": str(merge.source),
        "root": report.root,
        "tests": report.tests,
        "python": report.python,
        "detector": report.detector,
        "lines_traced": report.lines_traced,
        "counts": {status.value: number for status, number in merge.counts().items()},
        "dropped": [
            {"path": d.path, "line": d.line, "function": d.function, "text": d.text, "reason": d.reason}
            for d in merge.dropped
        ],
        "outside": merge.outside,
        "slow_steps": [
            {
                "path": display_path(s.path),
                "function": s.function,
                "line": s.line,
                "count": s.count,
                "seconds": s.seconds,
                "tests": list(s.tests),
            }
            for s in merge.slow_steps
        ],
    }
