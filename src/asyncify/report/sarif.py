"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver.rules`` holds every rule that appears in the results, with its
documentation as ``help`` (markdown); each result points at its rule by ``ruleId`` and
``ruleIndex``. Locations are relative URIs against ``%SRCROOT%`` (the current directory,
given in ``originalUriBaseIds``); columns count code points (``columnKind``), as the
findings do. An indirect finding carries its chain as a ``codeFlow``: the call in async
code, the helper, then each call down to the blocking primitive. Files that could not be
checked are ``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from asyncify import __version__
from asyncify.findings import Finding, display_name, helper_name
from asyncify.report.report import Report, display_path, relative_path
from asyncify.rules import rule_for

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://pypi.org/project/asyncify-lint/"
SRCROOT = "%SRCROOT%"
LEVEL = "warning"


def artifact_location(path: str) -> dict[str, str]:
    """A URI of the file's own bytes, percent-encoded (any file name is a valid URI)."""
    shown = relative_path(path)
    if os.path.isabs(shown):
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(os.fsencode(shown)), "uriBaseId": SRCROOT}


def physical_location(
    path: str, line: int, column: int | None = None, end_line: int | None = None, end_column: int | None = None
) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": line}
    if column is not None:
        region["startColumn"] = column
    if end_line is not None:
        region["endLine"] = end_line
    if end_column is not None:
        region["endColumn"] = end_column
    return {"physicalLocation": {"artifactLocation": artifact_location(path), "region": region}}


def _section(documentation: str, heading: str) -> str:
    """The text under ``heading`` up to the next ``## `` heading."""
    match = re.search(rf"^{re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", documentation, re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def rule_descriptor(code: str, example: Finding) -> dict[str, Any]:
    """The ``reportingDescriptor`` of a rule; ``example`` names it when no rule class does."""
    rule = rule_for(code)
    if rule is None:
        return {
            "id": code,
            "name": code,
            "shortDescription": {"text": example.message},
            "defaultConfiguration": {"level": LEVEL},
        }
    documentation = rule.documentation()
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": _section(documentation, "## What it finds") or rule.summary()},
        "help": {"text": documentation, "markdown": documentation},
        "defaultConfiguration": {"level": LEVEL},
    }


def code_flow(finding: Finding) -> dict[str, Any]:
    """The chain as one thread flow: async caller, helper definition, calls to the primitive."""
    span = finding.span
    steps = [
        {
            "location": {
                **physical_location(finding.path, span.line, span.column, span.end_line, span.end_column),
                "message": {"text": f"{finding.function} calls {helper_name(finding.call)}"},
            }
        }
    ]
    for index, link in enumerate(finding.chain):
        if index == 0:
            text = f"{helper_name(link.function)} is defined here"
        elif index == len(finding.chain) - 1:
            text = f"calls {display_name(link.function)}(), which blocks"
        else:
            text = f"calls {helper_name(link.function)}"
        steps.append({"location": {**physical_location(link.path, link.line), "message": {"text": text}}})
    return {"message": {"text": finding.chain_text()}, "threadFlows": [{"locations": steps}]}


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    span = finding.span
    text = finding.message if not finding.chain else f"{finding.message} (chain: {finding.chain_text()})"
    entry: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVEL,
        "message": {"text": text},
        "locations": [physical_location(finding.path, span.line, span.column, span.end_line, span.end_column)],
        "properties": {
            "function": finding.function,
            "call": finding.call,
            "confidence": finding.confidence.value,
            "fixable": finding.fixable,
            "strategies": list(finding.strategies),
        },
    }
    if finding.chain:
        entry["codeFlows"] = [code_flow(finding)]
    return entry


def sarif_dict(report: Report) -> dict[str, Any]:
    findings = report.ordered()
    indices: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for finding in sorted(findings, key=lambda f: f.code):
        if finding.code not in indices:
            indices[finding.code] = len(rules)
            rules.append(rule_descriptor(finding.code, finding))
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{display_path(error.path)}: {error.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(error.path)}}],
        }
        for error in report.errors
    ]
    notifications += [{"level": "error", "message": {"text": failure}} for failure in report.failures]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "asyncify",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(Path.cwd())}},
                "columnKind": "unicodeCodePoints",
                "results": _results(report, findings, indices),
                "invocations": [
                    {
                        "executionSuccessful": not report.failures,
                        "exitCode": report.exit_code,
                        "toolExecutionNotifications": notifications,
                    }
                ],
            }
        ],
    }


def _results(report: Report, findings: list[Finding], indices: dict[str, int]) -> list[dict[str, Any]]:
    """One result per finding; with ``--runtime``, its run-time status in ``properties``."""
    results = [result(f, indices[f.code]) for f in findings]
    if report.runtime is not None:
        from asyncify.runtime.display import finding_json

        for entry, finding in zip(results, findings, strict=True):
            entry["properties"]["runtime"] = finding_json(report.runtime, finding)
    return results


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render_sarif(report: Report) -> str:
    return json.dumps(sarif_dict(report), indent=2, ensure_ascii=False) + "\n"
