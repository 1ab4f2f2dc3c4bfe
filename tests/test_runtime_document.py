"""The run-time report file: versioned JSON that round-trips, refuses what it cannot
read with one line naming the file (through the CLI: exit 2), and combines xdist
workers' reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from asyncify.runtime.combine import combine_reports
from asyncify.runtime.document import (
    CallSite,
    Chain,
    FileRecord,
    Frame,
    RuntimeReport,
    RuntimeReportError,
    SlowStep,
    Unmapped,
    read_report,
    report_to_dict,
    write_report,
)

FRAME = Frame("lib.fetch", "/site/lib.py", 8, False, 5)


def sample(tests: int = 2, count: int = 3, test: str = "t.py::a", exercised: tuple[int, ...] = (3, 4)) -> RuntimeReport:
    return RuntimeReport(
        root="/project",
        tests=tests,
        asyncify="0.1.0",
        python="CPython 3.11.7",
        detector="blockbuster 1.5.29",
        slow_callback_duration=0.1,
        lines_traced=True,
        files={"pkg/mod.py": FileRecord("ab" * 32, exercised)},
        call_sites=(
            CallSite(
                "pkg/mod.py",
                "pkg.mod",
                "run",
                4,
                5,
                4,
                15,
                "fetch(url)",
                False,
                count,
                (test,),
                (Chain("time.sleep", count, (FRAME,)),),
            ),
        ),
        slow_steps=(SlowStep("pkg/mod.py", "run", 6, 1, 0.25, (test,)),),
        unmapped=(Unmapped("os.stat", 1, (test,), (FRAME,)),),
    )


def test_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "r.json"
    write_report(sample(), target)
    assert read_report(target) == sample()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("asyncify-runtime", 1)
    assert not list(target.parent.glob("*.tmp")), "written atomically, nothing left behind"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"version": 1}', "not an asyncify run-time report"),
        ('{"format": "asyncify-runtime", "version": 99}', "newer than this asyncify reads"),
        (
            '{"format": "asyncify-runtime", "version": 1, "root": "/", "tests": 1, "files": {}, "call_sites": [{}]}',
            "missing call_sites[0].",
        ),
        (
            '{"format": "asyncify-runtime", "version": 1, "root": "/", "tests": "x", "files": {}, "call_sites": []}',
            "tests has the wrong type",
        ),
    ],
)
def test_bad_reports_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    target = tmp_path / "r.json"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(RuntimeReportError) as raised:
        read_report(target)
    assert str(raised.value).startswith(f"{target}: ")
    assert message in str(raised.value)


def test_missing_report_through_the_cli_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("async def f():\n    pass\n", encoding="utf-8")
    for command in ("check", "fix"):
        result = subprocess.run(
            [sys.executable, "-m", "asyncify", command, ".", "--runtime", "missing.json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [
            "asyncify: error: missing.json: cannot read the run-time report: No such file or directory"
        ]
    (tmp_path / "bad.json").write_text('{"format": "other"}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "asyncify", "check", ".", "--runtime", "bad.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "bad.json: not an asyncify run-time report" in result.stderr


def test_workers_combine() -> None:
    combined = combine_reports(
        [sample(tests=2, count=3, test="t.py::a"), sample(tests=5, count=4, test="t.py::b", exercised=(4, 9))]
    )
    assert combined is not None
    assert combined.tests == 7
    [site] = combined.call_sites
    assert (site.count, site.tests) == (7, ("t.py::a", "t.py::b"))
    assert site.chains == (Chain("time.sleep", 7, (FRAME,)),)
    assert combined.files["pkg/mod.py"].exercised == (3, 4, 9)
    [step] = combined.slow_steps
    assert (step.count, step.tests) == (2, ("t.py::a", "t.py::b"))
    assert combined.unmapped[0].count == 2
    assert combine_reports([]) is None


def test_dict_keys_are_the_documented_ones() -> None:
    data = report_to_dict(sample())
    assert list(data) == [
        "format",
        "version",
        "asyncify",
        "python",
        "detector",
        "root",
        "tests",
        "slow_callback_duration",
        "lines_traced",
        "files",
        "call_sites",
        "slow_steps",
        "unmapped",
    ]
    assert list(data["call_sites"][0]) == [
        "path",
        "module",
        "function",
        "line",
        "column",
        "end_line",
        "end_column",
        "text",
        "awaited",
        "count",
        "tests",
        "chains",
    ]
