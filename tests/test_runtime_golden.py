"""Seen at run time, end to end: a project that blocks only inside a library outside it.

``golden/runtime/outside_library`` (its README says more): static ``check`` finds
nothing; after ``pytest --asyncify-runtime=r.json``, ``check --runtime r.json`` reports
AFY300 at the project's call sites with the observed chains; ``fix --runtime r.json``
wraps the two it can, the project's tests still pass, and a new run leaves only the
call that blocks inside an awaited library coroutine. Everything goes through the real
entry points (``python -m pytest``, ``python -m asyncify``) in a copy of the project.

Expected outputs are whole files, with the temporary folder, the Python version and
blockbuster's version normalised. Regenerate with
``pytest tests/test_runtime_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden" / "runtime" / "outside_library"
SERVICE = Path("src/quotes/service.py")
REGENERATE = "run `pytest tests/test_runtime_golden.py --update-golden` and review the diff"


def run(args: list[str], cwd: Path, library: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(library), "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def normalise(text: str, tmp: Path) -> str:
    text = text.replace(str(tmp), "<tmp>")
    text = re.sub(r"CPython \d+\.\d+\.\d+\S*", "<python>", text)
    return re.sub(r"blockbuster \d+(\.\d+)*", "<blockbuster>", text)


def compare(actual: str, name: str, update: bool) -> None:
    expected_file = GOLDEN / name
    if update:
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else ""
    assert actual == expected, f"{name} changed; if intended, {REGENERATE}"


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project and, beside it (outside its root), the library; the tests recorded."""
    tmp = tmp_path_factory.mktemp("runtime")
    shutil.copytree(GOLDEN / "project", tmp / "project")
    shutil.copytree(GOLDEN / "slowlib", tmp / "slowlib")
    recorded = run(
        ["-m", "pytest", "-p", "no:cacheprovider", "--asyncify-runtime=r.json"], tmp / "project", tmp / "slowlib"
    )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "asyncify: wrote" in recorded.stdout
    return tmp


def test_static_check_sees_nothing(copy: Path) -> None:
    result = run(["-m", "asyncify", "check", ".", "--no-cache"], copy / "project", copy / "slowlib")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_report_records_call_sites_with_their_tests(copy: Path) -> None:
    report = json.loads((copy / "project" / "r.json").read_text(encoding="utf-8"))
    assert (report["format"], report["version"], report["tests"]) == ("asyncify-runtime", 1, 4)
    sites = {(s["function"], s["text"]): s for s in report["call_sites"]}
    assert set(sites) == {
        ("latest_price", "fetch_quote(address, symbol)"),
        ("portfolio_value", "client.quote(symbol)"),
        ("refresh", "refresh_async(address)"),
    }
    latest = sites[("latest_price", "fetch_quote(address, symbol)")]
    assert latest["tests"] == [
        "tests/test_service.py::test_latest_price_with_asyncio_run",
        "tests/test_service.py::test_latest_price_with_pytest_asyncio",
    ], "asyncio.run and pytest-asyncio both attribute their events"
    assert sites[("portfolio_value", "client.quote(symbol)")]["tests"] == [
        "tests/test_service.py::test_portfolio_with_anyio[asyncio]"
    ], "anyio's pytest plugin"
    assert {c["primitive"] for c in latest["chains"]} == {
        "time.sleep",
        "socket.socket.connect",
        "socket.socket.sendall",
        "socket.socket.recv",
    }
    assert sites[("refresh", "refresh_async(address)")]["awaited"] is True
    assert all(not f["project"] for c in latest["chains"] for f in c["frames"]), "slowlib is outside the root"
    assert set(report["files"]) == {"src/quotes/service.py"}, "tests and the library are not project code"


def test_xdist_workers_report_the_same(copy: Path, tmp_path: Path) -> None:
    """Each pytest-xdist worker records its tests; the controller combines and writes once."""
    project = tmp_path / "project"
    shutil.copytree(copy / "project", project)
    result = run(
        ["-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "--asyncify-runtime=x.json"], project, copy / "slowlib"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    serial = json.loads((copy / "project" / "r.json").read_text(encoding="utf-8"))
    parallel = json.loads((project / "x.json").read_text(encoding="utf-8"))
    assert parallel["tests"] == serial["tests"] == 4
    assert parallel["call_sites"] == serial["call_sites"], "same sites, counts, tests and chains"
    assert parallel["files"] == serial["files"]


def test_check_with_the_report(copy: Path, update_golden: bool) -> None:
    human = run(
        ["-m", "asyncify", "check", ".", "--no-cache", "--runtime", "r.json"], copy / "project", copy / "slowlib"
    )
    assert human.returncode == 1, human.stderr
    compare(normalise(human.stdout, copy), "check.txt", update_golden)
    machine = run(
        ["-m", "asyncify", "check", ".", "--no-cache", "--runtime", "r.json", "--format", "json"],
        copy / "project",
        copy / "slowlib",
    )
    assert machine.returncode == 1, machine.stderr
    compare(normalise(machine.stdout, copy), "check.json", update_golden)


def test_sarif_carries_the_run(copy: Path) -> None:
    result = run(
        ["-m", "asyncify", "check", ".", "--no-cache", "--runtime", "r.json", "--format", "sarif"],
        copy / "project",
        copy / "slowlib",
    )
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["AFY300", "AFY300", "AFY300"]
    assert all(r["properties"]["runtime"]["status"] == "observed" for r in results)
    steps = results[0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert "slowlib.client.fetch_quote" in steps[1]["location"]["message"]["text"] or steps[1]["location"][
        "physicalLocation"
    ]["artifactLocation"]["uri"].endswith("slowlib/client.py")


def test_fix_wraps_the_call_sites_and_the_tests_still_pass(copy: Path, update_golden: bool, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(copy / "project", project)
    fixed = run(["-m", "asyncify", "fix", ".", "--no-cache", "--runtime", "r.json"], project, copy / "slowlib")
    assert fixed.returncode == 1, fixed.stderr  # the awaited coroutine is left, with its reason
    assert "fixed 2 findings" in fixed.stderr
    assert "blocks inside an awaited coroutine" in fixed.stderr
    compare((project / SERVICE).read_text(encoding="utf-8"), "fixed/src/quotes/service.py", update_golden)

    again = run(["-m", "asyncify", "fix", ".", "--no-cache", "--runtime", "r.json"], project, copy / "slowlib")
    assert "No files changed" in again.stderr, "a second fix changes nothing"

    tests = run(["-m", "pytest", "-p", "no:cacheprovider", "--asyncify-runtime=after.json"], project, copy / "slowlib")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    after = run(["-m", "asyncify", "check", ".", "--no-cache", "--runtime", "after.json"], project, copy / "slowlib")
    compare(normalise(after.stdout, tmp_path), "after_fix.txt", update_golden)
