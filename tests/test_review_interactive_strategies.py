"""``fix -i`` for every strategy: ``y`` to everything writes what plain ``fix`` writes,
no question comes twice, and a twin/propagate component answered ``n`` is left out whole.

Runs the real command (in process, ``typer``'s runner feeding the answers as lines) on
a fresh copy of every golden strategy project (``golden/strategies/*/*/input``) and of
``examples/audit_project``, with each ``--strategy`` and with none (the default policy). ``extract``
is not a strategy one chooses: it is what ``aiofiles`` falls back to where the
project does not declare aiofiles (inside the twins of the doctor case, say).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from asyncify.cli import app
from asyncify.config import Config
from asyncify.fixer import run_fix
from asyncify.vocabulary import Strategy

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden" / "strategies"
PROJECTS = {
    **{p.parent.relative_to(GOLDEN).as_posix(): p for p in sorted(GOLDEN.glob("*/*/input"))},
    "audit_project": ROOT / "examples" / "audit_project",
}
STRATEGIES = ("default", "wrap", "collect", "sleep", "aiofiles", "twin", "propagate")
HELPER_STRATEGIES = ("twin", "propagate")
MOCKS = {
    p.parent.relative_to(ROOT / "golden" / "mocks").as_posix(): p
    for p in sorted((ROOT / "golden" / "mocks").glob("*/*/input"))
}
QUESTION = re.compile(r"^\((component |mocks )?\d+/\d+\) ")
LABEL = re.compile(r"^  ▸ ")
ENOUGH = 400
"""More answers than any case asks questions (end of input would mean ``q``)."""

runner = CliRunner()


def copy(project: str, base: Path, name: str) -> Path:
    target = base / name
    shutil.copytree(
        {**PROJECTS, **MOCKS}[project], target, ignore=shutil.ignore_patterns("__pycache__", ".asyncify_cache")
    )
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fix(root: Path, strategy: str, *args: str, answers: str = "") -> Result:
    """``asyncify fix ARGS .`` run in ``root``; ``answers`` is what stdin holds."""
    chosen = [] if strategy == "default" else ["--strategy", strategy]
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return runner.invoke(app, ["fix", "--no-cache", *chosen, *args, "."], input=answers)
    finally:
        os.chdir(cwd)


def questions(output: str) -> list[str]:
    """Each question as its header's file and its finding labels: what identifies the code."""
    found: list[str] = []
    for line in output.splitlines():
        if QUESTION.match(line):
            found.append(QUESTION.sub("", line))
        elif LABEL.match(line) and found:
            found[-1] += " | " + line.strip()
    return found


def compiles(root: Path) -> list[str]:
    """The ``.py`` files under ``root`` that do not compile."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError:
            bad.append(path.relative_to(root).as_posix())
    return bad


def component_count(root: Path, strategy: str) -> int:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = Config(cache=False).with_overrides(strategy=Strategy(strategy))
        return len(run_fix([Path(".")], config, jobs=1).components)
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("project", sorted(PROJECTS))
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_all_yes_equals_plain_fix(strategy: str, project: str, tmp_path: Path) -> None:
    plain = copy(project, tmp_path, "plain")
    before = snapshot(plain)
    fix(plain, strategy)
    expected = snapshot(plain)
    reviewed = copy(project, tmp_path, "reviewed")
    result = fix(reviewed, strategy, "-i", answers="y\n" * ENOUGH)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert snapshot(reviewed) == expected, result.output
    asked = questions(result.output)
    assert len(asked) == result.output.count("]? y"), result.output  # every question got its y
    assert len(asked) == len(set(asked)), result.output
    assert bool(asked) == (expected != before), result.output
    if strategy in HELPER_STRATEGIES:
        assert ("(component 1/" in result.output) == (component_count(copy(project, tmp_path, "count"), strategy) > 0)


@pytest.mark.parametrize("project", sorted(MOCKS))
def test_all_yes_with_update_mocks_equals_plain_fix(project: str, tmp_path: Path) -> None:
    """``golden/mocks``: the test files ``--update-mocks`` rewrites are asked about (one
    question each, after the components) and ``y`` to everything writes what plain
    ``fix --update-mocks`` writes, over the whole project (its tests scanned too)."""
    strategy = project.partition("/")[0]
    plain = copy(project, tmp_path, "plain")
    before = snapshot(plain)
    fix(plain, strategy, "--update-mocks")
    expected = snapshot(plain)
    reviewed = copy(project, tmp_path, "reviewed")
    result = fix(reviewed, strategy, "--update-mocks", "-i", answers="y\n" * ENOUGH)
    assert snapshot(reviewed) == expected, result.output
    asked = questions(result.output)
    assert len(asked) == len(set(asked)) == result.output.count("]? y"), result.output
    changed_tests = [p for p in expected if p.startswith("tests/") and expected[p] != before[p]]
    assert changed_tests and result.output.count("Update these mocks") == len(changed_tests), result.output


def test_extract_is_among_the_cases(tmp_path: Path) -> None:
    """The rows above exercise ``extract``: the doctor case declares no aiofiles, so the
    ``with open`` block inside its twin becomes a helper run in a worker thread."""
    root = copy("twin/doctor", tmp_path, "doctor")
    fix(root, "twin")
    text = (root / "pipeline_core" / "doctor.py").read_text(encoding="utf-8")
    assert re.search(r"await asyncio\.to_thread\(_read_\w+\)", text), text


@pytest.mark.parametrize("project", sorted(PROJECTS))
@pytest.mark.parametrize("strategy", HELPER_STRATEGIES)
def test_rejecting_every_component_is_fix_without_helper_findings(strategy: str, project: str, tmp_path: Path) -> None:
    """``n`` to each component, ``y`` to each change: what plain ``fix`` writes when the
    helper findings (the components' seeds) are not selected at all; where there is no
    component, no component question and what plain ``fix`` writes."""
    count = component_count(copy(project, tmp_path, "count"), strategy)
    expected_root = copy(project, tmp_path, "expected")
    if count:
        fix(expected_root, strategy, "--ignore", "AFY200")
    else:  # phase 1 changes nothing here (refused, or stopped with a wrap): as plain fix
        fix(expected_root, strategy)
    reviewed = copy(project, tmp_path, "reviewed")
    result = fix(reviewed, strategy, "-i", answers="n\n" * count + "y\n" * ENOUGH)
    assert result.output.count("Apply this component") == count, result.output
    assert snapshot(reviewed) == snapshot(expected_root), result.output
    assert compiles(reviewed) == []
    assert ("rejected in review (-i)" in result.output) == (count > 0)


@pytest.mark.parametrize("strategy", HELPER_STRATEGIES)
def test_rejected_component_leaves_its_files_alone(strategy: str, tmp_path: Path) -> None:
    """The example project has four components; the second is the only one that changes
    ``agents.py``. Rejecting it leaves ``agents.py`` as it was and ``main.py`` awaits none
    of its functions; the others are written as plain ``fix`` writes them."""
    original = copy("audit_project", tmp_path, "original")
    plain = copy("audit_project", tmp_path, "plain")
    fix(plain, strategy)
    reviewed = copy("audit_project", tmp_path, "reviewed")
    result = fix(reviewed, strategy, "-i", answers="y\nn\n" + "y\n" * ENOUGH)
    headers = [line for line in result.output.splitlines() if line.startswith("(component ")]
    assert len(headers) == 4, result.output
    assert "agents.py" in headers[1] and not any("agents.py" in h for h in headers[:1] + headers[2:])
    agents = "packages/core/src/pipeline_core/agents.py"
    doctor = "packages/core/src/pipeline_core/doctor.py"
    main = "services/cli/src/pipeline_cli/main.py"
    assert snapshot(plain)[agents] != snapshot(original)[agents]
    assert snapshot(reviewed)[agents] == snapshot(original)[agents]
    assert snapshot(reviewed)[doctor] == snapshot(plain)[doctor] != snapshot(original)[doctor]
    defined = re.findall(r"^\s*def (\w+)", (original / agents).read_text(encoding="utf-8"), re.MULTILINE)
    awaits = re.compile(r"await [\w.]*\b(?:" + "|".join(defined) + r")\w*\(")
    assert awaits.search((plain / main).read_text(encoding="utf-8"))
    assert not awaits.search((reviewed / main).read_text(encoding="utf-8"))
    first = "packages/core/src/pipeline_core/eval_sets.py"  # the first component's, accepted
    assert snapshot(reviewed)[first] == snapshot(plain)[first] != snapshot(original)[first]
    assert compiles(reviewed) == []


def test_component_question_shows_every_file_and_changes_after_it_show_only_their_call(tmp_path: Path) -> None:
    """The chain case: one twin component over four files, then two wraps inside the
    new twins, each diffed against the text with the component (the twin is not shown
    again)."""
    root = copy("twin/chain", tmp_path, "chain")
    result = fix(root, "twin", "-i", answers="y\n" * ENOUGH)
    out = result.output
    component, _, changes = out.partition("Apply this component")
    for name in ("app/__init__.py", "app/report.py", "app/service.py", "app/storage.py"):
        assert name in component
    assert "+async def read_record_async" in component
    assert out.count("Apply this change") == 2
    assert "async def read_record_async" in changes  # context of the wrap inside the twin
    assert "+async def read_record_async" not in changes


def test_accept_all_at_a_component_accepts_every_change_too(tmp_path: Path) -> None:
    plain = copy("audit_project", tmp_path, "plain")
    fix(plain, "twin")
    reviewed = copy("audit_project", tmp_path, "reviewed")
    result = fix(reviewed, "twin", "-i", answers="A\n")
    assert result.output.count("Apply this") == 1, result.output
    assert snapshot(reviewed) == snapshot(plain)


def test_quit_at_a_component_writes_the_accepted_ones_and_asks_no_change(tmp_path: Path) -> None:
    original = copy("audit_project", tmp_path, "original")
    reviewed = copy("audit_project", tmp_path, "reviewed")
    result = fix(reviewed, "twin", "-i", answers="y\nq\n")
    assert result.output.count("Apply this component") == 2 and "Apply this change" not in result.output
    assert "not reviewed (quit before reaching it)" in result.output
    before, after = snapshot(original), snapshot(reviewed)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {  # the first component's three files, without the changes inside its twins
        "packages/core/src/pipeline_core/eval_sets.py",
        "packages/core/src/pipeline_core/parser.py",
        "services/cli/src/pipeline_cli/main.py",
    }
    assert compiles(reviewed) == []
