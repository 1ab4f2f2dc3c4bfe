"""File discovery: what ``check`` and ``fix`` process, found once, sorted, de-duplicated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asyncify.config import Config
from asyncify.discovery import Discovery, discover


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")


def found(discovery: Discovery, root: Path) -> list[str]:
    return [Path(os.path.abspath(p)).relative_to(root).as_posix() for p in discovery.files]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository as the working directory."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_walks_python_files_sorted_and_skips_other_files(project: Path) -> None:
    make(project, "b.py", "a.py", "pkg/__init__.py", "pkg/mod.py", "pkg/z.pyi", "README.md", "pkg/data.json", "script")
    result = discover([project], Config())
    assert found(result, project) == ["a.py", "b.py", "pkg/__init__.py", "pkg/mod.py"]
    assert result.errors == []


def test_paths_are_relative_to_the_working_directory(project: Path) -> None:
    make(project, "src/a.py")
    assert discover([project / "src"], Config()).files == [Path("src/a.py")]
    assert discover([Path("src")], Config()).files == [Path("src/a.py")]


def test_overlapping_paths_are_deduplicated(project: Path) -> None:
    make(project, "src/a.py", "src/pkg/b.py")
    result = discover([Path("src"), Path("."), Path("src/pkg"), Path("./src/pkg/b.py"), project / "src"], Config())
    assert found(result, project) == ["src/a.py", "src/pkg/b.py"]


def test_root_gitignore(project: Path) -> None:
    make(project, "keep.py", "generated/out.py", "notes_tmp.py", "sub/notes_tmp.py")
    (project / ".gitignore").write_text("generated/\n*_tmp.py\n", encoding="utf-8")
    assert found(discover([project], Config()), project) == ["keep.py"]


def test_nested_gitignore_is_relative_to_its_directory_and_can_reinclude(project: Path) -> None:
    make(project, "a/drop.py", "a/keep.py", "a/inner/drop.py", "b/drop.py", "c/x_gen.py", "c/special_gen.py")
    (project / "a" / ".gitignore").write_text("/drop.py\n", encoding="utf-8")
    (project / ".gitignore").write_text("*_gen.py\n", encoding="utf-8")
    (project / "c" / ".gitignore").write_text("!special_gen.py\n", encoding="utf-8")
    assert found(discover([project], Config()), project) == [
        "a/inner/drop.py",
        "a/keep.py",
        "b/drop.py",
        "c/special_gen.py",
    ]


def test_gitignore_of_ancestors_applies_when_walking_a_subdirectory(project: Path) -> None:
    make(project, "src/a.py", "src/gen/b.py")
    (project / ".gitignore").write_text("src/gen/\n", encoding="utf-8")
    assert found(discover([Path("src")], Config()), project) == ["src/a.py"]


def test_gitignore_ignored_when_respect_gitignore_is_off(project: Path) -> None:
    make(project, "a.py", "gen.py")
    (project / ".gitignore").write_text("gen.py\n", encoding="utf-8")
    assert found(discover([project], Config(respect_gitignore=False)), project) == ["a.py", "gen.py"]


def test_default_excludes_prune_directories(project: Path) -> None:
    make(project, "a.py", ".venv/lib/x.py", "node_modules/y.py", "deep/__pycache__/z.py", "build/b.py")
    assert found(discover([project], Config()), project) == ["a.py"]


def test_exclude_replaces_and_extend_exclude_adds(project: Path) -> None:
    make(project, "a.py", "build/b.py", "tests/fixtures/f.py", "tests/test_x.py")
    config = Config(exclude=("tests/fixtures",), root=project)
    assert found(discover([project], config), project) == ["a.py", "build/b.py", "tests/test_x.py"]
    config = Config(extend_exclude=("tests/fixtures/", "test_*.py"), root=project)
    assert found(discover([project], config), project) == ["a.py"]


def test_anchored_exclude_is_relative_to_the_config_root(project: Path) -> None:
    make(project, "src/gen/a.py", "src/keep/gen/b.py")
    config = Config(extend_exclude=("/src/gen",), root=project)
    # Walking src/ alone still matches against paths relative to the root.
    assert found(discover([Path("src")], config), project) == ["src/keep/gen/b.py"]


def test_exclude_without_root_is_relative_to_the_given_directory(project: Path) -> None:
    make(project, "src/gen/a.py", "src/b.py")
    assert found(discover([Path("src")], Config(extend_exclude=("/gen",))), project) == ["src/b.py"]


def test_named_file_is_checked_even_when_excluded_unless_forced(project: Path) -> None:
    make(project, "build/gen.py", "ignored.py", "script")
    (project / ".gitignore").write_text("ignored.py\n", encoding="utf-8")
    named = [Path("build/gen.py"), Path("ignored.py"), Path("script")]
    assert found(discover(named, Config()), project) == ["build/gen.py", "ignored.py", "script"]
    assert found(discover(named, Config(), force_exclude=True), project) == ["script"]


def test_named_excluded_directory_is_walked_unless_forced(project: Path) -> None:
    make(project, "build/a.py", "build/__pycache__/b.py")
    assert found(discover([Path("build")], Config()), project) == ["build/a.py"]
    assert discover([Path("build")], Config(), force_exclude=True).files == []


def test_missing_path_is_an_error_not_an_exception(project: Path) -> None:
    make(project, "a.py")
    result = discover([Path("nope.py"), Path("a.py"), Path("missing/dir")], Config())
    assert found(result, project) == ["a.py"]
    assert result.errors == [("nope.py", "no such file or directory"), ("missing/dir", "no such file or directory")]


def test_broken_symlink(project: Path) -> None:
    make(project, "a.py")
    (project / "dangling.py").symlink_to(project / "gone.py")
    walked = discover([project], Config())
    assert found(walked, project) == ["a.py"]
    assert walked.errors == []
    named = discover([Path("dangling.py")], Config())
    assert named.files == []
    assert named.errors == [("dangling.py", "broken symbolic link")]


def test_symlink_loops(project: Path) -> None:
    make(project, "pkg/a.py")
    (project / "pkg" / "self").symlink_to(project / "pkg")  # directory loop
    (project / "loop.py").symlink_to(project / "loop.py")  # a link to itself
    walked = discover([project], Config())
    assert found(walked, project) == ["pkg/a.py"]
    assert walked.errors == []
    named = discover([Path("loop.py")], Config())
    assert named.errors == [("loop.py", "symbolic link loop")]


def test_symlinked_file_is_followed_symlinked_directory_is_not(project: Path) -> None:
    make(project, "real/a.py", "src/b.py")
    (project / "src" / "link.py").symlink_to(project / "real" / "a.py")
    (project / "src" / "linkdir").symlink_to(project / "real")
    assert found(discover([Path("src")], Config()), project) == ["src/b.py", "src/link.py"]


def test_directory_named_like_a_python_file(project: Path) -> None:
    make(project, "weird.py/inner.py", "plain.py")
    walked = discover([project], Config())
    assert found(walked, project) == ["plain.py", "weird.py/inner.py"]
    assert found(discover([Path("weird.py")], Config()), project) == ["weird.py/inner.py"]


def test_non_regular_named_path_is_an_error(project: Path) -> None:
    os.mkfifo(project / "pipe.py")
    walked = discover([project], Config())
    assert walked.files == [] and walked.errors == []
    assert discover([Path("pipe.py")], Config()).errors == [("pipe.py", "not a regular file or directory")]


def test_unreadable_directory_is_an_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(project, "locked/a.py", "b.py")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = discover([project], Config())
    assert found(result, project) == ["b.py"]
    assert result.errors == [("locked", "permission denied")]


def test_plain_and_wildcard_excludes_together(project: Path) -> None:
    make(project, "build/a.py", "buildx/b.py", "builder.py", "keep/c.py", "x/build/d.py")
    config = Config(exclude=("build/", "build*"), root=project)
    assert found(discover([project], config), project) == ["keep/c.py"]
    config = Config(exclude=("build/",), root=project)
    assert found(discover([project], config), project) == ["builder.py", "buildx/b.py", "keep/c.py"]
