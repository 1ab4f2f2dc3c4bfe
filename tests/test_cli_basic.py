"""The command line through its real entry points: rules, explain, check basics, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncify.cli import app
from asyncify.rules import rule_for

runner = CliRunner()

SLEEPY = """\
import time


async def tick() -> None:
    time.sleep(1)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    (tmp_path / "pyproject.toml").write_text("[tool.asyncify]\ncache = false\n", encoding="utf-8")
    return tmp_path


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_help_says_what_asyncify_does() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "blocking synchronous calls" in result.stdout
    for command in ("check", "rules", "explain"):
        assert command in result.stdout


def test_rules_lists_codes_names_and_summaries() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for code in ("AFY110", "AFY200"):
        rule = rule_for(code)
        assert rule is not None
        assert rule.name in lines[code] and rule.summary() in lines[code]


def test_rules_json() -> None:
    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert {"AFY110", "AFY200"} <= set(rows)
    assert rows["AFY200"]["indirect"] is True
    assert set(rows["AFY110"]) == {"code", "name", "summary", "indirect", "noqa"}


def test_explain_prints_the_rule_documentation() -> None:
    rule = rule_for("AFY110")
    assert rule is not None
    result = runner.invoke(app, ["explain", "afy110"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"AFY110 ({rule.name})")
    assert rule.documentation() in result.stdout
    assert "## Fix safety" in result.stdout


def test_explain_unknown_code_exits_2_with_close_matches() -> None:
    result = runner.invoke(app, ["explain", "BAD"])
    assert result.exit_code == 2
    assert "unknown rule 'BAD'" in result.stderr
    assert result.stdout == ""
    close = runner.invoke(app, ["explain", "AFY11"])
    assert close.exit_code == 2
    assert "did you mean" in close.stderr and "AFY110" in close.stderr


def test_bad_config_key_exits_2_naming_file_and_key(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.asyncify]\nselekt = ['AFY110']\n", encoding="utf-8")
    write(project, "a.py", SLEEPY)
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 2
    assert "selekt" in result.stderr and "pyproject.toml" in result.stderr
    assert "did you mean 'select'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_explicit_config_file(project: Path) -> None:
    bad = write(project, "other.toml", "[tool.asyncify]\nbackend = 'gevent'\n")
    write(project, "a.py", SLEEPY)
    result = runner.invoke(app, ["check", "--config", str(bad), "."])
    assert result.exit_code == 2
    assert "backend" in result.stderr and "other.toml" in result.stderr


def test_check_finds_a_blocking_call_and_exits_1(project: Path) -> None:
    write(project, "a.py", SLEEPY)
    result = runner.invoke(app, ["check", "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in document["findings"]] == [("AFY110", "a.py", 5, 5)]
    assert "1 finding in 1 file" in result.stderr


def test_check_human_output(project: Path) -> None:
    write(project, "a.py", SLEEPY)
    result = runner.invoke(app, ["check", "a.py"])
    assert result.exit_code == 1
    assert result.stdout.startswith("a.py:5:5 AFY110 ")
    assert "1 finding in 1 file" in result.stdout and "checked 1 file" in result.stdout


def test_clean_check_exits_0(project: Path) -> None:
    write(project, "a.py", "import asyncio\n\n\nasync def tick() -> None:\n    await asyncio.sleep(1)\n")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "No findings" in result.stdout


def test_exit_zero_and_ignore(project: Path) -> None:
    write(project, "a.py", SLEEPY)
    assert runner.invoke(app, ["check", "--exit-zero"]).exit_code == 0
    assert runner.invoke(app, ["check", "--ignore", "AFY110"]).exit_code == 0
    assert runner.invoke(app, ["check", "--select", "AFY2"]).exit_code == 0
    assert runner.invoke(app, ["check", "--select", "afy1"]).exit_code == 1


def test_unknown_selected_code_is_a_usage_error(project: Path) -> None:
    write(project, "a.py", SLEEPY)
    result = runner.invoke(app, ["check", "--select", "AFY999"])
    assert result.exit_code == 2
    assert "--select" in result.stderr and "AFY999" in result.stderr


def test_syntax_error_and_missing_path_are_errors_with_exit_1(project: Path) -> None:
    write(project, "broken.py", "async def f(:\n")
    result = runner.invoke(app, ["check", "--format", "json", "broken.py", "missing.py"])
    assert result.exit_code == 1
    errors = {e["path"]: e["message"] for e in json.loads(result.stdout)["errors"]}
    assert errors["missing.py"] == "no such file or directory"
    assert "broken.py" in errors


def test_usage_error_exits_2(project: Path) -> None:
    assert runner.invoke(app, ["check", "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["check", "--jobs", "0"]).exit_code == 2


def test_output_file_and_sarif(project: Path) -> None:
    write(project, "a.py", SLEEPY)
    result = runner.invoke(app, ["check", "--format", "sarif", "--output", "out.sarif", "-q"])
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr == ""
    run = json.loads((project / "out.sarif").read_text(encoding="utf-8"))["runs"][0]
    assert run["results"][0]["ruleId"] == "AFY110"


def test_python_dash_m(project: Path) -> None:
    write(project, "a.py", SLEEPY)
    version = subprocess.run(
        [sys.executable, "-m", "asyncify", "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("asyncify ")
    found = subprocess.run(
        [sys.executable, "-m", "asyncify", "check", "--format", "github", "."],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode == 1, found.stderr
    assert found.stdout.startswith("::warning file=a.py,line=5,col=5,endLine=5,endColumn=18,title=AFY110::")
    assert len(found.stdout.splitlines()) == 1
    assert "1 finding in 1 file" in found.stderr


def test_internal_error_exits_2_with_a_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project, "a.py", SLEEPY)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("asyncify.api.run_check", explode)
    result = runner.invoke(app, ["check", "--exit-zero"])
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.stderr
    assert result.stdout == ""
