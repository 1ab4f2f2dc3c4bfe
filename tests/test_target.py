"""The target version: read from the project, overridden by flags, obeyed by ``fix``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asyncify.parsing import compile_module
from asyncify.target import DEFAULT_TARGET, TargetError, choose_target, declared_target, lowest_version

ROOT = Path(__file__).resolve().parent.parent

APP = """\
import subprocess
import time
from pathlib import Path


async def run(path: Path) -> str:
    time.sleep(1)
    subprocess.run(["ls"], check=False)
    return path.read_text(encoding="utf-8")
"""


@pytest.mark.parametrize(
    ("specifier", "version"),
    [
        (">=3.8", (3, 8)),
        (">=3.8,<4", (3, 8)),
        (">= 3.8.1", (3, 8)),
        ("~=3.9", (3, 9)),
        ("==3.11.*", (3, 11)),
        (">3.7", (3, 7)),
        (">=3.10,!=3.10.*", (3, 11)),
        ("<3", None),
    ],
)
def test_lowest_version(specifier: str, version: tuple[int, int] | None) -> None:
    assert lowest_version(specifier) == version


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "version", "key"),
    [
        ({"pyproject.toml": '[project]\nrequires-python = ">=3.8"\n'}, (3, 8), "requires-python"),
        ({"pyproject.toml": '[tool.ruff]\ntarget-version = "py37"\n'}, (3, 7), "[tool.ruff] target-version"),
        ({"ruff.toml": 'target-version = "py312"\n'}, (3, 12), "target-version in"),
        ({"setup.cfg": "[options]\npython_requires = >=3.6\n"}, (3, 6), "python_requires"),
        (
            {"pyproject.toml": '[project]\nrequires-python = ">=3.9"\n[tool.ruff]\ntarget-version = "py37"\n'},
            (3, 9),
            "requires-python",
        ),
    ],
)
def test_declared_target(tmp_path: Path, files: dict[str, str], version: tuple[int, int], key: str) -> None:
    root = _project(tmp_path, files)
    (root / "pkg").mkdir()
    target = declared_target(root / "pkg")
    assert target is not None and target.version == version and key in target.source


def test_nearest_declaration_wins_and_the_repository_root_stops_the_search(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.7"\n', encoding="utf-8")
    repo = _project(tmp_path / "repo", {"sub/pyproject.toml": '[project]\nrequires-python = ">=3.12"\n'})
    assert declared_target(repo / "sub").version == (3, 12)  # type: ignore[union-attr]
    assert declared_target(repo) is None  # the .git directory ends the walk
    assert choose_target(None, None, None, repo).version == DEFAULT_TARGET


def test_flag_beats_configuration_beats_project(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": '[project]\nrequires-python = ">=3.8"\n'})
    assert choose_target((3, 12), (3, 11), "[tool.asyncify]", root).source == "--target-version"
    assert choose_target(None, (3, 11), "[tool.asyncify]", root).version == (3, 11)
    assert choose_target(None, None, None, root).version == (3, 8)


def test_unreadable_declaration_is_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": '[project]\nrequires-python = "3.8"\n'})
    with pytest.raises(TargetError, match="requires-python"):
        declared_target(root)


def _fix(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "300"}
    return subprocess.run(
        [sys.executable, "-m", "asyncify", "fix", "--no-cache", *args, "."],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )


def test_requires_python_38_gets_run_in_executor_not_to_thread(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": '[project]\nrequires-python = ">=3.8"\n', "app.py": APP})
    run = _fix(root, "-v")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "target version: Python 3.8 (requires-python in" in run.stderr
    fixed = (root / "app.py").read_text(encoding="utf-8")
    assert "to_thread" not in fixed
    flat = " ".join(fixed.split()).replace("( ", "(")  # split over lines at 88 columns, as black would
    assert "await asyncio.get_running_loop().run_in_executor(None, functools.partial(subprocess.run" in flat
    assert "await asyncio.get_running_loop().run_in_executor(None, functools.partial(path.read_text" in flat
    assert "await asyncio.sleep(1)" in fixed
    compile_module(fixed)


def test_target_version_flag_overrides_the_project(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": '[project]\nrequires-python = ">=3.8"\n', "app.py": APP})
    run = _fix(root, "-v", "--target-version", "py311")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "target version: Python 3.11 (--target-version)" in run.stderr
    assert "await asyncio.to_thread(subprocess.run" in (root / "app.py").read_text(encoding="utf-8")


def test_before_37_offloading_is_refused_with_the_reason(tmp_path: Path) -> None:
    root = _project(tmp_path, {"setup.cfg": "[options]\npython_requires = >=3.6\n", "app.py": APP})
    run = _fix(root)
    assert run.returncode == 1, run.stdout + run.stderr
    fixed = (root / "app.py").read_text(encoding="utf-8")
    assert "await asyncio.sleep(1)" in fixed and "run_in_executor" not in fixed and "to_thread" not in fixed
    assert "the project targets Python 3.6; asyncio.get_running_loop() needs 3.7" in run.stdout + run.stderr


def test_bad_requires_python_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": '[project]\nrequires-python = "3.8"\n', "app.py": APP})
    run = _fix(root)
    assert run.returncode == 2
    assert "requires-python" in run.stderr and "'3.8'" in run.stderr
    assert "Traceback" not in run.stderr
