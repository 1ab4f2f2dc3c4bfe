"""``fix -i --update-mocks``: each test file's mock updates are one question.

``--update-mocks`` rewrites the tests that patch a function a twin or propagation
changed (``asyncify.mock_updates``). Under ``-i`` those rewrites are shown after the
components, one test file at a time (the diff of its mock updates), and accepted or
rejected whole: ``y``/``n``; ``A`` accepts it and everything after it; ``q`` quits,
keeping the rest of the tests as they are. A test file not accepted is planned again
with its mocks kept (``run_fix(kept_mocks=...)``), so what is written is exactly what
``fix --update-mocks`` writes without that file's updates, and the summary says which
patches were left. ``y`` to every question plans nothing again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.console import Console, Group, RenderableType
from rich.text import Text

from asyncify.fix_files import FileFix
from asyncify.review.diffs import hunks, split_lines
from asyncify.review.interactive import Ask, ask_until_valid
from asyncify.review.render import HunkPainter

KEYS = "y,n,A,q,?"
HELP = """\
y - update this test file's mocks
n - leave this test file as it is
A - update this file and accept all remaining questions
q - quit; leave this and the remaining test files as they are, review no change
? - print this help"""
ANSWERS = ("y", "n", "A", "q")


@dataclass
class MockReview:
    """The answers about the tests ``--update-mocks`` rewrote."""

    kept: list[str] = field(default_factory=list)
    """Test files (``str(source.path)``) whose mocks stay as they are."""
    accept_all: bool = False
    quit: bool = False


def review_mocks(
    mocked: Mapping[str, str],
    files: Sequence[FileFix],
    console: Console,
    ask: Ask,
    *,
    accept_all: bool = False,
    quit: bool = False,
) -> MockReview:
    """Ask about each rewritten test file (``mocked``: path -> its text before), in order."""
    review = MockReview(accept_all=accept_all, quit=quit)
    by_path = {str(f.source.path): f for f in files}
    paths = [p for p in sorted(mocked, key=lambda p: by_path[p].display if p in by_path else p) if p in by_path]
    for index, path in enumerate(paths, start=1):
        if review.accept_all:
            continue
        if review.quit:
            review.kept.append(path)
            continue
        file_fix = by_path[path]
        console.print(mock_renderable(file_fix, mocked[path], f"mocks {index}/{len(paths)}"))
        answer = ask_until_valid(console, ask, f"Update these mocks [{KEYS}]? ", ANSWERS, HELP)
        if answer == "A":
            review.accept_all = True
        elif answer == "n":
            review.kept.append(path)
        elif answer == "q":
            review.quit = True
            review.kept.append(path)
    return review


def mock_renderable(file_fix: FileFix, before: str, position: str) -> RenderableType:
    """Position, the test file, and the diff of its mock updates."""
    after = file_fix.base if file_fix.base is not None else file_fix.text
    title = Text(f"({position}) ", style="bold magenta")
    title.append(f"mocks: {file_fix.display}", style="bold underline")
    note = Text("  ▸ patches of functions the accepted components changed, as AsyncMocks", style="yellow")
    painter = HunkPainter(before, after)
    return Group(Text(""), title, note, *(painter.paint(h) for h in hunks(split_lines(before), split_lines(after))))
