"""The project boundary: configuration searched up to the root, nothing written outside it.

Probes (issue 11, "It writes outside the project"):
- a ``.py`` symlink in the project pointing to ``../outside/v.py``: ``fix .`` rewrote the
  outside file ("Changed 1 file", exit 0) and ``--diff`` showed only the link's name;
- the configuration search walked past the project's ``pyproject.toml`` and ``.git`` into
  a parent folder, took its ``[tool.asyncify]`` (``unsafe-fixes = true``), created
  ``.asyncify_cache`` there, and a broken parent ``pyproject.toml`` stopped every run;
- an in-project symlink to another project file gave a false "changed on disk".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safety_support import SLEEPY, SLEEPY_FIXED, run_cli, snapshot, write

from asyncify.api import config_for
from asyncify.project import find_project_root

GUESSED = "async def f(p):\n    return p.read_text()\n"
"""A finding fixed only with ``unsafe-fixes`` (receiver type guessed)."""


def test_symlink_to_a_file_outside_the_root_is_left_alone(project: Path) -> None:
    outside = write(project.parent / "outside" / "v.py", SLEEPY)
    (project / "v.py").symlink_to("../outside/v.py")
    write(project / "inside.py", SLEEPY)
    before = outside.read_bytes()

    diff = run_cli(project, "fix", "--diff", ".")
    assert "v.py" not in diff.stdout and "inside.py" in diff.stdout, diff.stdout

    result = run_cli(project, "fix", ".")
    assert outside.read_bytes() == before, "the file outside the root is byte-identical"
    assert (project / "v.py").is_symlink()
    assert SLEEPY_FIXED in (project / "inside.py").read_text(encoding="utf-8")
    assert result.returncode == 1, result.stderr  # its finding is left, with the reason
    assert "left alone: v.py: its real path" in result.stderr and "outside the project root" in result.stderr


def test_project_root_flag_widens_the_boundary(project: Path) -> None:
    outside = write(project.parent / "outside" / "v.py", SLEEPY)
    (project / "v.py").symlink_to("../outside/v.py")
    result = run_cli(project, "fix", "--project-root", "..", ".")
    assert result.returncode == 0, result.stderr
    assert SLEEPY_FIXED in outside.read_text(encoding="utf-8")


def test_parent_configuration_is_not_read(project: Path) -> None:
    """The parent's ``unsafe-fixes = true`` would fix the guessed call; the project's own
    root (its ``pyproject.toml``) stops the search, so the defaults apply."""
    write(project.parent / "pyproject.toml", "[tool.asyncify]\nunsafe-fixes = true\n")
    write(project / "m.py", GUESSED)
    result = run_cli(project, "check", "--format", "json", ".")
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["fixable"] is False, "parent's unsafe-fixes must not apply"
    assert not (project.parent / ".asyncify_cache").exists()
    assert (project / ".asyncify_cache").is_dir(), "the cache lives in the project root"


@pytest.mark.parametrize("marker", [".git", "setup.cfg", "pyproject.toml"])
def test_every_root_marker_stops_the_search(tmp_path: Path, marker: str) -> None:
    write(tmp_path / "pyproject.toml", "[tool.asyncify]\nselect = [\"AFY190\"]\n")
    root = tmp_path / "proj"
    if marker == ".git":
        (root / ".git").mkdir(parents=True)
    else:
        write(root / marker, "")
    write(root / "pkg" / "m.py", SLEEPY)
    config = config_for([root / "pkg"])
    assert config.project_root == root and config.select == ()
    result = run_cli(root / "pkg", "check", "--format", "json", ".")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["AFY110"]


def test_a_broken_parent_pyproject_does_not_stop_the_run(project: Path) -> None:
    write(project.parent / "pyproject.toml", "[tool.asyncify\n")
    write(project / "m.py", SLEEPY)
    result = run_cli(project, "check", ".")
    assert result.returncode == 1, result.stderr
    assert "cannot read configuration" not in result.stderr


def test_configuration_between_the_paths_and_the_root_is_found(tmp_path: Path) -> None:
    """With ``--project-root`` above it, a nearer ``[tool.asyncify]`` still applies."""
    write(tmp_path / "pyproject.toml", '[project]\nname = "top"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[tool.asyncify]\nselect = ["AFY190"]\n')
    write(tmp_path / "sub" / "m.py", SLEEPY)
    assert config_for([tmp_path / "sub"], project_root=tmp_path).select == ("AFY190",)


def test_without_markers_the_root_is_the_directory_given(tmp_path: Path) -> None:
    write(tmp_path / "loose" / "a" / "m.py", SLEEPY)
    assert find_project_root([tmp_path / "loose" / "a" / "m.py"]) == tmp_path / "loose" / "a"
    assert find_project_root([tmp_path / "loose" / "a", tmp_path / "loose"]) == tmp_path / "loose"


def test_symlink_to_another_project_file_is_written_once(project: Path) -> None:
    """Before: both names were fixed, and the second write saw the first one's bytes
    ("changed on disk"). Now the real file is fixed once, through its own name."""
    real = write(project / "real.py", SLEEPY)
    (project / "alias.py").symlink_to("real.py")
    result = run_cli(project, "fix", ".")
    assert "changed on disk" not in result.stderr, result.stderr
    assert "not written" not in result.stderr, result.stderr
    assert (project / "alias.py").is_symlink() and real.read_text(encoding="utf-8").count(SLEEPY_FIXED) == 1
    assert "alias.py: the same file as real.py" in result.stderr
    second = run_cli(project, "fix", ".")
    assert second.returncode == 0, second.stderr
    assert snapshot(project)["real.py"][1] == real.read_bytes()
