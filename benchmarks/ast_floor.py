#!/usr/bin/env python3
"""The floor: find every ``.py`` file, read it and ``ast.parse`` it, nothing more.

Any single-process Python linter has to do at least this much, so the ratio
"tool time / floor time" says how much the tool's own analysis costs on top
of merely parsing.  ``bench.py`` runs this file in a fresh subprocess so its
memory and start-up are measured the same way as the real tools.

``iter_python_files`` is also what ``bench.py`` uses to count files and lines,
which keeps "the file set" defined in exactly one place.

Prints one JSON object: ``{"files": N, "lines": N, "syntax_errors": N}``.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path


def iter_python_files(root: Path) -> Iterator[Path]:
    """Yield ``*.py`` under ``root`` in a stable order, skipping hidden directories.

    Hidden directories are skipped so that tool caches written into the
    corpus (``.asyncify_cache``, ``.ruff_cache``) never change the file set.
    """
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".py"):
                yield Path(directory, name)


def count_lines(data: bytes) -> int:
    """Physical lines as ``wc -l`` counts them, plus a final unterminated line."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def parses(source: bytes, filename: str) -> bool:
    """True if ``source`` is valid Python for the running interpreter."""
    try:
        ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return False
    return True


def main(argv: list[str]) -> int:
    """Parse every file under the root given as the only argument."""
    if len(argv) != 1:
        print("usage: ast_floor.py ROOT", file=sys.stderr)
        return 2
    files = lines = errors = 0
    for path in iter_python_files(Path(argv[0])):
        source = path.read_bytes()
        files += 1
        lines += count_lines(source)
        if not parses(source, str(path)):
            errors += 1
    print(json.dumps({"files": files, "lines": lines, "syntax_errors": errors}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
