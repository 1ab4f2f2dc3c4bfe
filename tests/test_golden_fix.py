"""Golden tests for the codemods: ``golden/fix/<codemod>/<case>/``.

Each case holds ``input.py``, ``edits.txt`` (the targets: ``LINE:COL-END_LINE:END_COL
strategy`` per line, so the case does not depend on detection), an optional
``options.toml`` (``backend``, ``target-version = "3.8"``), and the generated
``expected.py`` and ``refusals.txt`` (``LINE:COL reason`` per refused edit; absent when
nothing is refused). Files are compared byte for byte (CRLF included). Regenerate with
``pytest tests/test_golden_fix.py --update-golden`` and review the diff; never edit
``expected.py`` by hand.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from asyncify.rewrite import Edit, RewriteOptions, RewriteOutcome, rewrite_module
from asyncify.scan.summary import Span

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "fix"
REGENERATE = "pytest tests/test_golden_fix.py --update-golden"
CASES = sorted(p.parent for p in GOLDEN.glob("*/*/input.py"))


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def load_edits(case: Path) -> list[Edit]:
    edits = []
    for key, line in enumerate(read(case / "edits.txt").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        where, strategy = line.split()
        start, end = where.split("-")
        (l1, c1), (l2, c2) = (map(int, start.split(":")), map(int, end.split(":")))
        edits.append(Edit(Span(l1, c1, l2, c2), strategy, key))
    return edits


def load_options(case: Path) -> RewriteOptions:
    path = case / "options.toml"
    if not path.exists():
        return RewriteOptions()
    data = tomllib.loads(read(path))
    major, minor = (int(part) for part in str(data.get("target-version", "3.11")).split("."))
    return RewriteOptions(backend=str(data.get("backend", "asyncio")), target_version=(major, minor))


def refusal_lines(edits: list[Edit], outcome: RewriteOutcome) -> str:
    lines = [f"{e.span.line}:{e.span.column} {outcome.refused[e.key]}" for e in edits if e.key in outcome.refused]
    return "".join(line + "\n" for line in lines)


def run_case(case: Path) -> tuple[list[Edit], RewriteOutcome]:
    edits = load_edits(case)
    source = read(case / "input.py")
    return edits, rewrite_module(source, edits, load_options(case), filename=str(case / "input.py"))


def test_cases_exist() -> None:
    assert {case.parent.name for case in CASES} >= {"wrap", "sleep", "aiofiles"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_golden_fix(case: Path, update_golden: bool) -> None:
    edits, outcome = run_case(case)
    refusals = refusal_lines(edits, outcome)
    compile(outcome.source, str(case / "expected.py"), "exec", dont_inherit=True)
    assert set(outcome.applied) | set(outcome.refused) == {e.key for e in edits}
    assert not set(outcome.applied) & set(outcome.refused)
    if update_golden:
        write(case / "expected.py", outcome.source)
        if refusals:
            write(case / "refusals.txt", refusals)
        else:
            (case / "refusals.txt").unlink(missing_ok=True)
        return
    hint = f"golden case {case.relative_to(GOLDEN)} differs; if the change is intended, run: {REGENERATE}"
    assert (case / "expected.py").exists(), hint
    assert outcome.source == read(case / "expected.py"), hint
    expected_refusals = read(case / "refusals.txt") if (case / "refusals.txt").exists() else ""
    assert refusals == expected_refusals, hint
