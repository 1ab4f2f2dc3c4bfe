"""A project written in Python 3.12-3.14 syntax, checked and fixed on whatever Python runs
the suite (CI runs it on 3.11 and 3.13), with the same findings at the same positions.

``golden/modern/project`` has a blocking call on the same line as each new construct:
PEP 695 generics and ``type`` aliases, PEP 696 defaults, PEP 701 nested f-strings (with a
comment and line breaks inside a field, non-ASCII text before a call), PEP 750 t-strings,
PEP 758 ``except A, B:`` and ``except*``. ``expected.txt`` lists every finding with its
whole span; ``fixed/`` is the project after ``asyncify fix``. Regenerate both with
``pytest tests/test_modern_syntax.py --update-golden`` and review the diff.
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

from asyncify.parsing import compile_module

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden" / "modern"
PROJECT = GOLDEN / "project"
OTHER_PYTHON = "ASYNCIFY_OTHER_PYTHON"
"""An interpreter of another minor version with asyncify's dependencies (set by .ci/run)."""


def _asyncify(*args: str, cwd: Path, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [python, "-m", "asyncify", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _check_json(python: str = sys.executable) -> dict[str, object]:
    run = _asyncify("check", "--no-cache", "--format", "json", ".", cwd=PROJECT, python=python)
    assert run.returncode == 1, run.stderr
    result: dict[str, object] = json.loads(run.stdout)
    return result


def _render(result: dict[str, object]) -> str:
    lines = []
    for f in result["findings"]:  # type: ignore[attr-defined]
        chain = " -> ".join(link["function"] for link in f["chain"]) or "-"
        lines.append(
            f"{f['path']}:{f['line']}:{f['column']}-{f['end_line']}:{f['end_column']} {f['code']} {f['call']} | {chain}"
        )
    return "\n".join(lines) + "\n"


def test_check_finds_every_call_at_its_exact_span(update_golden: bool) -> None:
    result = _check_json()
    assert result["errors"] == []
    actual = _render(result)
    expected_file = GOLDEN / "expected.txt"
    if update_golden:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8"), (
        "findings of golden/modern changed; if intended, run "
        "`pytest tests/test_modern_syntax.py --update-golden` and review the diff"
    )


def test_spans_cover_the_call_text() -> None:
    """An oracle independent of any parser: each span, cut out of the file's characters,
    is the call the finding names (``time.sleep(...)``, ``root.read_text()``...)."""
    result = _check_json()
    findings = result["findings"]
    assert len(findings) >= 12  # type: ignore[arg-type]
    for f in findings:  # type: ignore[attr-defined]
        lines = (PROJECT / f["path"]).read_text(encoding="utf-8").split("\n")
        if f["line"] == f["end_line"]:
            text = lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1]
        else:
            text = "\n".join(
                [
                    lines[f["line"] - 1][f["column"] - 1 :],
                    *lines[f["line"] : f["end_line"] - 1],
                    lines[f["end_line"] - 1][: f["end_column"] - 1],
                ]
            )
        method = f["call"].rsplit(".", 1)[-1]
        assert re.fullmatch(rf"[\w.()/ \"]*\b{method}\((.|\n)*\)", text), (f["path"], f["line"], f["call"], text)


def test_same_findings_on_another_python() -> None:
    """The same project checked by another interpreter gives byte-identical JSON."""
    other = os.environ.get(OTHER_PYTHON)
    if not other:
        if os.environ.get("CI"):
            pytest.fail(f"{OTHER_PYTHON} is not set: CI must compare two Python versions")
        pytest.skip(f"set {OTHER_PYTHON} to an interpreter of another version with asyncify's dependencies")
    version = subprocess.run([other, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
    assert version.stdout.strip() != str(sys.version_info[:2]), "the other interpreter has this one's version"
    assert _check_json(other) == _check_json()


def test_fix_rewrites_calls_and_leaves_new_syntax(tmp_path: Path, update_golden: bool) -> None:
    work = tmp_path / "project"
    shutil.copytree(PROJECT, work)
    run = _asyncify("fix", "--no-cache", ".", cwd=work)
    assert run.returncode == 0, run.stdout + run.stderr
    fixed = GOLDEN / "fixed"
    sources = sorted(p.relative_to(work) for p in work.rglob("*.py"))
    if update_golden:
        shutil.rmtree(fixed, ignore_errors=True)
        for relative in sources:
            (fixed / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / relative, fixed / relative)
    assert sources == sorted(p.relative_to(fixed) for p in fixed.rglob("*.py"))
    for relative in sources:
        text = (work / relative).read_text(encoding="utf-8")
        assert text == (fixed / relative).read_text(encoding="utf-8"), f"{relative} differs from golden/modern/fixed"
        compile_module(text, str(relative))
    again = _asyncify("fix", "--no-cache", ".", cwd=work)
    assert again.returncode == 0, again.stderr
    assert all((work / r).read_text(encoding="utf-8") == (fixed / r).read_text(encoding="utf-8") for r in sources)
    # Every construct is still there, as written.
    generics = (work / "modern" / "generics.py").read_text(encoding="utf-8")
    assert "class Store[T: (str, bytes) = str]:" in generics and "type Pair[K, V = int] = tuple[K, V]" in generics
    handlers = (work / "modern" / "handlers.py").read_text(encoding="utf-8")
    assert "except FileNotFoundError, PermissionError: await asyncio.to_thread(shutil.rmtree, path)" in handlers
    assert "except* ValueError, TypeError: await asyncio.sleep(1)" in handlers
