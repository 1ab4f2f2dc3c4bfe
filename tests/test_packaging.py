"""The package list in pyproject.toml matches the folders on disk, and the built wheel
carries the codemods (which live in the top-level codemods/ folder)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_package_list_matches_the_tree() -> None:
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    on_disk = {
        ".".join(Path(folder).relative_to(src).parts)
        for folder, _, files in os.walk(src, followlinks=True)  # codemods is a symlink
        if "__init__.py" in files
    }
    assert declared == on_disk


def test_wheel_contains_codemods_and_catalogue(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("asyncify_lint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "asyncify/codemods/wrap.py" in names
    assert "asyncify/codemods/aiofiles.py" in names
    assert "asyncify/catalogue/data/pathlib.toml" in names
    assert "asyncify/structural/planner.py" in names
