"""``asyncify rules`` and ``asyncify explain CODE``: the rules' own documentation."""

from __future__ import annotations

import enum
import sys
from typing import Annotated

import typer

from asyncify.cli.options import fail


class ListFormat(enum.StrEnum):
    HUMAN = "human"
    JSON = "json"


def rules(
    output_format: Annotated[
        ListFormat, typer.Option("--format", help="human (a table) or json.", case_sensitive=False)
    ] = ListFormat.HUMAN,
) -> None:
    """List every rule: code, name and one-line summary."""
    from asyncify.report.rules import render_rules, rules_json, rules_text

    if output_format is ListFormat.JSON:
        sys.stdout.write(rules_json())
    elif not _terminal():
        sys.stdout.write(rules_text())
    else:
        from asyncify.report.human import make_console

        render_rules(make_console(sys.stdout))


def explain(
    code: Annotated[str, typer.Argument(help="A rule code (AFY110) or name (blocking-sleep).", show_default=False)],
) -> None:
    """Print a rule's documentation: what it finds, why, examples, the fix and its safety."""
    from asyncify.report.rules import close_matches, explanation_text, find_rule, render_explanation

    rule = find_rule(code)
    if rule is None:
        close = close_matches(code)
        hint = f"did you mean {', '.join(close)}?" if close else "`asyncify rules` lists the codes."
        fail(f"unknown rule {code!r}", hint)
    if not _terminal():
        sys.stdout.write(explanation_text(rule))
        return
    from asyncify.report.human import make_console

    render_explanation(rule, make_console(sys.stdout))


def _terminal() -> bool:
    """Whether stdout gets the rich rendering (``NO_COLOR`` and ``FORCE_COLOR`` count)."""
    from asyncify.report.terminal import use_color

    return use_color(sys.stdout)
