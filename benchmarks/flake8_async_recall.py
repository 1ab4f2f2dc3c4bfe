"""Recall of asyncify on flake8-async's own ASYNC2xx test files (blocking calls in async code).

flake8-async marks every line it reports with ``# ASYNC2xx: ...``; this script checks each
of its ``tests/eval_files/async2*.py`` files with asyncify and counts the marked lines that
asyncify reports (recall) and the unmarked lines it reports (extra). The files use modules
without importing them (``os.system()`` with no ``import os``): the imports real code would
have are added at the top first (one line, so every later line moves down by one and is
counted back): ``import os`` for ``os.system()``, ``from typing import Optional`` for
``Optional[...]``, ``from urllib.request import urlopen`` for a bare ``urlopen()``.
``async200.py`` tests flake8-async's configuration option and is skipped.

The sdist is downloaded into a temporary directory (never into the repository)::

    python benchmarks/flake8_async_recall.py            # pip download flake8-async
    python benchmarks/flake8_async_recall.py DIR        # an unpacked eval_files directory
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from asyncify.api import findings_for_source

MARKER = re.compile(r"#\s*ASYNC2\d\d(?:_\w+)?:")
MODULES = frozenset(
    {"os", "subprocess", "time", "io", "socket", "requests", "httpx", "httpx2", "urllib3", "trio", "asyncio", "anyio"}
)
"""Modules the files use as ``module.attr`` without importing them (real code imports them)."""
NAMES = {"Optional": "typing", "urlopen": "urllib.request", "request": "urllib"}
"""Names the files use unbound (``Optional[...]``, ``urlopen()``): imported from these modules."""
SKIPPED = {"async200.py": "flake8-async's --async200-blocking-calls option"}


def eval_files(directory: Path | None) -> list[Path]:
    """The ASYNC2xx test files: from ``directory`` or from a freshly downloaded sdist."""
    if directory is None:
        target = Path(tempfile.mkdtemp(prefix="flake8-async-"))
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary=:all:"]
        subprocess.run([*pip, "flake8-async", "-d", target], check=True)
        archive = next(target.glob("flake8_async-*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        directory = next(target.glob("flake8_async-*/tests/eval_files"))
    return sorted(p for p in directory.glob("async2*.py") if p.name not in SKIPPED)


def imports_needed(source: str) -> list[str]:
    """An import for each known module used as ``m.x`` and each known name used, but
    bound nowhere in the file."""
    tree = ast.parse(source)
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).partition(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
    needed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = node.value.id
            if name in MODULES and name not in bound:
                needed.add(f"import {name}")
            if name == "urllib" and node.attr == "request":
                needed.add("import urllib.request")
        if isinstance(node, ast.Name) and node.id in NAMES and node.id not in bound:
            needed.add(f"from {NAMES[node.id]} import {node.id}")
    return sorted(needed)


def measure(path: Path) -> tuple[set[int], set[int]]:
    """Marked lines and reported lines of one file (1-based, in the file as written)."""
    source = path.read_text(encoding="utf-8")
    marked = {number for number, line in enumerate(source.splitlines(), start=1) if MARKER.search(line)}
    needed = imports_needed(source)
    header = "; ".join(needed) + "\n"
    findings = findings_for_source(header + source, path.name)
    return marked, {f.span.line - 1 for f in findings}


def main(argv: list[str]) -> int:
    files = eval_files(Path(argv[0]) if argv else None)
    total_marked = total_found = total_extra = 0
    print(f"{'file':<28} {'marked':>6} {'found':>6} {'recall':>7} {'extra':>6}")
    for path in files:
        marked, reported = measure(path)
        found, extra = len(marked & reported), len(reported - marked)
        total_marked, total_found = total_marked + len(marked), total_found + found
        total_extra += extra
        recall = f"{100 * found / len(marked):.0f}%" if marked else "-"
        print(f"{path.name:<28} {len(marked):>6} {found:>6} {recall:>7} {extra:>6}")
    share = 100 * total_found / total_marked
    print(f"{'total':<28} {total_marked:>6} {total_found:>6} {share:>6.0f}% {total_extra:>6}")
    for name, why in SKIPPED.items():
        print(f"skipped {name}: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
