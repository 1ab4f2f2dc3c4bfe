"""``asyncify fix`` end to end: --dry-run, --diff, plain writes, and the exit codes.

Every test drives the real command line (``python -m asyncify``) in a subprocess, in a
fresh copy of ``tests/fixtures/review_project``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "review_project"

CRLF_BOM = b"\xef\xbb\xbf" + (
    b'"""CRLF line endings and a UTF-8 BOM: both must survive a rewrite."""\r\n'
    b"import time\r\n\r\n\r\nasync def nap() -> None:\r\n    time.sleep(0.1)  # caf\xc3\xa9\r\n"
)
LATIN1 = (
    b"# -*- coding: latin-1 -*-\n"
    b'"""Latin-1 source, caf\xe9."""\n'
    b"import time\n\nGREETING = 'd\xe9j\xe0 vu'\n\n\nasync def nap() -> None:\n    time.sleep(0.1)\n"
)
CRLF_TAIL = b"import time\r\n\r\n\r\nasync def nap() -> None:\r\n    time.sleep(0.1)"


def review_cli(
    project: Path, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``asyncify fix ARGS`` in ``project``; stdin is a pipe (not a terminal)."""
    entry = ["-m", "asyncify"]
    environment = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, *entry, "fix", *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )


def copy_project(base: Path, name: str = "project", *, encoded: bool = False) -> Path:
    """A fresh copy of the fixture; ``encoded`` adds the CRLF/BOM/latin-1 files."""
    target = base / name
    shutil.copytree(FIXTURE, target)
    if encoded:
        (target / "app" / "crlf_bom.py").write_bytes(CRLF_BOM)
        (target / "app" / "latin1.py").write_bytes(LATIN1)
        (target / "app" / "crlf_tail.py").write_bytes(CRLF_TAIL)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def test_fixture_has_what_the_tests_rely_on() -> None:
    assert not (FIXTURE / "app" / "tail.py").read_bytes().endswith(b"\n")
    assert b"time.sleep" in (FIXTURE / "app" / "service.py").read_bytes()


def test_dry_run_writes_nothing_shows_labelled_diffs_and_exits_1(tmp_path: Path) -> None:
    project = copy_project(tmp_path, encoded=True)
    before = snapshot(project)
    result = review_cli(project, "--dry-run")
    assert result.returncode == 1, result.stderr
    assert snapshot(project) == before
    out = result.stdout.decode()
    assert "app/service.py" in out and "app/storage.py" in out
    assert "+    await asyncio.sleep(0.5)  # give the workers a moment" in out
    assert "AFY110 time.sleep() in warm_up → sleep" in out
    assert "AFY200 load -> _load_config_sync -> open() → wrap" in out
    assert "\x1b[" not in out  # a pipe gets no colour
    assert "Would change" in result.stderr.decode()


def test_dry_run_is_highlighted_when_colour_is_wanted(project: Path) -> None:
    out = review_cli(project, "--dry-run", "app/tail.py", env={"FORCE_COLOR": "1"}).stdout.decode()
    assert "\x1b[" in out
    assert "await" in out and "asyncio" in out


def test_dry_run_without_changes_exits_0(project: Path) -> None:
    before = snapshot(project)
    result = review_cli(project, "--dry-run", "app/clean.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    assert "No changes" in result.stderr.decode()
    assert snapshot(project) == before


def test_diff_applies_with_git_and_patch_and_equals_plain_fix(tmp_path: Path) -> None:
    source = copy_project(tmp_path, "source", encoded=True)
    before = snapshot(source)
    result = review_cli(source, "--diff", env={"FORCE_COLOR": "1"})
    assert result.returncode == 1, result.stderr
    assert snapshot(source) == before
    patch = result.stdout
    assert b"\x1b[" not in patch  # a patch is never coloured, even when colour is forced
    assert b"--- a/app/service.py\n+++ b/app/service.py\n" in patch
    assert b"\\ No newline at end of file" in patch
    assert b"\r\n" in patch  # CRLF files keep their \r inside the patch lines

    written = copy_project(tmp_path, "written", encoded=True)
    assert review_cli(written, "--no-cache").returncode == 1
    expected = snapshot(written)
    assert expected != before

    applied = copy_project(tmp_path, "git", encoded=True)
    subprocess.run(["git", "apply", "-"], cwd=applied, input=patch, check=True, capture_output=True)
    assert snapshot(applied) == expected
    if shutil.which("patch"):
        patched = copy_project(tmp_path, "patch", encoded=True)
        subprocess.run(["patch", "-p1", "--quiet"], cwd=patched, input=patch, check=True, capture_output=True)
        assert snapshot(patched) == expected


def test_plain_fix_writes_every_changed_file_and_reaches_a_fixpoint(project: Path) -> None:
    before = snapshot(project)
    result = review_cli(project)
    assert result.returncode == 1  # two findings are left, with reasons
    after = snapshot(project)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"app/service.py", "app/storage.py", "app/tail.py"}
    assert "async with aiofiles.open(" in after["app/storage.py"].decode()
    for name in changed:
        compile(after[name], name, "exec")
    err = result.stderr.decode()
    assert "Changed 3 files, fixed 9 findings." in err
    again = review_cli(project, "--dry-run")
    assert "No changes to make." in again.stderr.decode()
    assert snapshot(project) == after


def test_encodings_bom_and_line_endings_round_trip(tmp_path: Path) -> None:
    project = copy_project(tmp_path, encoded=True)
    assert review_cli(project).returncode == 1
    crlf = (project / "app" / "crlf_bom.py").read_bytes()
    assert crlf.startswith(b"\xef\xbb\xbf") and b"await asyncio.sleep(0.1)" in crlf
    assert crlf.count(b"\n") == crlf.count(b"\r\n")
    assert crlf.decode("utf-8-sig").endswith("# café\r\n")
    latin1 = (project / "app" / "latin1.py").read_bytes()
    assert b"await asyncio.sleep(0.1)" in latin1 and b"d\xe9j\xe0 vu" in latin1
    tail = (project / "app" / "crlf_tail.py").read_bytes()
    assert tail.endswith(b"await asyncio.sleep(0.1)") and tail.count(b"\n") == tail.count(b"\r\n")


def test_permissions_are_kept(project: Path) -> None:
    target = project / "app" / "service.py"
    target.chmod(0o754)
    assert review_cli(project).returncode == 1
    assert b"await asyncio.sleep" in target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o754


def test_summary_groups_reasons_and_hints(project: Path) -> None:
    err = review_cli(project, "--dry-run").stderr.decode()
    assert "3 findings left:" in err
    assert "unsafe (needs --unsafe-fixes)" in err
    assert "unsupported context (await not allowed there)" in err
    assert "hint: --unsafe-fixes" in err
    assert "hint: --strategy twin or --strategy propagate" in err
    verbose = review_cli(project, "--dry-run", "-v").stderr.decode()
    assert "app/service.py:29:5 AFY102" in verbose and "receiver type is only guessed" in verbose
    quiet = review_cli(project, "--dry-run", "-q")
    assert quiet.returncode == 1 and quiet.stderr == b""


def test_unsafe_fixes_fixes_the_guessed_receiver(project: Path) -> None:
    result = review_cli(project, "--unsafe-fixes")
    assert "await asyncio.to_thread(store.write_text, payload)" in (project / "app" / "service.py").read_text()
    assert "hint: --unsafe-fixes" not in result.stderr.decode()


def test_backend_option_changes_the_rewrite(project: Path) -> None:
    review_cli(project, "--backend", "trio", "app/tail.py")
    assert "await trio.sleep(1)" in (project / "app" / "tail.py").read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["--dry-run", "--diff"],
        ["--diff", "-i"],
        ["--dry-run", "--interactive"],
        ["--strategy", "nope"],
        ["--target-version", "2.7"],
        ["--select", "NOPE9"],
    ],
)
def test_usage_errors_exit_2_and_write_nothing(project: Path, args: list[str]) -> None:
    before = snapshot(project)
    result = review_cli(project, *args)
    assert result.returncode == 2, result.stderr
    assert snapshot(project) == before


def test_bad_configuration_exits_2(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.asyncify]\nbackend = 'gevent'\n")
    result = review_cli(project, "--dry-run")
    assert result.returncode == 2
    assert "backend" in result.stderr.decode()


def test_clean_tree_exits_0(project: Path) -> None:
    result = review_cli(project, "app/clean.py")
    assert result.returncode == 0, result.stderr
    assert "No files changed." in result.stderr.decode()
