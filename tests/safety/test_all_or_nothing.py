"""Writing a change set: every file or none; links, attributes and leftovers looked after.

Probes (issue 11, "Cross-file fixes are not atomic as a whole", "Leftovers"):
- ``--strategy propagate`` with one file of the component immutable: the other files were
  written and the project broke (``TypeError: 'coroutine' + int``);
- the same with one file edited during the run ("changed on disk");
- SIGKILL during the write phase left ``.*.asyncify.tmp`` files no later run removed;
- hard links were split and extended attributes dropped by the rename.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from safety_support import SLEEPY, SLEEPY_FIXED, run_cli, snapshot, write

from asyncify import write as write_module
from asyncify.api import config_for
from asyncify.fixer import run_fix
from asyncify.scan.source import read_source
from asyncify.write import ChangedOnDisk, HeldBack, WriteFailed, Written, write_files

PROPAGATE = Path(__file__).resolve().parents[2] / "golden" / "strategies" / "propagate" / "three_levels"


def propagate_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(PROPAGATE / "input", root)
    write(root / "pyproject.toml", '[tool.asyncify]\ncache = false\nstrategy = { AFY200 = "propagate" }\n')
    return root


def behaviour_passes(root: Path) -> bool:
    """The golden case's own behaviour test, run against the project as it is on disk."""
    script = (
        "import sys, pathlib, tempfile; sys.path.insert(0, '.'); "
        f"exec(open({str(PROPAGATE / 'behaviour.py')!r}).read()); "
        "print(main(pathlib.Path(tempfile.mkdtemp())))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60)
    return done.returncode == 0 and "'count': 3" in done.stdout


def immutable(path: Path) -> bool:
    """``chattr +i`` (root on ext4/xfs/btrfs); False where the platform cannot."""
    return (
        shutil.which("chattr") is not None
        and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    )


def test_immutable_file_in_a_propagated_component_blocks_the_whole_write(tmp_path: Path) -> None:
    root = propagate_project(tmp_path)
    target = root / "app" / "files.py"
    if not immutable(target):
        pytest.skip("chattr +i is not available here (test_a_failing_rename_restores... covers the logic)")
    try:
        before = snapshot(root)
        result = run_cli(root, "fix", ".")
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)
    assert snapshot(root) == before, "every file byte-identical"
    assert result.returncode == 1
    assert "not written: app/files.py: operation not permitted" in result.stderr
    assert "nothing was written: fix writes all files or none (2 other files held back)" in result.stderr
    assert behaviour_passes(root)


def test_file_changed_during_the_run_blocks_the_whole_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = propagate_project(tmp_path)
    monkeypatch.chdir(root)
    result = run_fix([Path(".")], config_for([Path(".")]))
    assert len(result.files) == 3, "propagation changes all three modules"
    edited = root / "app" / "parse.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited meanwhile\n", encoding="utf-8")
    before = snapshot(root)
    report = write_files([(f.source, f.text) for f in result.files], result.root)
    assert snapshot(root) == before
    kinds = {r.path.as_posix(): type(r) for r in report.results}
    assert kinds == {"app/files.py": HeldBack, "app/parse.py": ChangedOnDisk, "app/service.py": HeldBack}
    edited.write_text(edited.read_text(encoding="utf-8").replace("# edited meanwhile\n", ""), encoding="utf-8")
    assert behaviour_passes(root)


def test_a_failing_rename_restores_every_file_already_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = propagate_project(tmp_path)
    monkeypatch.chdir(root)
    result = run_fix([Path(".")], config_for([Path(".")]))
    before = snapshot(root)
    real = os.replace

    def last_one_fails(src: str, dst: str) -> None:
        if Path(dst).name == "service.py" and src.endswith(".asyncify.tmp") and ".files.py." not in src:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    monkeypatch.setattr(write_module.os, "replace", last_one_fails)
    report = write_files([(f.source, f.text) for f in result.files], result.root)
    assert [type(r) for r in report.results].count(HeldBack) == 2
    assert next(r for r in report.results if isinstance(r, WriteFailed)).path.name == "service.py"
    after = snapshot(root)
    assert {k: v[1] for k, v in after.items() if v[0] == "file"} == {
        k: v[1] for k, v in before.items() if v[0] == "file"
    }
    assert not [p for p in root.rglob("*.asyncify.tmp")]
    assert behaviour_passes(root)


def test_the_whole_run_is_written_when_every_file_can_be(tmp_path: Path) -> None:
    root = propagate_project(tmp_path)
    result = run_cli(root, "fix", ".")
    assert result.returncode == 0, result.stderr
    assert behaviour_passes(root)


def test_hard_links_stay_one_file(project: Path) -> None:
    target = write(project / "m.py", SLEEPY)
    os.link(target, project / "twin_name.py")
    inode = target.stat().st_ino
    result = run_cli(project, "fix", "m.py")
    assert result.returncode == 0, result.stderr
    assert target.stat().st_ino == inode and target.stat().st_nlink == 2
    assert SLEEPY_FIXED in (project / "twin_name.py").read_text(encoding="utf-8")


def test_extended_attributes_are_kept(project: Path) -> None:
    target = write(project / "m.py", SLEEPY)
    try:
        os.setxattr(target, "user.asyncify-test", b"kept")
    except OSError as error:
        pytest.skip(f"this file system has no user extended attributes: {error}")
    result = run_cli(project, "fix", "m.py")
    assert result.returncode == 0, result.stderr
    assert SLEEPY_FIXED in target.read_text(encoding="utf-8")
    assert os.getxattr(target, "user.asyncify-test") == b"kept"


def test_leftover_temporary_files_are_removed_and_reported_by_the_next_fix(project: Path) -> None:
    """A run killed by SIGKILL leaves its staged files; the next ``fix`` removes them
    (``check`` and ``--dry-run`` do not touch them)."""
    write(project / "pkg" / "m.py", SLEEPY)
    leftover = write(project / "pkg" / ".m.py.k2j4x_9a.asyncify.tmp", "half a file")
    lookalike = write(project / "pkg" / "notes.asyncify.tmp", "not ours")
    run_cli(project, "check", ".")
    run_cli(project, "fix", "--dry-run", ".")
    assert leftover.exists()
    result = run_cli(project, "fix", ".")
    assert result.returncode == 0, result.stderr
    assert not leftover.exists() and lookalike.exists()
    assert "removed pkg/.m.py.k2j4x_9a.asyncify.tmp, a temporary file left by an interrupted run" in result.stderr


def test_sigkill_during_the_write_phase_leaves_files_the_next_run_removes(project: Path) -> None:
    """A real SIGKILL: the child stops right after staging the temporary files."""
    write(project / "a.py", SLEEPY)
    write(project / "b.py", SLEEPY)
    script = (
        "import os, signal, sys\n"
        "from asyncify import write\n"
        "real = write._commit\n"
        "def die(target):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "write._commit = die\n"
        "from asyncify.cli import main\n"
        "sys.argv = ['asyncify', 'fix', '.']\n"
        "main()\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, timeout=120)
    assert killed.returncode == -9
    assert len(list(project.glob(".*.asyncify.tmp"))) == 2
    assert "time.sleep(1)" in (project / "a.py").read_text(encoding="utf-8"), "nothing was renamed"
    result = run_cli(project, "fix", ".")
    assert result.returncode == 0, result.stderr
    assert not list(project.glob(".*.asyncify.tmp"))
    assert result.stderr.count("a temporary file left by an interrupted run") == 2


def test_written_results_are_reported_per_file(tmp_path: Path) -> None:
    sources = [read_source(write(tmp_path / name, "x = 1\n")) for name in ("a.py", "b.py")]
    report = write_files([(s, "x = 2\n") for s in sources], tmp_path)
    assert [type(r) for r in report.results] == [Written, Written] and not report.problems


def test_leftovers_beside_a_file_named_explicitly_are_removed(project: Path) -> None:
    """``fix pkg/m.py`` (a file list, as pre-commit passes it) walks no directory; the
    leftovers beside the files it writes are found there."""
    write(project / "pkg" / "m.py", SLEEPY)
    leftover = write(project / "pkg" / ".m.py.abcdefgh.asyncify.tmp", "half a file")
    result = run_cli(project, "fix", "pkg/m.py")
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()
    assert "a temporary file left by an interrupted run" in result.stderr


def test_every_file_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    sources = [read_source(write(tmp_path / name, "x = 1\n")) for name in ("a.py", "b.py", "c.py")]
    (tmp_path / "a.py").write_text("x = 1  # edited\n", encoding="utf-8")
    (tmp_path / "c.py").unlink()
    report = write_files([(s, "x = 2\n") for s in sources], tmp_path)
    assert [type(r) for r in report.results] == [ChangedOnDisk, HeldBack, ChangedOnDisk]
    assert (tmp_path / "b.py").read_text(encoding="utf-8") == "x = 1\n"
