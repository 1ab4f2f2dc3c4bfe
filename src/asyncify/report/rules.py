"""What ``asyncify rules`` and ``asyncify explain CODE`` print."""

from __future__ import annotations

import difflib
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from asyncify.rules import Rule, all_rules


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


def render_rules(console: Console) -> None:
    """A table on a terminal; aligned plain columns otherwise (no borders to parse)."""
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
    width = max((len(rule.name) for rule in rules.values()), default=0)
    for code, rule in rules.items():
        console.print(Text(f"{code}  {rule.name:<{width}}  {rule.summary()}"))


def rules_json() -> str:
    rows = [
        {"code": code, "name": rule.name, "summary": rule.summary(), "indirect": rule.indirect, "noqa": list(rule.noqa)}
        for code, rule in all_rules().items()
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_explanation(rule: type[Rule], console: Console) -> None:
    """The rule's documentation: rich Markdown on a terminal, the plain text otherwise."""
    title = f"{rule.code} ({rule.name})"
    documentation = rule.documentation()
    if console.is_terminal:
        from rich.markdown import Markdown  # costs 0.2 s of start-up: only for explain

        console.print(Markdown(f"# {title}\n\n{documentation}"))
    else:
        console.print(Text(f"{title}\n\n{documentation}"))
