"""Golden projects for ``fix --update-mocks``: ``golden/mocks/<strategy>/<case>/``.

Each case holds ``input/`` (a small project with its own tests, which pass) and the
generated ``expected/``: the whole project after ``run_fix`` with ``--strategy`` and
``update_mocks``, plus ``NOTES.txt`` (the summary's lines: each patch rewritten, or left
alone with the reason). Each case checks that:

* the fixed project is exactly ``expected/`` and every file compiles;
* a second run changes nothing;
* the project's own tests pass on ``input/`` and, after the fix, every test passes but
  those whose mock was left alone (run with pytest in a subprocess).

Regenerate with ``pytest tests/test_mock_updates_golden.py --update-golden`` and review
the diff; never edit ``expected/`` by hand.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from golden_tree import SKIP, read_tree, write_tree

from asyncify.config import Config
from asyncify.fixer import FixResult, run_fix

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden" / "mocks"
REGENERATE = "pytest tests/test_mock_updates_golden.py --update-golden"
CASES = sorted(p.parent for p in GOLDEN.glob("*/*/input"))
NOTES = "NOTES.txt"


def fix(project: Path, strategy: str, *, update_mocks: bool = True) -> FixResult:
    """``asyncify fix --strategy <strategy> [--update-mocks] app/`` in ``project``, written."""
    with contextlib.chdir(project):
        result = run_fix([Path("app")], Config(cache=False, strategy=strategy), jobs=1, update_mocks=update_mocks)
        assert not result.errors, result.errors
        for file_fix in result.files:
            file_fix.source.path.write_bytes(file_fix.source.encode(file_fix.text))
    return result


def failing_tests(project: Path) -> tuple[set[str], str]:
    """The project's own tests that fail (``path::name``), and pytest's output."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(project)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", "-p", "no:randomly", "tests"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    failed = set(re.findall(r"^FAILED (\S+?::\w+)", done.stdout, re.MULTILINE))
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert done.returncode == 0 or failed, done.stdout
    return failed, done.stdout


def test_cases_exist() -> None:
    names = {f"{c.parent.name}/{c.name}" for c in CASES}
    assert {"twin/seed", "twin/forms", "propagate/renamed"} <= names


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_mock_updates_golden(case: Path, tmp_path: Path, update_golden: bool) -> None:
    project = tmp_path / "project"
    shutil.copytree(case / "input", project, ignore=shutil.ignore_patterns(*SKIP))
    result = fix(project, case.parent.name)
    actual = read_tree(project)
    for name, text in actual.items():
        if name.endswith(".py"):
            compile(text, name, "exec", dont_inherit=True)
    actual[NOTES] = "".join(line + "\n" for line in result.notes)
    if update_golden:
        shutil.rmtree(case / "expected", ignore_errors=True)
        write_tree(case / "expected", actual)
    hint = f"golden case mocks/{case.parent.name}/{case.name} differs; if intended, run: {REGENERATE}"
    assert actual == read_tree(case / "expected"), hint

    again = fix(project, case.parent.name)
    assert not again.files, "a second run is not a no-op"
    assert read_tree(project) == {k: v for k, v in actual.items() if k != NOTES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_project_tests_pass_after_update(case: Path, tmp_path: Path) -> None:
    original, fixed = tmp_path / "original", tmp_path / "fixed"
    shutil.copytree(case / "input", original, ignore=shutil.ignore_patterns(*SKIP))
    shutil.copytree(case / "expected", fixed, ignore=shutil.ignore_patterns(*SKIP, NOTES))
    assert failing_tests(original)[0] == set(), "the input's own tests must pass"
    notes = (case / "expected" / NOTES).read_text(encoding="utf-8").splitlines()
    left_alone = {line.split(" patches ", 1)[0] for line in notes if ": left alone, " in line}
    failed, output = failing_tests(fixed)
    assert failed <= left_alone, output


def test_seed_case_fails_without_update_mocks(tmp_path: Path) -> None:
    """The bug the option exists for: the class mock's stub cannot be awaited."""
    project = tmp_path / "project"
    shutil.copytree(GOLDEN / "twin" / "seed" / "input", project, ignore=shutil.ignore_patterns(*SKIP))
    result = fix(project, "twin", update_mocks=False)
    assert "tests/test_service.py" not in {f.display for f in result.files}
    failed, output = failing_tests(project)
    assert failed == {"tests/test_service.py::test_slice_scripts"}
    assert re.search(r"MagicMock.*(can't be awaited|can't be used in 'await' expression)", output), output
    assert result.notes == [
        "tests/test_service.py::test_slice_scripts patches app.service.EvalSetLoader; "
        "the code now awaits EvalSetLoader.get_slice_scripts_async"
    ]
