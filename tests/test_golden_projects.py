"""Golden multi-module projects: whole-project detection with call chains.

Each folder in ``golden/projects/`` is a small project; ``expected.txt`` beside its
sources lists every finding as ``path:line:col CODE call | chain``, marked ``(likely)``
when the receiver's type was only guessed. Regenerate with
``pytest tests/test_golden_projects.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asyncify.api import config_for, run_check
from asyncify.findings import Confidence

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "audit_project"
PROJECTS = [*sorted(p for p in (ROOT / "golden" / "projects").iterdir() if p.is_dir()), SEED]


def expected_path(project: Path) -> Path:
    """The seed example ships in ``examples/``; its expectation lives with the goldens."""
    if project == SEED:
        return ROOT / "golden" / "seed_audit_expected.txt"
    return project / "expected.txt"


def render(project: Path) -> str:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config = config_for([Path(".")]).with_overrides(cache=False)
        result = run_check([Path(".")], config, jobs=1)
    finally:
        os.chdir(cwd)
    assert not result.errors, result.errors
    lines = []
    for finding in result.findings:
        chain = finding.chain_text() if finding.chain else "-"
        likely = " (likely)" if finding.confidence is not Confidence.CERTAIN else ""
        lines.append(
            f"{finding.path}:{finding.span.line}:{finding.span.column} {finding.code} {finding.call} | {chain}{likely}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project_findings(project: Path, update_golden: bool) -> None:
    expected_file = expected_path(project)
    actual = render(project)
    if update_golden:
        expected_file.write_text(actual, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else ""
    assert actual == expected, (
        f"findings of golden/projects/{project.name} changed; if intended, run "
        f"`pytest tests/test_golden_projects.py --update-golden` and review the diff"
    )
