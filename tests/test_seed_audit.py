"""The seed audit's five violations, end to end through the real CLI.

``examples/audit_project`` rebuilds the audit's patterns in code of its own, with its own
behaviour tests. ``check`` must report every violation with its chain (the expected list
is ``golden/seed_audit_expected.txt``, compared by ``test_golden_projects``); ``fix`` must
rewrite them as the audit recommends, keep the project's tests passing, leave nothing
fixable, and be a no-op the second time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "audit_project"


def asyncify(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asyncify", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def project_tests(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def fixed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example after a plain ``fix``: one finding is left (exit 1), with its reason."""
    copy = tmp_path_factory.mktemp("seed") / "audit_project"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".asyncify_cache", "__pycache__"))
    result = asyncify("fix", ".", "--no-cache", "-v", cwd=copy)
    assert result.returncode == 1, result.stderr
    assert "needs the event loop's thread" in result.stderr
    return copy


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def test_check_reports_every_violation_with_exit_1() -> None:
    result = asyncify("check", ".", "--format", "json", "--no-cache", cwd=EXAMPLE)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    chains = {(f["function"], f["call"].rsplit(".", 1)[-1]): [c["function"] for c in f["chain"]] for f in findings}
    assert chains[("run_doctor", "_load_config_sync")][-1] == "pathlib.Path.exists"
    assert ("run_doctor", "check_config_valid") in chains
    assert ("_run_pipeline_async", "_read_progress_updates") in chains
    assert ("_run_pipeline_async", "_write_run_report") in chains
    assert chains[("_run_pipeline_async", "_build_orchestrator")] == [
        "pipeline_cli.main._build_orchestrator",
        "pipeline_core.agents.build_agent_pools",
        "pipeline_core.agents._discover_agent_profile_specs",
        "pathlib.Path.glob",
    ]
    assert ("_benchmark_download_async", "load_manifest") in chains
    assert ("_benchmark_download_async", "load_slices") in chains
    assert ("_benchmark_download_async", "parse_script") in chains
    assert ("EvalDownloader.download_scripts", "_compute_sha256") in chains
    direct = {(f["function"], f["call"]) for f in findings if not f["chain"]}
    assert ("_benchmark_download_async", "pathlib.Path.unlink") in direct
    assert ("EvalDownloader.download_scripts", "pathlib.Path.write_bytes") in direct
    not_fixable = {f["call"].rsplit(".", 1)[-1] for f in findings if not f["fixable"]}
    assert not_fixable == {"_build_orchestrator"}, "only the loop-bound pool builder cannot be wrapped"


def test_fix_offloads_helpers_as_the_audit_recommends(fixed_copy: Path) -> None:
    doctor = (fixed_copy / "packages/core/src/pipeline_core/doctor.py").read_text(encoding="utf-8")
    assert "config = await asyncio.to_thread(_load_config_sync, config_path)" in doctor
    assert "results = [await asyncio.to_thread(check_config_valid, config_path)]" in doctor
    main = (fixed_copy / "services/cli/src/pipeline_cli/main.py").read_text(encoding="utf-8")
    # build_agent_pools -> load_agent_profile calls asyncio.get_running_loop(): wrapping the
    # pool builder in a thread would raise there, so wrap leaves it (propagate fixes it).
    assert "    pools = _build_orchestrator(agents_dir, [\"translate\", \"review\"])" in main
    assert (
        "    content_lines = (\n"
        "        await asyncio.to_thread(script_path.read_text, encoding=\"utf-8\")\n"
        "    ).splitlines()\n"
    ) in main  # split as black would: the line grew past the default 88 columns
    storage = fixed_copy / "packages/core/src/pipeline_core/storage.py"
    assert storage.read_bytes() == (EXAMPLE / "packages/core/src/pipeline_core/storage.py").read_bytes()


def test_fixed_project_still_passes_its_own_tests(fixed_copy: Path) -> None:
    result = project_tests(fixed_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_fixable_left_and_second_fix_is_a_no_op(fixed_copy: Path) -> None:
    after = asyncify("check", ".", "--format", "json", "--no-cache", cwd=fixed_copy)
    assert [f for f in json.loads(after.stdout)["findings"] if f["fixable"]] == []
    before = snapshot(fixed_copy)
    again = asyncify("fix", ".", "--no-cache", cwd=fixed_copy)
    assert again.returncode == 1, again.stderr
    assert snapshot(fixed_copy) == before
