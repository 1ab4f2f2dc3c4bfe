"""What ``asyncify rules`` and ``asyncify explain CODE`` print.

On a terminal through rich (a table, rendered Markdown); otherwise as plain text built
here, so that a pipe or a script does not pay for importing rich.
"""

from __future__ import annotations

import difflib
import json
from typing import TYPE_CHECKING

from asyncify.rules import Rule, all_rules

if TYPE_CHECKING:
    from rich.console import Console


def find_rule(query: str) -> type[Rule] | None:
    """A rule by code (any case) or by name (``blocking-sleep``)."""
    rules = all_rules()
    wanted = query.strip()
    found = rules.get(wanted.upper())
    if found is not None:
        return found
    return next((rule for rule in rules.values() if rule.name == wanted.lower()), None)


def close_matches(query: str) -> list[str]:
    """Codes and names that look like ``query``, for a 'did you mean' hint."""
    rules = all_rules()
    candidates = [*rules, *(rule.name for rule in rules.values())]
    upper = {c.upper(): c for c in candidates}
    return [upper[m] for m in difflib.get_close_matches(query.upper(), list(upper), n=3, cutoff=0.6)]


def rules_text() -> str:
    """Aligned plain columns (no borders to parse): code, name, summary."""
    rules = all_rules()
    width = max((len(rule.name) for rule in rules.values()), default=0)
    return "".join(f"{code}  {rule.name:<{width}}  {rule.summary()}\n" for code, rule in rules.items())


def explanation_text(rule: type[Rule]) -> str:
    """The rule's documentation as plain text, under its code and name."""
    return f"{rule.code} ({rule.name})\n\n{rule.documentation()}\n"


def render_rules(console: Console) -> None:
    """A table on a terminal; aligned plain columns otherwise (no borders to parse)."""
    from rich.table import Table
    from rich.text import Text

    rules = all_rules()
    if console.is_terminal:
        table = Table(show_edge=False, header_style="bold")
        table.add_column("Code", style="bold red", no_wrap=True)
        table.add_column("Name", no_wrap=True)
        table.add_column("Summary")
        for code, rule in rules.items():
            table.add_row(code, rule.name, rule.summary())
        console.print(table)
        return
    for line in rules_text().splitlines():
        console.print(Text(line))


def rules_json() -> str:
    rows = [
        {"code": code, "name": rule.name, "summary": rule.summary(), "indirect": rule.indirect, "noqa": list(rule.noqa)}
        for code, rule in all_rules().items()
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_explanation(rule: type[Rule], console: Console) -> None:
    """The rule's documentation: rich Markdown on a terminal, the plain text otherwise."""
    from rich.text import Text

    title = f"{rule.code} ({rule.name})"
    documentation = rule.documentation()
    if console.is_terminal:
        from rich.markdown import Markdown  # costs 0.2 s of start-up: only for explain

        console.print(Markdown(f"# {title}\n\n{documentation}"))
    else:
        console.print(Text(f"{title}\n\n{documentation}"))
