"""The seed audit example's own tests, run with the plugin, confirm its static findings.

The whole suite exercises every violation: each finding is ``confirmed``
(``golden/runtime/seed_audit_full.txt``; which primitive blocked depends on the
stdlib's implementation, so only the stable ones are checked). Run without the doctor
tests, the doctor's findings are ``not exercised`` and listed as such, the rest still
confirmed (``golden/runtime/seed_audit_without_doctor.txt``). Regenerate with
``pytest tests/test_runtime_seed.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "audit_project"
GOLDEN = ROOT / "golden" / "runtime"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("seed") / "audit_project"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".asyncify_cache", "__pycache__", ".pytest_cache"))
    return copy


def check_json(example: Path, report: str) -> dict[str, Any]:
    result = run(["-m", "asyncify", "check", ".", "--no-cache", "--format", "json", "--runtime", report], example)
    assert result.returncode == 1, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def statuses(document: dict[str, Any]) -> str:
    """One line per finding: where, code, callee, run-time status; then the counts."""
    lines = [
        f"{f['path']}:{f['line']}:{f['column']} {f['code']} {f['call'].rsplit('.', 1)[-1]} {f['runtime']['status']}"
        for f in document["findings"]
    ]
    counts = document["runtime"]["counts"]
    lines.append(" ".join(f"{status}={number}" for status, number in counts.items()))
    return "\n".join(lines) + "\n"


def compare(actual: str, name: str, update: bool) -> None:
    expected_file = GOLDEN / name
    if update:
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else ""
    assert actual == expected, f"{name} changed; run `pytest tests/test_runtime_seed.py --update-golden` and review"


def test_the_whole_suite_confirms_every_finding(example: Path, update_golden: bool) -> None:
    tests = run(["-m", "pytest", "-p", "no:cacheprovider", "--asyncify-runtime=full.json", "tests"], example)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    document = check_json(example, "full.json")
    actual = statuses(document)
    compare(actual, "seed_audit_full.txt", update_golden)
    assert actual.splitlines()[-1].startswith("confirmed=15 observed=0"), "every violation confirmed, nothing new"
    primitives = {f["call"].rsplit(".", 1)[-1]: f["runtime"]["primitives"] for f in document["findings"]}
    assert primitives["unlink"] == ["os.unlink"]
    assert primitives["exists"] == ["os.stat"]
    assert primitives["write_bytes"] == ["io.BufferedWriter.write"]
    assert primitives["_compute_sha256"] == ["io.BufferedReader.read"]


def test_findings_the_tests_do_not_reach_are_not_exercised(example: Path, update_golden: bool) -> None:
    tests = run(
        ["-m", "pytest", "-p", "no:cacheprovider", "--asyncify-runtime=partial.json", "-k", "not doctor", "tests"],
        example,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    actual = statuses(check_json(example, "partial.json"))
    compare(actual, "seed_audit_without_doctor.txt", update_golden)
    not_exercised = [line for line in actual.splitlines() if line.endswith(" not_exercised")]
    assert [line.split(":")[0] for line in not_exercised] == ["packages/core/src/pipeline_core/doctor.py"] * 2
    human = run(["-m", "asyncify", "check", ".", "--no-cache", "--runtime", "partial.json"], example)
    listed = [line.strip() for line in human.stdout.splitlines() if line.strip().startswith("not exercised:")]
    assert listed == [
        "not exercised: packages/core/src/pipeline_core/doctor.py:57:16 AFY200 "
        "run_doctor -> check_config_valid -> _load_config_sync -> Path.exists()",
        "not exercised: packages/core/src/pipeline_core/doctor.py:59:18 AFY200 "
        "run_doctor -> _load_config_sync -> Path.exists()",
    ]
