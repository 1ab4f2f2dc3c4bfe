"""``check --write-baseline`` / ``--baseline`` / ``baseline = ...``, through the real
entry point: a baselined project reports only what is new, whatever moved."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asyncify.baseline import normalise_call

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "audit_project"
GOLDEN = ROOT / "golden" / "output"

SERVICE = """\
import os
import time
from pathlib import Path


def _load(path: Path) -> str:
    return path.read_text()


async def warm_up(cache: Path) -> None:
    time.sleep(0.5)
    if not os.path.exists(cache):
        cache.mkdir(parents=True)


async def serve(config: Path) -> str:
    return _load(config)
"""


def asyncify(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asyncify", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with four findings and a baseline of them."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "service.py").write_text(SERVICE)
    result = asyncify("check", "--no-cache", "--write-baseline", ".asyncify-baseline.json", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "asyncify: recorded 4 findings in .asyncify-baseline.json\n"
    assert result.stdout == ""
    return tmp_path


def check(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return asyncify("check", "--no-cache", "--format", "json", *args, ".", cwd=project)


def test_a_baselined_project_is_clean(project: Path) -> None:
    result = check(project, "--baseline", ".asyncify-baseline.json")
    assert result.returncode == 0, result.stderr
    assert findings(result) == []
    assert json.loads(result.stdout)["baselined"] == 4
    assert result.stderr == "No findings, checked 2 files; 4 baselined\n"


def test_a_new_blocking_call_is_the_one_finding(project: Path) -> None:
    service = project / "app" / "service.py"
    service.write_text(SERVICE.replace("    time.sleep(0.5)\n", "    time.sleep(0.5)\n    os.listdir(cache)\n"))
    result = check(project, "--baseline", ".asyncify-baseline.json")
    assert result.returncode == 1
    assert findings(result) == [("app/service.py", 12, "AFY103")]
    assert json.loads(result.stdout)["baselined"] == 4


def test_moving_code_down_20_lines_reports_nothing(project: Path) -> None:
    service = project / "app" / "service.py"
    before = [line for _, line, _ in findings(check(project))]
    service.write_text(SERVICE.replace("\n\ndef _load", "\n" + "\n" * 20 + "\ndef _load"))
    assert [line for _, line, _ in findings(check(project))] == [line + 20 for line in before]
    result = check(project, "--baseline", ".asyncify-baseline.json")
    assert result.returncode == 0, result.stdout
    assert findings(result) == []


def test_reformatting_a_call_keeps_it_baselined(project: Path) -> None:
    service = project / "app" / "service.py"
    service.write_text(
        SERVICE.replace("cache.mkdir(parents=True)", "cache.mkdir(\n            parents=True,\n        )")
    )
    result = check(project, "--baseline", ".asyncify-baseline.json")
    assert findings(result) == [], result.stdout


def test_a_second_identical_call_is_new(project: Path) -> None:
    service = project / "app" / "service.py"
    service.write_text(SERVICE.replace("    time.sleep(0.5)\n", "    time.sleep(0.5)\n    time.sleep(0.5)\n"))
    result = check(project, "--baseline", ".asyncify-baseline.json")
    assert len(findings(result)) == 1
    assert findings(result)[0][2] == "AFY110"


def test_a_helper_that_now_blocks_another_way_is_new(project: Path) -> None:
    service = project / "app" / "service.py"
    service.write_text(SERVICE.replace("return path.read_text()", "return str(os.listdir(path))"))
    result = check(project, "--baseline", ".asyncify-baseline.json")
    assert [(f["code"], f["function"]) for f in json.loads(result.stdout)["findings"]] == [("AFY200", "serve")]


def test_fixed_findings_are_counted_as_gone(project: Path) -> None:
    service = project / "app" / "service.py"
    service.write_text(SERVICE.replace("    time.sleep(0.5)\n", ""))
    result = asyncify("check", "--no-cache", "--baseline", ".asyncify-baseline.json", ".", cwd=project)
    assert result.returncode == 0
    assert result.stdout == (
        "No findings, checked 2 files; 3 baselined "
        "(1 baseline entry no longer found: rewrite it with --write-baseline)\n"
    )


def test_checking_part_of_the_project_does_not_count_other_files_as_gone(project: Path) -> None:
    (project / "other.py").write_text("async def f():\n    pass\n")
    result = asyncify("check", "--no-cache", "--baseline", ".asyncify-baseline.json", "other.py", cwd=project)
    assert result.stdout == "No findings, checked 1 file; 0 baselined\n"


def test_configuration_names_the_baseline_and_no_baseline_ignores_it(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.asyncify]\nbaseline = ".asyncify-baseline.json"\n')
    assert findings(check(project)) == []
    assert len(findings(check(project, "--no-baseline"))) == 4
    # writing a baseline records everything, whatever the configured one accepts
    rewrite = asyncify("check", "--no-cache", "--write-baseline", "again.json", ".", cwd=project)
    assert rewrite.stderr == "asyncify: recorded 4 findings in again.json\n"
    assert (project / "again.json").read_text() == (project / ".asyncify-baseline.json").read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline.json: baseline not found (create it with `asyncify check --write-baseline baseline.json`)"),
        (
            "{not json",
            "baseline.json: not a baseline: invalid JSON"
            " (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        ),
        ('{"version": 7, "findings": []}', "baseline.json: not an asyncify baseline of version 1"),
        ('{"version": 1, "findings": [{"path": 3}]}', "baseline.json: finding 1 of the baseline is malformed"),
    ],
    ids=["missing", "not-json", "other-version", "malformed-entry"],
)  # fmt: skip
def test_a_bad_baseline_is_one_line_and_exit_2(project: Path, content: str | None, message: str) -> None:
    if content is not None:
        (project / "baseline.json").write_text(content)
    result = asyncify("check", "--baseline", "baseline.json", ".", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"asyncify: error: {message}\n"


def test_a_bad_configured_baseline_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.asyncify]\nbaseline = 3\n")
    result = asyncify("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "[tool.asyncify] baseline must be a path" in result.stderr


def test_the_example_baseline_file(tmp_path: Path, update_golden: bool) -> None:
    """The whole file for the seed example: sorted, one entry per distinct finding, paths
    relative to the baseline's folder, no line numbers."""
    copy = tmp_path / "audit_project"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".asyncify_cache", "__pycache__"))
    result = asyncify("check", "--no-cache", "--write-baseline", "baseline.json", ".", cwd=copy)
    assert result.returncode == 0, result.stderr
    actual = (copy / "baseline.json").read_text(encoding="utf-8")
    if update_golden:
        (GOLDEN / "audit_project_baseline.json").write_text(actual, encoding="utf-8")
    assert actual == (GOLDEN / "audit_project_baseline.json").read_text(encoding="utf-8"), (
        "run `pytest tests/test_baseline.py --update-golden` and review golden/output/audit_project_baseline.json"
    )
    assert '"line"' not in actual


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("open(p)", "open(p)"),
        ("open( p ,\n    'r' ,\n)", "open(p,'r')"),
        ('subprocess.run(\n    ["a",\n     "b"],\n    check=True,\n)', 'subprocess.run(["a","b"],check=True)'),
        ("f(a, b)", "f(a,b)"),
    ],
)
def test_call_text_is_normalised(written: str, normal: str) -> None:
    assert normalise_call(written) == normal
