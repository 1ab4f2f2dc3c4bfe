"""A progress bar on stderr for long runs, only when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

MIN_FILES = 100
"""Below this many files a run takes a moment; a bar would only flicker."""


@dataclass(frozen=True)
class ProgressCallbacks:
    """What ``run_check`` accepts: ``on_files(total)`` once, then ``progress(done)``."""

    on_files: Callable[[int], None] | None = None
    progress: Callable[[int], None] | None = None


@contextmanager
def progress_bar(
    console: Console, *, enabled: bool, description: str = "checking", min_files: int = MIN_FILES
) -> Iterator[ProgressCallbacks]:
    """Callbacks that drive a transient bar, shown once ``on_files`` reports at least
    ``min_files``; no-ops when disabled or when ``console`` is not a terminal."""
    if not enabled or not console.is_terminal:
        yield ProgressCallbacks()
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task: list[TaskID] = []

    def on_files(total: int) -> None:
        if total >= min_files and not task:
            task.append(bar.add_task(description, total=total))
            bar.start()

    def advance(count: int) -> None:
        if task:
            bar.advance(task[0], count)

    try:
        yield ProgressCallbacks(on_files, advance)
    finally:
        if task:
            bar.stop()
