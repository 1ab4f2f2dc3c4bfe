"""Golden projects as whole trees: read one into ``{relative path: text}``, write one
back, byte for byte (line endings kept), leaving out caches that runs create."""

from __future__ import annotations

from pathlib import Path

SKIP = frozenset({"__pycache__", ".asyncify_cache", ".pytest_cache"})


def read_tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes().decode("utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and not SKIP & set(path.relative_to(root).parts)
    }


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))
