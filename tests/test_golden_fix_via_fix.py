"""The codemod golden cases again, through the whole ``fix`` pipeline (detection, default
policy, planner, engine) instead of the hand-written ``edits.txt`` targets.

Cases whose edits target calls that detection does not report, or force a strategy the
default policy would not choose, carry an ``engine-only.txt`` with the reason; every other
case must come out of ``fix`` byte for byte as ``expected.py``, compile, and be left
unchanged by a second ``fix``.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from asyncify.config import Config, parse_target_version
from asyncify.fixer import run_fix

ROOT = Path(__file__).resolve().parent.parent / "golden" / "fix"
CASES = sorted(p for p in ROOT.glob("*/*") if (p / "expected.py").exists())
VIA_FIX = [c for c in CASES if not (c / "engine-only.txt").exists()]


def config_for_case(case: Path) -> Config:
    options = tomllib.loads((case / "options.toml").read_text()) if (case / "options.toml").exists() else {}
    target = parse_target_version(options["target-version"]) if "target-version" in options else (3, 11)
    return Config(cache=False, backend=options.get("backend", "auto"), target_version=target)


def write_pyproject(case: Path, project: Path) -> None:
    """The project declares every third-party module its codemod writes, except those the
    case's ``options.toml`` lists as ``undeclared``, and carries the case's ruff settings
    (``line-length``, ``known-first-party``)."""
    options = tomllib.loads((case / "options.toml").read_text()) if (case / "options.toml").exists() else {}
    declared = sorted({"aiofiles", "anyio", "trio"} - set(options.get("undeclared", ())))
    text = f'[project]\nname = "case"\nversion = "0"\ndependencies = {json.dumps(declared)}\n'
    if "line-length" in options:
        text += f"[tool.ruff]\nline-length = {options['line-length']}\n"
    if "known-first-party" in options:
        text += f"[tool.ruff.lint.isort]\nknown-first-party = {json.dumps(options['known-first-party'])}\n"
    (project / "pyproject.toml").write_text(text)


def fixed_bytes(path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.chdir(path.parent)
    result = run_fix([Path(path.name)], config, jobs=1)
    assert not result.errors, result.errors
    if not result.files:
        return path.read_bytes()
    (file_fix,) = result.files
    return file_fix.source.encode(file_fix.text)


@pytest.mark.parametrize("case", VIA_FIX, ids=[f"{c.parent.name}/{c.name}" for c in VIA_FIX])
def test_case_through_fix(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "input.py"
    shutil.copyfile(case / "input.py", work)
    write_pyproject(case, tmp_path)
    config = config_for_case(case)
    output = fixed_bytes(work, config, monkeypatch)
    expected = f"golden/fix/{case.parent.name}/{case.name}/expected.py"
    assert output == (case / "expected.py").read_bytes(), f"fix output differs from {expected}"
    compile(output, str(work), "exec")
    work.write_bytes(output)
    assert fixed_bytes(work, config, monkeypatch) == output, "a second fix changed the file"


def test_engine_only_cases_say_why() -> None:
    engine_only = [c for c in CASES if (c / "engine-only.txt").exists()]
    assert len(VIA_FIX) > len(engine_only)
    for case in engine_only:
        assert (case / "engine-only.txt").read_text().strip(), case
