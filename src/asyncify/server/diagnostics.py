"""A finding as the editor shows it: a diagnostic with its call chain, and a hover text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lsprotocol import types

from asyncify.findings import ChainLink, Finding, display_name, helper_name
from asyncify.server.text import Units, line_range, span_range

SOURCE = "asyncify"

Locate = Callable[[str], str]
"""A finding's path (as ``check`` shows it) -> the document URI."""


def diagnostic(finding: Finding, lines: Sequence[str], units: Units, locate: Locate, key: str) -> types.Diagnostic:
    """``key`` travels in ``data`` so that a code action finds its finding again."""
    message = finding.message
    if finding.is_indirect:
        message += f"\nchain: {finding.chain_text()}"
    if finding.not_fixable:
        message += f"\nnot fixed automatically: {finding.not_fixable}"
    return types.Diagnostic(
        range=span_range(lines, finding.span, units),
        message=message,
        severity=types.DiagnosticSeverity.Warning,
        code=finding.code,
        source=SOURCE,
        related_information=[_related(link, index, finding.chain, locate) for index, link in enumerate(finding.chain)]
        or None,
        data={"key": key},
    )


def _related(
    link: ChainLink, index: int, chain: Sequence[ChainLink], locate: Locate
) -> types.DiagnosticRelatedInformation:
    """``chain[0]`` is the helper called (where it is defined); each later link the next
    call (where it is made), the last one the blocking API."""
    if index == 0:
        text = f"`{helper_name(link.function)}` is defined here"
    elif index == len(chain) - 1:
        text = f"calls `{display_name(link.function)}()`, which blocks"
    else:
        text = f"calls `{helper_name(link.function)}`"
    return types.DiagnosticRelatedInformation(
        location=types.Location(uri=locate(link.path), range=line_range(link.line)), message=text
    )


def hover_text(finding: Finding) -> str:
    """Markdown: the message, the chain, the strategies, then the rule's documentation."""
    from asyncify.rules import rule_for

    parts = [f"**{finding.code}** {finding.message}"]
    if finding.is_indirect:
        parts.append(f"chain: `{finding.chain_text()}`")
    if finding.strategies:
        parts.append(f"fix strategies: {', '.join(finding.strategies)}")
    parts += [f"not {strategy}: {reason}" for strategy, reason in finding.strategy_notes]
    if finding.not_fixable:
        parts.append(f"not fixed automatically: {finding.not_fixable}")
    rule = rule_for(finding.code)
    if rule is not None:
        parts += ["---", f"### {rule.code} ({rule.name})", _under_heading(rule.documentation())]
    return "\n\n".join(parts)


def _under_heading(markdown: str) -> str:
    """The documentation's section headings (``## Fix``) three levels down, below the
    rule's own heading; lines inside code fences (comments) are left as they are."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            line = "###" + line
        lines.append(line)
    return "\n".join(lines)
