"""A fix imports a third-party module only if the project depends on it (``asyncify.dependencies``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asyncify.config import Config
from asyncify.dependencies import DeclaredDependencies, dependency_notes, fallback_note, undeclared_modules
from asyncify.fixer import run_fix
from asyncify.vocabulary import Backend, Strategy

MODULE = '''"""Settings."""

import json


async def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
'''


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[project]\nname = "p"\ndependencies = ["aiofiles>=23"]\n'),
        (
            "pyproject.toml",
            '[project]\nname = "p"\n[project.optional-dependencies]\nio = ["AIOFiles ; python_version>\'3\'"]\n',
        ),
        ("pyproject.toml", '[dependency-groups]\ndev = [{include-group = "x"}, "aiofiles"]\n'),
        ("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.11"\naiofiles = "^23"\n'),
        ("pyproject.toml", '[tool.poetry.group.test.dependencies]\naiofiles = "*"\n'),
        ("requirements.txt", "-r base.txt\n# io\naiofiles==23.2.1  # files\n"),
        ("requirements-dev.txt", "aiofiles\n"),
        ("setup.cfg", "[options]\ninstall_requires =\n    httpx\n    aiofiles>=0.8\n"),
        ("setup.cfg", "[options.extras_require]\nio =\n    aiofiles\n"),
        ("setup.py", "from setuptools import setup\nsetup(name='p', install_requires=['httpx', \"aiofiles\"])\n"),
    ],
)
def test_every_declaration_format_is_read(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert DeclaredDependencies.read(tmp_path).declares("aiofiles")
    assert not DeclaredDependencies.read(tmp_path).declares("anyio")


def test_nothing_declared_and_broken_files_declare_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nbroken", encoding="utf-8")
    (tmp_path / "setup.cfg").write_text("no section header", encoding="utf-8")
    assert not DeclaredDependencies.read(tmp_path).declares("aiofiles")
    assert not DeclaredDependencies.read(None).declares("aiofiles")


def test_an_existing_import_counts_as_declared() -> None:
    assert DeclaredDependencies.read(None, ["aiofiles.os.remove"]).declares("aiofiles")
    assert not DeclaredDependencies.read(None, ["aiofilesx.open"]).declares("aiofiles")


def test_forcing_lifts_the_restriction() -> None:
    nothing = DeclaredDependencies()
    assert undeclared_modules(nothing, Config()) == {"aiofiles"}
    assert undeclared_modules(nothing, Config(strategy=Strategy.AIOFILES)) == frozenset()
    assert undeclared_modules(nothing, Config(rule_strategy={"AFY101": Strategy.AIOFILES})) == frozenset()
    assert undeclared_modules(DeclaredDependencies(frozenset({"aiofiles"})), Config()) == frozenset()


def test_notes_are_deduplicated_and_forced_modules_named() -> None:
    note = fallback_note("aiofiles")
    assert dependency_notes([note, note], (), DeclaredDependencies(), Config()) == [note]
    forced = dependency_notes([], ["trio"], DeclaredDependencies(), Config(backend=Backend.TRIO))
    assert len(forced) == 1 and "add `trio`" in forced[0]
    assert dependency_notes([], ["trio"], DeclaredDependencies(imported=frozenset({"trio"})), Config()) == []


def _project(tmp_path: Path, pyproject: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "settings.py").write_text(MODULE, encoding="utf-8")
    return package


def _fixed(package: Path, config: Config) -> tuple[str, list[str]]:
    result = run_fix([package], config, jobs=1)
    assert len(result.files) == 1
    return result.files[0].text, result.notes


def test_undeclared_aiofiles_falls_back_to_a_thread(tmp_path: Path) -> None:
    package = _project(tmp_path, '[project]\nname = "pkg"\nversion = "0"\ndependencies = ["httpx"]\n')
    text, notes = _fixed(package, Config(cache=False))
    assert "aiofiles" not in text
    assert "asyncio.to_thread" in text
    assert notes == [fallback_note("aiofiles")]


def test_declared_aiofiles_is_used(tmp_path: Path) -> None:
    package = _project(tmp_path, '[project]\nname = "pkg"\nversion = "0"\ndependencies = ["aiofiles"]\n')
    text, notes = _fixed(package, Config(cache=False))
    assert "async with aiofiles.open(path" in text
    assert notes == []


def test_forced_aiofiles_is_used_and_the_dependency_named(tmp_path: Path) -> None:
    package = _project(tmp_path, '[project]\nname = "pkg"\nversion = "0"\n')
    text, notes = _fixed(package, Config(cache=False, strategy=Strategy.AIOFILES))
    assert "async with aiofiles.open(path" in text
    assert len(notes) == 1 and "add `aiofiles` to its dependencies" in notes[0]


def test_the_summary_prints_the_note(tmp_path: Path) -> None:
    package = _project(tmp_path, '[project]\nname = "pkg"\nversion = "0"\n')
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "300"}
    done = subprocess.run(
        [sys.executable, "-m", "asyncify", "fix", "--no-cache", str(package)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert f"note: {fallback_note('aiofiles')}" in done.stderr
    fixed = (package / "settings.py").read_text(encoding="utf-8")
    assert "aiofiles" not in fixed
    imported = subprocess.run(
        [sys.executable, "-S", "-c", "import pkg.settings"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert imported.returncode == 0, imported.stderr
