"""``fix -i`` for phase 1: each twin/propagate component is one question.

A component (``asyncify.structural.model.Component``) is a group of twins, ``async
def``s and awaited calls that only work together, often across files. It is shown as
the diff of every file it changes, each rewritten with that component alone, and is
accepted or rejected whole (``y``/``n``; ``A`` accepts it and everything after it, ``q``
quits). The first pass's per-call changes are asked about afterwards, planned against
the text with the accepted components.

When a component is not accepted, the fix is planned again with its findings withheld
from phase 1 (``run_fix(withheld=...)``): the per-call changes offered next, and the
files written, are then exactly what ``fix`` does without that component (its boundary
wraps and the calls inside its twins disappear with it, and its helper findings are
left). When every component is accepted nothing is planned again, so ``y`` to every
question writes what plain ``fix`` writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.console import Console, Group, RenderableType
from rich.text import Text

from asyncify.findings import Finding
from asyncify.fix_files import FileFix
from asyncify.restructure import component_texts
from asyncify.review.diffs import hunks, split_lines
from asyncify.review.interactive import Ask, ask_until_valid
from asyncify.review.render import HunkPainter
from asyncify.review.summary import NOT_REVIEWED, REJECTED
from asyncify.structural.model import Component, FindingKey, finding_key

KEYS = "y,n,A,q,?"
HELP = """\
y - apply this component (every file it changes)
n - leave this component out (none of its files change for it)
A - apply this component and all remaining components and changes
q - quit; write the components accepted so far, review no change
? - print this help"""
ANSWERS = ("y", "n", "A", "q")


@dataclass
class ComponentReview:
    """The answers about phase 1's components."""

    accepted: list[Component] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    """Components not accepted -> why (``REJECTED``, ``NOT_REVIEWED``)."""
    withheld: dict[FindingKey, str] = field(default_factory=dict)
    """The findings of those components -> the same reason."""
    accept_all: bool = False
    quit: bool = False

    @property
    def complete(self) -> bool:
        """Every component accepted: the planned fix stands as it is."""
        return not self.refused


def review_components(
    components: Sequence[Component], files: Sequence[FileFix], console: Console, ask: Ask
) -> ComponentReview:
    """Ask about each component, in order, until all are answered or the user quits."""
    review = ComponentReview()
    by_path = {str(f.source.path): f for f in files}
    for index, component in enumerate(components, start=1):
        if review.accept_all:
            review.accepted.append(component)
            continue
        if review.quit:
            _refuse(review, component, NOT_REVIEWED)
            continue
        console.print(component_renderable(component, by_path, f"component {index}/{len(components)}"))
        answer = ask_until_valid(console, ask, f"Apply this component [{KEYS}]? ", ANSWERS, HELP)
        if answer in ("y", "A"):
            review.accepted.append(component)
            review.accept_all = answer == "A"
        elif answer == "n":
            _refuse(review, component, REJECTED)
        else:
            review.quit = True
            _refuse(review, component, NOT_REVIEWED)
    return review


def _refuse(review: ComponentReview, component: Component, reason: str) -> None:
    review.refused[component.name] = reason
    review.withheld.update((key, reason) for key in component.findings)


def component_kind(component: Component) -> str:
    """``propagate`` when it turns a def into ``async def``, else ``twin``."""
    return "propagate" if any(ops.make_async for ops in component.files.values()) else "twin"


def component_renderable(component: Component, files: Mapping[str, FileFix], position: str) -> RenderableType:
    """Position, kind, the findings it resolves, then each file's diff with it alone."""
    names = [files[p].display if p in files else p for p in component.files]
    title = Text(f"({position}) ", style="bold magenta")
    title.append(f"{component_kind(component)}: {', '.join(names)}", style="bold underline")
    parts: list[RenderableType] = [Text(""), title]
    for _, function, call, code in sorted(component.findings):
        line = Text("  ▸ ", style="yellow")
        line.append(f"{code} {call}() in {function}", style="bold")
        parts.append(line)
    texts = component_texts(component, {p: files[p].source.text for p in component.files if p in files})
    for path, name in zip(component.files, names, strict=True):
        parts.append(Text(name, style="bold"))
        old, new = files[path].source.text if path in files else "", texts.get(path)
        if new is None:
            parts.append(Text("    (applies only together with another component)", style="dim"))
            continue
        painter = HunkPainter(old, new)
        parts += [painter.paint(h) for h in hunks(split_lines(old), split_lines(new))]
    return Group(*parts)


def relabel(left: Sequence[tuple[Finding, str]], review: ComponentReview) -> list[tuple[Finding, str]]:
    """``left`` with the findings of components not accepted given the review's reason."""
    return [(f, review.withheld.get(finding_key(f), reason)) for f, reason in left]
