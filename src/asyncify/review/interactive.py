"""``fix -i``: review one change at a time, like ``git add -p``.

A *change* is one first-pass ``Change``: one finding's edit planned against the text
before the passes (the original, or ``base`` where phase 1 changed the file). It is
shown as the diff of that text against ``file_fix.apply({key})`` (that change alone,
with the imports it needs), with its finding and its position ``(3/17)``. With
``--strategy twin|propagate`` phase 1's components are asked about first, each as one
question (``asyncify.review.components``).

Only first-pass changes are offered. Later passes of ``fix`` are planned against the
text *after* earlier passes, so they exist only if the changes before them were
accepted; offering them would mean re-planning after every answer. Instead they are
reported as left ("run fix again"), and a second ``fix -i`` offers them on top of what
was written.

A change that another change rewrites itself (``FileFix.absorbed``: the ``json.load(f)``
inside a ``with open`` block that aiofiles converts) is not asked about again: it goes
with the answer to that change. Only when that change was rejected (``n``) is it offered
on its own, since then it is a different edit (wrapping the call).

Answers come one per key press on a terminal and one per line otherwise, so sessions
can be scripted and tested (``printf 'y\\nn\\nq\\n' | asyncify fix -i``). End of input
means ``q``. Ctrl-C aborts the review and nothing is written.

The accepted changes of a file are applied together with ``file_fix.apply(accepted)``,
which compile-checks the result again: changes that are fine alone could in principle
clash, and what does not compile is refused and reported, never written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

import typer
from rich.console import Console
from rich.text import Text

from asyncify.edits import RewriteOutcome
from asyncify.findings import Finding
from asyncify.fix_files import FileFix
from asyncify.plan import Change
from asyncify.review.render import change_renderable
from asyncify.review.summary import LATER_PASS, NOT_REVIEWED, REJECTED, SKIPPED

KEYS = "y,n,a,d,A,q,?"
HELP = """\
y - accept this change
n - reject this change
a - accept this change and the rest of this file
d - skip this change and the rest of this file
A - accept this change and all remaining changes
q - quit; write the changes accepted so far
? - print this help"""

Ask = Callable[[], str | None]
"""Reads one answer; ``None`` at end of input."""


@dataclass
class Review:
    """The answers: accepted keys per file, and what was not accepted with the reason."""

    accepted: dict[str, set[int]] = field(default_factory=dict)
    left: list[tuple[Finding, str]] = field(default_factory=list)
    quit: bool = False


def terminal_reader(stream: TextIO) -> Ask:
    """Single key presses on a terminal (Ctrl-D is end of input), lines otherwise."""
    if stream.isatty():

        def key() -> str | None:
            try:
                return typer.getchar().strip()  # Enter alone asks for the help
            except EOFError:
                return None

        return key

    def line() -> str | None:
        text = stream.readline()
        return text.strip() if text else None

    return line


def default_reader() -> Ask:
    return terminal_reader(sys.stdin)


def ordered_changes(files: Sequence[FileFix]) -> list[tuple[FileFix, Change]]:
    """Every first-pass change, file by file, top to bottom; of calls that start together
    (a receiver chain: ``open(p).read()``) the outermost first, since it may absorb the
    others."""
    out = []
    for file_fix in sorted(files, key=lambda f: f.display):
        changes = sorted(file_fix.first_pass, key=_position)
        out += [(file_fix, change) for change in changes]
    return out


def _position(change: Change) -> tuple[int, int, int, int, int]:
    span = change.finding.span
    return (span.line, span.column, -span.end_line, -span.end_column, change.key)


def run_review(
    files: Sequence[FileFix], console: Console, ask: Ask, *, accept_all: bool = False, quit: bool = False
) -> Review:
    """Ask about every first-pass change until all are answered or the user quits
    (``accept_all``/``quit``: an ``A``/``q`` given while reviewing the components)."""
    review = Review(quit=quit)
    queue = ordered_changes(files)
    file_answer: dict[str, str] = {}
    for index, (file_fix, change) in enumerate(queue, start=1):
        accepted = review.accepted.setdefault(file_fix.display, set())
        if review.quit:
            review.left.append((change.finding, NOT_REVIEWED))
            continue
        owner = file_fix.absorbed.get(change.key)
        if owner is not None and owner in accepted:
            accepted.add(change.key)  # the change that rewrites this call too was accepted
            continue
        standing = "a" if accept_all else file_answer.get(file_fix.display)
        if standing == "a":
            accepted.add(change.key)
            continue
        if standing == "d":
            review.left.append((change.finding, SKIPPED))
            continue
        # shown with the changes it absorbs, which its answer decides too
        absorbed = [c for c in file_fix.first_pass if file_fix.absorbed.get(c.key) == change.key]
        outcome = file_fix.apply({change.key, *(c.key for c in absorbed)})
        if change.key not in outcome.applied:
            reason = outcome.refused.get(change.key, "cannot be applied on its own")
            console.print(Text(f"({index}/{len(queue)}) {file_fix.display}: skipped, {reason}", style="yellow"))
            review.left.append((change.finding, reason))
            continue
        console.print(change_renderable(file_fix, change, outcome.source, f"{index}/{len(queue)}", absorbed))
        answer = ask_until_valid(console, ask, f"Apply this change [{KEYS}]? ", ("y", "n", "a", "d", "A", "q"), HELP)
        if answer in ("y", "a", "A"):
            accepted.add(change.key)
            if answer == "a":
                file_answer[file_fix.display] = "a"
            accept_all = accept_all or answer == "A"
        elif answer == "q":
            review.quit = True
            review.left.append((change.finding, NOT_REVIEWED))
        else:
            review.left.append((change.finding, REJECTED if answer == "n" else SKIPPED))
            if answer == "d":
                file_answer[file_fix.display] = "d"
    return review


def ask_until_valid(console: Console, ask: Ask, prompt: str, answers: Sequence[str], help_text: str) -> str:
    """One of ``answers``; end of input is ``q``, ``?`` and unknown input print the help."""
    while True:
        console.print(Text(prompt, style="bold blue"), end="")
        raw = ask()
        if raw is None:
            console.print("q")
            return "q"
        console.print(raw)
        if raw in answers:
            return raw
        if raw not in ("?", ""):
            console.print(Text(f"unknown answer {raw!r}", style="red"))
        console.print(Text(help_text, style="yellow"))


def apply_review(
    files: Sequence[FileFix], review: Review
) -> tuple[list[tuple[FileFix, RewriteOutcome]], list[tuple[Finding, str]]]:
    """Each file's accepted changes applied together, and every finding left with why.

    Later-pass changes (see the module docstring) are left with ``LATER_PASS``; accepted
    changes the engine refuses together are left with its reason. A file phase 1 changed
    (``base``: the components accepted) is written even when no change of it was accepted.
    """
    applied: list[tuple[FileFix, RewriteOutcome]] = []
    left = list(review.left)
    for file_fix in files:
        first = {c.key for c in file_fix.first_pass}
        left += [(c.finding, LATER_PASS) for c in file_fix.changes if c.key not in first]
        keys = review.accepted.get(file_fix.display, set())
        if not keys and file_fix.base is None:
            continue
        outcome = file_fix.apply(keys)
        by_key = {c.key: c for c in file_fix.first_pass}
        left += [(by_key[k].finding, reason) for k, reason in outcome.refused.items() if k in by_key]
        if outcome.applied or file_fix.base is not None:
            applied.append((file_fix, outcome))
    return applied, left
