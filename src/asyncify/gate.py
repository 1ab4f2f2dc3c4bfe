"""Which files ``fix`` may rewrite, and which it leaves alone with the reason.

A file is rewritten only when

- its real path (symlinks resolved) lies inside the project root (``asyncify.project``):
  a symlink to a file elsewhere is reported and left alone (``--project-root`` widens
  the boundary);
- it is the one path its real file is fixed through: a symlink to another file of the
  run is left to that file (a path among the files named wins, then the non-link path,
  then the first in sorted order), so one file is never rewritten twice in a run;
- it is within the budget: at most ``fix-max-bytes`` bytes, and at most
  ``fix-max-depth`` levels of syntax (``and``/``or`` chains count one level per operand,
  as libcst nests them). libcst's parser is quadratic on long operator chains and its
  native code overflows the stack, a crash rather than an exception, a few thousand
  levels down; a multi-megabyte file takes minutes and gigabytes. Both limits are
  checked before libcst sees the file, because a parse in progress cannot be stopped.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from asyncify.parsing import parse_module
from asyncify.project import is_inside
from asyncify.scan.source import SourceFile
from asyncify.scan.worker import call_with_deep_stack


class FileGate:
    """Answers ``refusal(path, source)`` for every file of one ``fix`` run."""

    def __init__(
        self,
        root: Path,
        paths: Iterable[str],
        max_bytes: int,
        max_depth: int,
        named: Callable[[str], bool] | None = None,
    ) -> None:
        """``named``: whether a path is among the files the run reports on (``fix FILE``);
        of several paths to one real file, a named one is fixed."""
        self.root = root
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self._through: dict[str, str] = {}
        by_real: dict[str, list[str]] = {}
        for path in sorted(paths):
            by_real.setdefault(os.path.realpath(path), []).append(path)
        for group in by_real.values():
            ranked = sorted(group, key=lambda p: (named is not None and not named(p), os.path.islink(p)))
            chosen = ranked[0]
            self._through.update((p, chosen) for p in group)

    def refusal(self, path: str, source: SourceFile) -> str | None:
        """Why ``fix`` must leave ``path`` alone, or ``None`` when it may rewrite it."""
        if not is_inside(path, self.root):
            return (
                f"its real path {os.path.realpath(path)} is outside the project root {self.root} "
                "(--project-root widens the boundary)"
            )
        chosen = self._through.get(path, path)
        if chosen != path:
            return f"the same file as {chosen} (a symbolic link), which is fixed instead"
        if len(source.data) > self.max_bytes:
            return f"{len(source.data):,} bytes, more than fix-max-bytes ({self.max_bytes:,}); skipped"
        depth = syntax_depth(source.text, self.max_depth)
        if depth > self.max_depth:
            return f"more than fix-max-depth ({self.max_depth:,}) levels of nesting; skipped"
        return None


def syntax_depth(text: str, stop_above: int) -> int:
    """The depth of the module's syntax tree as libcst builds it, counted without
    recursion (``scan.worker.nesting``, plus a level per extra ``and``/``or`` operand,
    which ``ast`` keeps flat and libcst nests); stops early above ``stop_above``. Unparsable text counts as too deep
    (the scan parsed it, so only nesting can make ``ast.parse`` fail here); a parse that
    runs out of recursion is retried with a deep stack, as the scan does."""
    try:
        try:
            tree = parse_module(text)
        except RecursionError:
            tree = call_with_deep_stack(lambda: parse_module(text))
    except (SyntaxError, ValueError, RecursionError, MemoryError, RuntimeError):
        return stop_above + 1
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 1  # ``a and b and c`` nests as ((a and b) and c)
        if depth > deepest:
            deepest = depth
            if deepest > stop_above:
                return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest
