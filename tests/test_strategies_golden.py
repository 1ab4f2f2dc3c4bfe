"""Golden projects for ``fix --strategy twin|propagate``: ``golden/strategies/<strategy>/<case>/``.

Each case holds ``input/`` (a small project), ``behaviour.py`` (``main(workdir) -> object``:
runs the project and returns a JSON-able result) and the generated ``expected/``: the
whole project after phase 1 (``asyncify.structural``) and phase 2 (``asyncify.fixer.
run_fix``), plus ``REASONS.txt`` when propagation stopped somewhere or a finding was
refused (one ``function: reason -> boundary`` per line). Each case checks that:

* the rewritten project is exactly ``expected/`` and every file compiles;
* the findings left for phase 2 are exactly the plan's fallbacks;
* afterwards ``check`` reports no fixable finding, and a second run changes nothing;
* ``behaviour.py`` gives the same result on the original and on the rewritten project
  (each run in its own subprocess and working directory).

Regenerate with ``pytest tests/test_strategies_golden.py --update-golden`` and review
the diff; never edit ``expected/`` by hand.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from golden_tree import SKIP, read_tree, write_tree

from asyncify.api import run_check
from asyncify.config import Config
from asyncify.fixer import run_fix
from asyncify.project_style import ProjectStyle
from asyncify.restructure import run_structural
from asyncify.structural import StructuralOutcome, finding_key

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden" / "strategies"
REGENERATE = "pytest tests/test_strategies_golden.py --update-golden"
CASES = sorted(p.parent for p in GOLDEN.glob("*/*/input"))
REASONS = "REASONS.txt"


def strategy_config(strategy: str) -> Config:
    """``--strategy`` as it applies to helper findings (direct ones keep the default policy)."""
    return Config(cache=False, rule_strategy={"AFY200": strategy})


PHASE_2 = Config(cache=False, rule_strategy={"AFY200": "wrap"})
"""Phase 2 as the wiring runs it: the plan's fallback findings are fixed with ``wrap``
(the test first checks that the only helper findings left are those fallbacks)."""


def reasons(outcome: StructuralOutcome) -> str:
    lines = [stop.line() for stop in outcome.stops]
    lines += [f"refused {function} -> {call}: {why}" for (_, function, call, _), why in sorted(outcome.refused.items())]
    return "".join(line + "\n" for line in lines)


def fix_project(project: Path, strategy: str) -> StructuralOutcome:
    """Phase 1 then phase 2 on ``project``, written in place: what ``fix`` does once
    phase 1 is wired into ``run_fix`` (``test_run_fix_wiring`` checks that it does)."""
    config = strategy_config(strategy)
    with contextlib.chdir(project):
        check = run_check([Path(".")], config, jobs=1, want_summaries=True)
        assert not check.errors, check.errors
        line_length = ProjectStyle.read(Path(".").resolve()).line_length
        outcome = run_structural(check.summaries, check.findings, config, line_length=line_length)
        assert not outcome.failed, outcome.failed
        write_tree(Path("."), outcome.texts)
        after = run_check([Path(".")], config, jobs=1)
        left = {finding_key(f) for f in after.findings if f.code == "AFY200" and f.fixable}
        assert left == set(outcome.fallback), (left, outcome.fallback)
        result = run_fix([Path(".")], PHASE_2, jobs=1)
        assert not result.errors, result.errors
        for file_fix in result.files:
            file_fix.source.path.write_bytes(file_fix.source.encode(file_fix.text))
    return outcome


def run_behaviour(case: Path, project: Path, workdir: Path) -> object:
    """``behaviour.main(workdir)`` with only ``project`` importable, in a fresh interpreter."""
    code = (
        "import json, runpy, sys; from pathlib import Path; "
        f"sys.path.insert(0, {str(project)!r}); "
        f"main = runpy.run_path({str(case / 'behaviour.py')!r})['main']; "
        f"print(json.dumps(main(Path({str(workdir)!r})), sort_keys=True, default=repr))"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cases_exist() -> None:
    names = {f"{c.parent.name}/{c.name}" for c in CASES}
    assert {"twin/doctor", "twin/chain", "twin/method", "twin/mixed_callers", "propagate/three_levels"} <= names


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_strategy_golden(case: Path, tmp_path: Path, update_golden: bool) -> None:
    strategy = case.parent.name
    project = tmp_path / "project"
    shutil.copytree(case / "input", project, ignore=shutil.ignore_patterns(*SKIP))
    outcome = fix_project(project, strategy)
    actual = read_tree(project)
    for name, text in actual.items():
        if name.endswith(".py"):
            compile(text, name, "exec", dont_inherit=True)
    if reasons(outcome):
        actual[REASONS] = reasons(outcome)
    if update_golden:
        shutil.rmtree(case / "expected", ignore_errors=True)
        write_tree(case / "expected", actual)
    hint = f"golden case strategies/{strategy}/{case.name} differs; if intended, run: {REGENERATE}"
    assert actual == read_tree(case / "expected"), hint

    with contextlib.chdir(project):
        left = run_check([Path(".")], strategy_config(strategy), jobs=1).findings
    assert not [f for f in left if f.fixable], "check still reports fixable findings"

    again = tmp_path / "again"
    shutil.copytree(project, again)
    second = fix_project(again, strategy)
    assert not second.texts and not second.fallback, "a second run is not a no-op"
    assert read_tree(again) == read_tree(project), "a second run is not a no-op"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_strategy_behaviour(case: Path, tmp_path: Path) -> None:
    original, rewritten = tmp_path / "original", tmp_path / "rewritten"
    shutil.copytree(case / "input", original, ignore=shutil.ignore_patterns(*SKIP))
    shutil.copytree(case / "expected", rewritten, ignore=shutil.ignore_patterns(*SKIP, REASONS))
    results = []
    for project in (original, rewritten):
        workdir = tmp_path / f"work-{project.name}"
        workdir.mkdir()
        results.append(run_behaviour(case, project, workdir))
    assert results[0] == results[1]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_run_fix_wiring(case: Path, tmp_path: Path) -> None:
    """``run_fix`` with ``--strategy`` alone (as the CLI calls it) gives ``expected/``."""
    strategy = case.parent.name
    project = tmp_path / "project"
    shutil.copytree(case / "input", project, ignore=shutil.ignore_patterns(*SKIP))
    config = Config(cache=False, strategy=strategy)
    with contextlib.chdir(project):
        result = run_fix([Path(".")], config, jobs=1)
        assert result.converged and not result.errors
        for file_fix in result.files:
            file_fix.source.path.write_bytes(file_fix.source.encode(file_fix.text))
        assert not [f for f in run_check([Path(".")], config, jobs=1).findings if f.fixable]
        assert not run_fix([Path(".")], config, jobs=1).files, "a second run is not a no-op"
    expected = read_tree(case / "expected")
    expected.pop(REASONS, None)
    assert read_tree(project) == expected
