"""Explicit files analyse their whole project and report only on themselves.

``asyncify check FILE`` must say about FILE exactly what ``asyncify check .`` says, for
every file of the example project and of the golden projects; editors pass unsaved text
(``--stdin-filename``, ``run_check(sources=...)``); ``fix FILE`` plans with the whole
index and writes only FILE unless told otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from asyncify.api import config_for, run_check
from asyncify.findings import Finding
from asyncify.selection import scope_for

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "audit_project"
PROJECTS = [
    SEED,
    *sorted(p for p in (ROOT / "golden" / "projects").iterdir() if p.is_dir()),
    *sorted(p for p in (ROOT / "golden" / "check_projects").iterdir() if p.is_dir()),
]
MAIN = Path("services/cli/src/pipeline_cli/main.py")


@pytest.fixture
def inside(request: pytest.FixtureRequest) -> Iterator[None]:
    cwd = os.getcwd()
    yield
    os.chdir(cwd)


def _key(finding: Finding) -> tuple[object, ...]:
    """Everything a finding reports (the records compare field by field)."""
    return (finding, finding.chain, finding.strategies, finding.not_fixable)


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_check_file_says_what_check_dot_says(project: Path, inside: None) -> None:
    os.chdir(project)
    config = config_for([Path(".")]).with_overrides(cache=False)
    whole = run_check([Path(".")], config, jobs=1)
    files = sorted({s.path for s in whole.summaries})
    assert files, "the project has files"
    assert whole.findings
    needs_project = 0
    for file in files:
        scope = scope_for([Path(file)])
        assert scope.root == project, f"{file}: the project root is {scope.root}"
        one = run_check(scope.analysed, config, jobs=1, report_only=scope.report_only)
        expected = [_key(f) for f in whole.findings if f.path == file]
        assert [_key(f) for f in one.findings] == expected, file
        assert one.errors == [e for e in whole.errors if e.path == file]
        assert one.files == 1
        alone = run_check([Path(file)], config, jobs=1)
        needs_project += [_key(f) for f in alone.findings] != expected
    modules = [f for f in files if not f.endswith("__init__.py")]
    if (project.parent.name == "projects" or project == SEED) and len(modules) > 1:
        assert needs_project > 0, "some file's findings depend on other modules: a file-only analysis differs"


def test_cli_file_list_reports_indirect_findings_of_the_named_files_only(inside: None) -> None:
    """The issue's example: four indirect findings vanished when main.py was named."""
    os.chdir(SEED)
    command = [sys.executable, "-m", "asyncify", "check", "--no-cache", "--format", "json"]
    whole = json.loads(subprocess.run([*command, "."], capture_output=True, text=True, check=False).stdout)
    doctor = "packages/core/src/pipeline_core/doctor.py"
    named = subprocess.run([*command, str(MAIN), doctor], capture_output=True, text=True, check=False)
    found = json.loads(named.stdout)["findings"]
    wanted = {str(MAIN), doctor}
    assert found == [f for f in whole["findings"] if f["path"] in wanted]
    calls = {f["call"].rpartition(".")[2] for f in found if f["path"] == str(MAIN) and f["code"] == "AFY200"}
    assert {"load_manifest", "load_slices", "parse_script", "_build_orchestrator"} <= calls
    assert named.returncode == 1


def test_stdin_buffer_replaces_the_file_and_is_not_cached(tmp_path: Path, inside: None) -> None:
    project = tmp_path / "proj"
    shutil.copytree(ROOT / "golden" / "projects" / "instances", project)
    os.chdir(project)
    handlers = Path("app/handlers.py")
    disk = handlers.read_text(encoding="utf-8")
    edited = disk + "\n\nasync def added() -> None:\n    db.list_items()\n"
    command = [sys.executable, "-m", "asyncify", "check", "--format", "json"]
    buffer = subprocess.run(
        [*command, "--stdin-filename", str(handlers)], input=edited, capture_output=True, text=True, check=False
    )
    lines = [(f["line"], f["function"]) for f in json.loads(buffer.stdout)["findings"]]
    assert (len(disk.splitlines()) + 4, "added") in lines
    assert handlers.read_text(encoding="utf-8") == disk
    from_disk = subprocess.run([*command, str(handlers)], capture_output=True, text=True, check=False)
    assert "added" not in {f["function"] for f in json.loads(from_disk.stdout)["findings"]}


def test_sources_may_name_a_file_not_yet_on_disk(tmp_path: Path, inside: None) -> None:
    project = tmp_path / "proj"
    shutil.copytree(ROOT / "golden" / "projects" / "instances", project)
    os.chdir(project)
    new = Path("app/new.py")
    text = "from app.db import db\n\n\nasync def handler() -> None:\n    db.list_items()\n"
    config = config_for([Path(".")]).with_overrides(cache=False)
    result = run_check([Path(".")], config, jobs=1, report_only=[new], sources={new: text})
    assert [(f.path, f.code, f.call) for f in result.findings] == [("app/new.py", "AFY200", "app.db.DB.list_items")]
    assert not new.exists()


def test_fix_file_writes_only_the_named_file(tmp_path: Path, inside: None) -> None:
    project = tmp_path / "audit"
    shutil.copytree(SEED, project)
    os.chdir(project)
    before = {p: p.read_bytes() for p in Path(".").rglob("*.py")}
    run = subprocess.run(
        [sys.executable, "-m", "asyncify", "fix", "--no-cache", str(MAIN)], capture_output=True, text=True, check=False
    )
    changed = sorted(str(p) for p, data in before.items() if p.read_bytes() != data)
    assert changed == [str(MAIN)], run.stderr
    assert "await asyncio.to_thread(EvalSetLoader.load_manifest" in MAIN.read_text(encoding="utf-8")


def test_fix_file_refuses_to_touch_files_not_named(tmp_path: Path, inside: None) -> None:
    project = tmp_path / "audit"
    shutil.copytree(SEED, project)
    os.chdir(project)
    before = {p: p.read_bytes() for p in Path(".").rglob("*.py")}
    command = [sys.executable, "-m", "asyncify", "fix", "--no-cache", "--strategy", "twin", str(MAIN)]
    refused = subprocess.run(command, capture_output=True, text=True, check=False)
    assert refused.returncode == 2
    assert "packages/core/src/pipeline_core/eval_sets.py" in refused.stderr
    assert "--allow-outside" in refused.stderr
    assert all(p.read_bytes() == data for p, data in before.items())
    allowed = subprocess.run([*command, "--allow-outside"], capture_output=True, text=True, check=False)
    changed = {str(p) for p, data in before.items() if p.read_bytes() != data}
    assert str(MAIN) in changed and "packages/core/src/pipeline_core/eval_sets.py" in changed, allowed.stderr


def test_a_workspace_root_above_package_roots_is_the_project(tmp_path: Path, inside: None) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    package = tmp_path / "packages" / "core"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text("", encoding="utf-8")
    (package / "m.py").write_text("", encoding="utf-8")
    os.chdir(tmp_path)
    assert scope_for([Path("packages/core/m.py")]).root == tmp_path
    os.chdir(package)
    assert scope_for([Path("m.py")]).root == package
    assert scope_for([Path("m.py")], project_root=tmp_path).root == tmp_path


def test_loose_files_without_a_project_are_analysed_alone(tmp_path: Path) -> None:
    loose = tmp_path / "loose.py"
    loose.write_text("", encoding="utf-8")
    scope = scope_for([loose])
    assert scope.analysed == [loose] and scope.report_only is None


def test_directories_alone_are_analysed_as_given() -> None:
    scope = scope_for([SEED / "services"])
    assert scope.report_only is None and scope.analysed == [SEED / "services"]


@pytest.mark.parametrize("name", ["definitions", "instances", "return_types", "branches"])
def test_plain_fix_fixes_the_precision_patterns(name: str, tmp_path: Path, inside: None) -> None:
    """Each golden project's patterns are certain findings: plain ``fix`` leaves only the
    near misses (guesses, and what must stay on its thread)."""
    project = tmp_path / name
    shutil.copytree(ROOT / "golden" / "projects" / name, project)
    os.chdir(project)
    before = json.loads(_check_json())
    certain = [f for f in before["findings"] if f["confidence"] == "certain" and f["fixable"]]
    assert certain
    fixed = subprocess.run([sys.executable, "-m", "asyncify", "fix", "--no-cache", "."], capture_output=True, text=True)
    assert fixed.returncode in (0, 1), fixed.stderr
    after = json.loads(_check_json())
    assert [f for f in after["findings"] if f["fixable"]] == []
    assert len(after["findings"]) == len(before["findings"]) - len(certain)
    for source in Path(".").rglob("*.py"):
        compile(source.read_text(encoding="utf-8"), str(source), "exec")


def _check_json() -> str:
    command = [sys.executable, "-m", "asyncify", "check", "--no-cache", "--format", "json", "."]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout


def test_stdin_filename_with_paths_is_a_usage_error(inside: None) -> None:
    os.chdir(SEED)
    command = [sys.executable, "-m", "asyncify", "check", "--stdin-filename", str(MAIN), str(MAIN)]
    run = subprocess.run(command, input="", capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert run.stderr.count("\n") <= 2 and "--stdin-filename" in run.stderr
