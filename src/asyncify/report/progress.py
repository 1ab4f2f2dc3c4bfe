"""A progress display on stderr for long runs, only when stderr is a terminal.

It names the stage the run is in: ``scanning N files`` with a bar and a count while the
files are parsed, then ``analysing``, ``explaining helper strategies``, ``planning
fixes``, ``writing`` with a spinner (those stages have no per-file count), so a long
whole-project stage never looks like a finished bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

MIN_FILES = 100
"""Below this many files a run takes a moment; a display would only flicker."""


@dataclass(frozen=True)
class ProgressCallbacks:
    """What ``run_check`` / ``run_fix`` accept: ``on_files(total)`` once, then
    ``progress(done)`` while scanning, and ``stage(name)`` as each later stage starts."""

    on_files: Callable[[int], None] | None = None
    progress: Callable[[int], None] | None = None
    stage: Callable[[str], None] | None = None


@contextmanager
def progress_bar(
    console: Console, *, enabled: bool, description: str = "scanning", min_files: int = MIN_FILES
) -> Iterator[ProgressCallbacks]:
    """Callbacks that drive a transient display, shown once ``on_files`` reports at
    least ``min_files``; no-ops when disabled or when ``console`` is not a terminal."""
    if not enabled or not console.is_terminal:
        yield ProgressCallbacks()
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task: list[TaskID] = []
    totals: list[int] = []

    def on_files(total: int) -> None:
        if total >= min_files and not task:
            totals.append(total)
            task.append(bar.add_task(f"{description} {total} files", total=total, count=f"0/{total}"))
            bar.start()

    def advance(count: int) -> None:
        if task:
            bar.advance(task[0], count)
            done = int(bar.tasks[0].completed)
            bar.update(task[0], count=f"{done}/{totals[0]}")

    def stage(name: str) -> None:
        if task:
            bar.update(task[0], description=name, total=None, completed=0, count="")

    try:
        yield ProgressCallbacks(on_files, advance, stage)
    finally:
        if task:
            bar.stop()
