"""Output formats: the JSON contract, SARIF 2.1.0 structure, GitHub escaping, human text."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from asyncify.findings import ChainLink, Confidence, Finding
from asyncify.report import ExitCode, OutputFormat, Report
from asyncify.report.github import escape_data, escape_property, render_github
from asyncify.report.human import make_console, render_human
from asyncify.report.json_format import render_json
from asyncify.report.output import emit, render
from asyncify.report.sarif import render_sarif
from asyncify.results import CheckResult, FileError
from asyncify.scan.summary import Span

FINDING_KEYS = {
    "code", "message", "path", "line", "column", "end_line", "end_column",
    "function", "call", "chain", "confidence", "fixable", "strategies",
    # additions to version 1 (new keys only; existing ones never change meaning):
    "not_applicable", "not_fixable",
}  # fmt: skip


def direct(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "code": "AFY110",
        "message": "`time.sleep` blocks the event loop",
        "path": "src/app/jobs.py",
        "module": "app.jobs",
        "span": Span(7, 5, 7, 18),
        "function": "Worker.run",
        "call": "time.sleep",
        "confidence": Confidence.CERTAIN,
        "strategies": ("sleep", "wrap"),
        "awaitable": True,
        "fixable": True,
    }
    values.update(changes)
    return Finding(**values)


def indirect() -> Finding:
    return Finding(
        code="AFY200",
        message="`_load_config_sync` is a sync helper that blocks the event loop (indirect)",
        path="src/app/doctor.py",
        module="app.doctor",
        span=Span(20, 14, 20, 37),
        function="run_doctor",
        call="app.doctor._load_config_sync",
        confidence=Confidence.CERTAIN,
        strategies=("wrap", "twin", "propagate"),
        awaitable=True,
        chain=(
            ChainLink("app.doctor._load_config_sync", "src/app/doctor.py", 9),
            ChainLink("open", "src/app/doctor.py", 10),
        ),
    )


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(tmp_path)
    report = Report()
    likely = direct(
        code="AFY102",
        message="`Path.read_text` does filesystem I/O on the event loop",
        path=str(tmp_path / "src" / "app" / "io.py"),  # absolute under the cwd: shown relative
        span=Span(3, 12, 3, 28),
        call="pathlib.Path.read_text",
        confidence=Confidence.LIKELY,
        strategies=("wrap",),
        fixable=False,
    )
    report.add_check(
        CheckResult(
            findings=[indirect(), direct(), likely],
            errors=[FileError("src/broken.py", "syntax error: invalid syntax (line 3, column 5)")],
            files=4,
            timings={"discover": 0.01, "scan": 0.2, "analyse": 0.03},
        )
    )
    return report


# -- JSON ---------------------------------------------------------------------------------


def test_json_contract(report: Report) -> None:
    document = json.loads(render_json(report))
    assert set(document) == {"version", "findings", "errors"}
    assert document["version"] == 1
    assert [f["code"] for f in document["findings"]] == ["AFY200", "AFY102", "AFY110"]  # sorted by path
    for finding in document["findings"]:
        assert set(finding) == FINDING_KEYS
    helper, likely, sleep = document["findings"]
    assert sleep == {
        "code": "AFY110",
        "message": "`time.sleep` blocks the event loop",
        "path": "src/app/jobs.py",
        "line": 7,
        "column": 5,
        "end_line": 7,
        "end_column": 18,
        "function": "Worker.run",
        "call": "time.sleep",
        "chain": [],
        "confidence": "certain",
        "fixable": True,
        "strategies": ["sleep", "wrap"],
        "not_applicable": {},
        "not_fixable": None,
    }
    assert likely["path"] == "src/app/io.py"
    assert (likely["line"], likely["column"]) == (3, 12)
    assert likely["confidence"] == "likely"
    assert helper["chain"] == [
        {"function": "app.doctor._load_config_sync", "path": "src/app/doctor.py", "line": 9},
        {"function": "open", "path": "src/app/doctor.py", "line": 10},
    ]
    assert document["errors"] == [
        {"path": "src/broken.py", "message": "syntax error: invalid syntax (line 3, column 5)"}
    ]


def test_json_timings_only_when_asked(report: Report) -> None:
    assert "timings" not in json.loads(render(report, OutputFormat.JSON))
    timed = json.loads(render(report, OutputFormat.JSON, verbose=True))
    assert set(timed) == {"version", "findings", "errors", "timings"}
    assert timed["timings"] == {"discover": 0.01, "scan": 0.2, "analyse": 0.03}


def test_json_of_a_clean_run() -> None:
    assert json.loads(render_json(Report(files=3))) == {"version": 1, "findings": [], "errors": []}


# -- SARIF --------------------------------------------------------------------------------


def test_sarif_structure(report: Report) -> None:
    document = json.loads(render_sarif(report))
    assert document["version"] == "2.1.0"
    assert "sarif-2.1.0" in document["$schema"]
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "asyncify"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == ["AFY102", "AFY110", "AFY200"]
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert "## What it finds" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == "warning"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["AFY200", "AFY102", "AFY110"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith(("/", "file:"))
    sleep = results[2]
    assert sleep["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "src/app/jobs.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 18},
    }
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/app/io.py"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_sarif_chain_is_a_code_flow(report: Report) -> None:
    run = json.loads(render_sarif(report))["runs"][0]
    helper = run["results"][0]
    assert "run_doctor -> _load_config_sync -> open()" in helper["message"]["text"]
    steps = helper["codeFlows"][0]["threadFlows"][0]["locations"]
    lines = [step["location"]["physicalLocation"]["region"]["startLine"] for step in steps]
    assert lines == [20, 9, 10]
    assert "codeFlows" not in run["results"][2]


def test_sarif_errors_are_notifications(report: Report) -> None:
    (invocation,) = json.loads(render_sarif(report))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert "syntax error" in notification["message"]["text"]
    report.fail("internal error: boom")
    (invocation,) = json.loads(render_sarif(report))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False


def test_sarif_uri_is_percent_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = Report(findings=[direct(path="my dir/a%b.py")])
    location = json.loads(render_sarif(report))["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%25b.py"


# -- GitHub -------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_lines(report: Report) -> None:
    lines = render_github(report).splitlines()
    assert lines[2] == (
        "::warning file=src/app/jobs.py,line=7,col=5,endLine=7,endColumn=18,title=AFY110::"
        "`time.sleep` blocks the event loop"
    )
    assert lines[0].startswith("::warning file=src/app/doctor.py,line=20,col=14,")
    assert lines[0].endswith("(indirect)%0Achain: run_doctor -> _load_config_sync -> open()")
    assert lines[1].endswith("event loop (likely)")
    assert lines[3] == "::error file=src/broken.py,title=asyncify::syntax error: invalid syntax (line 3, column 5)"


def test_github_escapes_paths_and_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = Report(findings=[direct(path="a,b:c.py", message="100% bad\nreally")])
    assert render_github(report) == (
        "::warning file=a%2Cb%3Ac.py,line=7,col=5,endLine=7,endColumn=18,title=AFY110::100%25 bad%0Areally\n"
    )


# -- human and routing --------------------------------------------------------------------


def test_human_report(report: Report) -> None:
    buffer = io.StringIO()
    render_human(report, make_console(buffer, color=False))
    assert buffer.getvalue() == (
        "src/app/doctor.py:20:14 AFY200 `_load_config_sync` is a sync helper that blocks the event loop (indirect)\n"
        "  chain: run_doctor -> _load_config_sync -> open()\n"
        "  fix strategies: wrap, twin, propagate\n"
        "\n"
        "src/app/io.py:3:12 AFY102 `Path.read_text` does filesystem I/O on the event loop (likely)\n"
        "\n"
        "src/app/jobs.py:7:5 AFY110 [*] `time.sleep` blocks the event loop\n"
        "\n"
        "src/broken.py: syntax error: invalid syntax (line 3, column 5)\n"
        "\n"
        "3 findings in 3 files (1 fixable), checked 4 files; 1 file could not be checked\n"
    )


def test_human_colour_follows_no_color_and_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    def rendered() -> str:
        buffer = io.StringIO()  # not a terminal
        render_human(Report(findings=[direct()], files=1), make_console(buffer))
        return buffer.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\x1b[" not in rendered()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in rendered()
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in rendered()


def test_machine_output_on_stdout_summary_on_stderr(report: Report) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    emit(report, OutputFormat.JSON, stdout=stdout, stderr=stderr)
    assert json.loads(stdout.getvalue())["version"] == 1
    assert "3 findings in 3 files" in stderr.getvalue()
    stdout, stderr = io.StringIO(), io.StringIO()
    emit(report, OutputFormat.SARIF, stdout=stdout, stderr=stderr, quiet=True)
    assert stderr.getvalue() == ""


def test_output_file(report: Report, tmp_path: Path) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    target = tmp_path / "report.json"
    emit(report, OutputFormat.JSON, stdout=stdout, stderr=stderr, output=target)
    assert stdout.getvalue() == ""
    assert json.loads(target.read_text(encoding="utf-8"))["findings"]


# -- exit codes ---------------------------------------------------------------------------


def test_exit_codes() -> None:
    assert Report().exit_code == ExitCode.CLEAN
    assert Report(findings=[direct()]).exit_code == 1
    assert Report(errors=[FileError("x.py", "syntax error")]).exit_code == 1
    assert Report(findings=[direct()], exit_zero=True).exit_code == 0
    failed = Report(findings=[direct()], exit_zero=True)
    failed.fail("internal error")
    assert failed.exit_code == 2


def test_progress_bar_only_on_a_terminal_and_for_long_runs() -> None:
    from asyncify.report.progress import progress_bar

    plain = make_console(io.StringIO(), color=False)
    with progress_bar(plain, enabled=True) as callbacks:
        assert callbacks.on_files is None and callbacks.progress is None
    buffer = io.StringIO()
    terminal = make_console(buffer, color=True)
    with progress_bar(terminal, enabled=True, min_files=10) as callbacks:
        assert callbacks.on_files is not None and callbacks.progress is not None
        callbacks.on_files(3)
        callbacks.progress(3)
    assert buffer.getvalue() == ""  # too short a run for a bar
    with progress_bar(terminal, enabled=True, min_files=10) as callbacks:
        assert callbacks.on_files is not None and callbacks.progress is not None
        callbacks.on_files(20)
        callbacks.progress(20)
    assert "20/20" in buffer.getvalue()


def test_progress_names_each_stage() -> None:
    """After the scan the display names the stage it is in instead of a full bar."""
    from asyncify.report.progress import progress_bar

    buffer = io.StringIO()
    terminal = make_console(buffer, color=True)
    with progress_bar(terminal, enabled=True, min_files=10) as callbacks:
        assert callbacks.on_files is not None and callbacks.progress is not None and callbacks.stage is not None
        callbacks.on_files(20)
        callbacks.progress(20)
        callbacks.stage("analysing")
    assert "analysing" in buffer.getvalue()
