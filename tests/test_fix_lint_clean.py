"""Fixed golden projects pass the project's linters where their input did.

Every golden case's output (``golden/fix/*/*/expected.py``, ``golden/strategies/*/*/
expected/``, ``golden/mocks/*/*/expected/``) is checked with ruff's import sorting (``I``) and line length (``E501``, at
the 88 columns asyncify assumes when a project sets none), and compared file by file with
its input: a fix may not add an ``I001``, and every line ruff finds too long in the
output must be a line the input already had (a twin repeats its original's docstring) or
a line whose grown call sits in an f-string, which cannot be split before Python 3.12.
``examples/audit_project`` is fixed in a copy and checked the same way, with its own
configuration.

The same pairs are run through ``ruff format`` (at the line length the fix used): a fixed
file is formatted where its input was, and never has more lines ruff would change than
its input had (the fix's own lines are laid out as black and ruff lay them out).
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from asyncify.config import Config
from asyncify.fixer import run_fix
from asyncify.project_style import ProjectStyle

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, "-m", "ruff"]
CODES = ("I001", "E501")
FIX_CASES = sorted(p.parent for p in (ROOT / "golden" / "fix").glob("*/*/expected.py"))
STRATEGY_CASES = sorted(
    p.parent for folder in ("strategies", "mocks") for p in (ROOT / "golden" / folder).glob("*/*/expected")
)


def findings(cwd: Path, files: list[str], *, isolated: bool = True) -> Counter[tuple[str, str]]:
    """``(file, code)`` counts of ruff's ``I001`` findings and ``(file, "E501")`` per
    distinct over-long line text (``E501 <line>``) under ``cwd``."""
    command = [*RUFF, "check", "--no-cache", "--exit-zero", "--output-format", "json", "--select", "I,E501"]
    if isolated:
        command += ["--isolated", "--line-length", "88"]
    done = subprocess.run([*command, *files], cwd=cwd, capture_output=True, text=True, check=True)
    found: Counter[tuple[str, str]] = Counter()
    for item in json.loads(done.stdout):
        path = Path(item["filename"])
        name = path.relative_to(cwd).as_posix()
        if item["code"] == "E501":
            line = path.read_text(encoding="utf-8").splitlines()[item["location"]["row"] - 1].strip()
            found[(name, f"E501 {line}")] = 1
        else:
            found[(name, item["code"])] += 1
    return found


def added(before: Counter[tuple[str, str]], after: Counter[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Findings the fix added, per file and code (a new over-long line counts once)."""
    return {
        key: n - before[key]
        for key, n in after.items()
        if n > before[key] and key[1].split()[0] in CODES and not _in_fstring(key[1])
    }


def _in_fstring(code: str) -> bool:
    return code.startswith("E501 ") and any(quote in code for quote in ('f"', "f'"))


def test_ruff_sees_findings_at_all(tmp_path: Path) -> None:
    """The check itself can fail: an unsorted block and a long line are reported."""
    (tmp_path / "bad.py").write_text("import os\nimport asyncio\n\nX = '" + "x" * 100 + "'\n")
    assert set(findings(tmp_path, ["bad.py"])) == {("bad.py", "I001"), ("bad.py", "E501 X = '" + "x" * 100 + "'")}


@pytest.mark.parametrize("case", FIX_CASES, ids=[f"{c.parent.name}/{c.name}" for c in FIX_CASES])
def test_codemod_golden_adds_no_lint(case: Path) -> None:
    before = Counter({("", code): n for (_, code), n in findings(case, ["input.py"]).items()})
    after = Counter({("", code): n for (_, code), n in findings(case, ["expected.py"]).items()})
    assert added(before, after) == {}


@pytest.mark.parametrize("case", STRATEGY_CASES, ids=[f"{c.parent.name}/{c.name}" for c in STRATEGY_CASES])
def test_strategy_golden_adds_no_lint(case: Path) -> None:
    assert added(findings(case / "input", ["."]), findings(case / "expected", ["."])) == {}


def test_fixed_example_project_adds_no_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "audit_project"
    shutil.copytree(ROOT / "examples" / "audit_project", project, ignore=shutil.ignore_patterns(".*cache*"))
    before = findings(project, ["."], isolated=False)
    monkeypatch.chdir(project)
    result = run_fix([Path(".")], Config(cache=False), jobs=1)
    assert result.files
    for file_fix in result.files:
        file_fix.source.path.write_bytes(file_fix.source.encode(file_fix.text))
    assert added(before, findings(project, ["."], isolated=False)) == {}


def unformatted(paths: list[Path], line_length: int) -> dict[Path, int]:
    """How many lines of each file ``ruff format`` would change or remove (one ruff run)."""
    command = [*RUFF, "format", "--isolated", "--no-cache", "--line-length", str(line_length), "--diff"]
    command += map(str, paths)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    counts = dict.fromkeys(paths, 0)
    by_name = {p.resolve(): p for p in paths}  # ruff names them relative to the directory it runs in
    current: Path | None = None
    for line in done.stdout.splitlines():
        if line.startswith("--- "):
            current = by_name[Path(line[4:].split("\t")[0]).resolve()]
        elif line.startswith("-") and not line.startswith("---") and current is not None:
            counts[current] += 1
    return counts


def pairs() -> list[tuple[str, Path, Path, int]]:
    """``(id, input, expected, line length)`` for every file a golden case changes."""
    found = []
    for case in FIX_CASES:
        options = case / "options.toml"
        data = tomllib.loads(options.read_text()) if options.exists() else {}
        length = int(data.get("line-length", 88))
        found.append((f"{case.parent.name}/{case.name}", case / "input.py", case / "expected.py", length))
    for case in STRATEGY_CASES:
        length = ProjectStyle.read(case / "input").line_length
        for output in sorted((case / "expected").rglob("*.py")):
            relative = output.relative_to(case / "expected")
            source = case / "input" / relative
            if source.exists() and source.read_bytes() != output.read_bytes():
                found.append((f"{case.parent.name}/{case.name}/{relative.as_posix()}", source, output, length))
    return found


PAIRS = pairs()


@functools.cache
def unformatted_lines() -> dict[Path, int]:
    """``unformatted`` for every file of ``PAIRS``: one ruff run per line length."""
    counts: dict[Path, int] = {}
    for length in sorted({p[3] for p in PAIRS}):
        counts.update(unformatted([f for p in PAIRS if p[3] == length for f in p[1:3]], length))
    return counts


def test_ruff_format_sees_unformatted_code_at_all(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("x = ( 1 )\n")
    (tmp_path / "good.py").write_text("x = 1\n")
    assert unformatted([tmp_path / "bad.py", tmp_path / "good.py"], 88) == {
        tmp_path / "bad.py": 1,
        tmp_path / "good.py": 0,
    }


@pytest.mark.parametrize(("source", "output"), [p[1:3] for p in PAIRS], ids=[p[0] for p in PAIRS])
def test_fixed_code_is_formatted_where_its_input_was(source: Path, output: Path) -> None:
    before, after = unformatted_lines()[source], unformatted_lines()[output]
    assert after <= before, f"ruff format would change {after} lines of the output, {before} of the input"
