"""One bad file never stops the run: its rewrite fails alone, or it is over the budget.

Probes (issue 11, "One bad file stops the run"):
- a 600-branch ``elif`` chain: ``internal error: RecursionError``, exit 2, nothing fixed;
- a 20,000-term expression: ``fix`` hung (libcst's parser is quadratic, and an ``and``
  chain that long overflows its native stack: a crash);
- a 20 MB file: more than 900 s and 12.5 GB in ``fix``.
Plus: "a run that cannot fix its remaining findings says 'did not converge … run again'".
"""

from __future__ import annotations

import time
from pathlib import Path

import libcst as cst
import pytest
from safety_support import SLEEPY, SLEEPY_FIXED, run_cli, snapshot, write

from asyncify import fix_files, fixer
from asyncify.api import config_for
from asyncify.codemods import registry as codemod_registry
from asyncify.codemods import sleep as sleep_codemod
from asyncify.codemods.base import Codemod, Plan, Refusal, RewriteContext, Site
from asyncify.fixer import run_fix
from asyncify.vocabulary import Strategy


def elif_chain(branches: int) -> str:
    arms = "".join(f"    elif x == {i}:\n        time.sleep({i})\n" for i in range(1, branches))
    return f"import time\n\n\nasync def f(x):\n    if x == 0:\n        time.sleep(0)\n{arms}"


def test_deep_elif_chain_is_fixed_and_the_run_goes_on(project: Path) -> None:
    write(project / "deep.py", elif_chain(600))
    write(project / "good.py", SLEEPY)
    result = run_cli(project, "fix", ".")
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert (project / "deep.py").read_text(encoding="utf-8").count("await asyncio.sleep(") == 600
    assert SLEEPY_FIXED in (project / "good.py").read_text(encoding="utf-8")


def test_a_20000_operand_chain_is_skipped_not_crashed_on(project: Path) -> None:
    chain = " and ".join(["x"] * 20_000)
    write(project / "huge_expr.py", SLEEPY + f"    return {chain}\n")
    write(project / "good.py", SLEEPY)
    before = (project / "huge_expr.py").read_bytes()
    started = time.monotonic()
    result = run_cli(project, "fix", ".", timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr  # huge_expr.py's finding is left, with the reason
    assert "left alone: huge_expr.py: more than fix-max-depth (3,000) levels of nesting; skipped" in result.stderr
    assert (project / "huge_expr.py").read_bytes() == before
    assert SLEEPY_FIXED in (project / "good.py").read_text(encoding="utf-8")


def test_a_file_over_the_default_size_budget_is_skipped_quickly(project: Path) -> None:
    """The 20 MB probe, scaled down to just over the 1 MB default: skipped before libcst."""
    filler = "".join(f"def g{i}(a, b):\n    return [a + b * {i} for _ in range(3)]\n\n\n" for i in range(16_000))
    big = write(project / "big.py", SLEEPY + "\n\n" + filler)
    assert big.stat().st_size > 1_000_000
    write(project / "good.py", SLEEPY)
    started = time.monotonic()
    result = run_cli(project, "fix", ".", timeout=300)
    assert time.monotonic() - started < 120
    assert "left alone: big.py:" in result.stderr and "more than fix-max-bytes (1,000,000); skipped" in result.stderr
    assert "time.sleep(1)" in big.read_text(encoding="utf-8")
    assert SLEEPY_FIXED in (project / "good.py").read_text(encoding="utf-8")


def test_the_budget_is_configurable(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.asyncify]\nfix-max-bytes = 20\n")
    write(project / "m.py", SLEEPY)
    assert "more than fix-max-bytes (20)" in run_cli(project, "fix", ".").stderr
    write(project / "pyproject.toml", "[tool.asyncify]\nfix-max-bytes = 5000\nfix-max-depth = 40\n")
    assert run_cli(project, "fix", ".").returncode == 0
    assert SLEEPY_FIXED in (project / "m.py").read_text(encoding="utf-8")


def test_an_internal_error_in_one_file_becomes_its_refusal(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A codemod bug on one file: that file's findings are left with the reason, the
    others are fixed, nothing raises."""
    write(project / "a_bad.py", SLEEPY.replace("time.sleep(1)", "time.sleep(13)"))
    write(project / "b_good.py", SLEEPY)

    def buggy(site: Site, ctx: RewriteContext) -> Plan | Refusal:
        argument = site.call.args[0].value
        if isinstance(argument, cst.Integer) and argument.value == "13":
            raise KeyError("codemod bug")
        return sleep_codemod.plan_sleep(site, ctx)

    registry = {**codemod_registry(), Strategy.SLEEP: Codemod(Strategy.SLEEP, buggy)}
    monkeypatch.setattr("asyncify.rewrite.registry", lambda: registry)
    monkeypatch.delenv("ASYNCIFY_STRICT")  # what users get: the bug becomes a refusal
    monkeypatch.chdir(project)
    result = run_fix([Path(".")], config_for([Path(".")]).with_overrides(cache=False))
    assert [f.display for f in result.files] == ["b_good.py"]
    reasons = {finding.path: reason for finding, reason in result.left}
    assert reasons == {"a_bad.py": "internal error: KeyError: 'codemod bug'"}


def test_a_failure_after_the_rewrite_leaves_that_file_alone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "a.py", SLEEPY)
    write(project / "b.py", SLEEPY)
    real = fix_files.rescan

    def failing(text, old, config):  # type: ignore[no-untyped-def]
        if old.path == "a.py":
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, old, config)

    monkeypatch.setattr(fix_files, "rescan", failing)
    monkeypatch.chdir(project)
    result = run_fix([Path(".")], config_for([Path(".")]).with_overrides(cache=False))
    assert [f.display for f in result.files] == ["b.py"]
    assert result.skipped == {"a.py": "too deeply nested to analyse after the rewrite"}


def test_no_convergence_message_when_nothing_more_can_be_fixed(project: Path) -> None:
    write(project / "m.py", "import time\n\n\nasync def f(args):\n    time.sleep(*args)\n")
    before = snapshot(project)
    result = run_cli(project, "fix", ".")
    assert result.returncode == 1
    assert "did not converge" not in result.stderr, result.stderr
    assert snapshot(project) == before


def test_convergence_message_when_another_pass_would_fix_more(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "m.py", SLEEPY)
    monkeypatch.setattr(fixer, "MAX_PASSES", 0)
    monkeypatch.chdir(project)
    result = run_fix([Path(".")], config_for([Path(".")]).with_overrides(cache=False))
    assert not result.converged and not result.files
    monkeypatch.setattr(fixer, "MAX_PASSES", 4)
    assert run_fix([Path(".")], config_for([Path(".")]).with_overrides(cache=False)).converged
