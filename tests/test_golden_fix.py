"""Golden tests for the codemods: ``golden/fix/<codemod>/<case>/``.

Each case holds ``input.py``, an optional ``options.toml`` (``backend``,
``target-version = "3.8"``, ``undeclared = ["aiofiles"]``: third-party modules the
project does not depend on; ``line-length``, ``known-first-party`` as the project's
ruff/black/isort settings would say; ``fallbacks = true``: refused edits are retried along their
codemod's fallbacks, as ``fix`` does), and the generated ``expected.py`` and ``refusals.txt``
(``LINE:COL reason`` per refused edit, ``LINE:COL note: ...`` per edit that fell back;
absent when there is neither). The targets are
every finding detection reports in ``input.py``, each with the case's strategy (the
folder's name) where it applies, else the finding's default; a case that must target
calls detection does not report (a call in sync code, a span that matches no call)
lists them in ``edits.txt`` instead: ``LINE:COL-END_LINE:END_COL strategy`` per line.
So a new case is an input and, once generated and reviewed, an expected file. Files are
compared byte for byte (CRLF included). Regenerate with
``pytest tests/test_golden_fix.py --update-golden`` and review the diff; never edit
``expected.py`` by hand.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from asyncify.api import findings_for_source
from asyncify.codemods import registry
from asyncify.project_style import DEFAULT_LINE_LENGTH, ProjectStyle
from asyncify.rewrite import Edit, RewriteOptions, RewriteOutcome, rewrite_module, rewrite_with_fallbacks
from asyncify.scan.summary import Span
from asyncify.vocabulary import Strategy

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
    if not (case / "edits.txt").exists():
        return detected_edits(case)
    edits = []
    for key, line in enumerate(read(case / "edits.txt").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        where, strategy = line.split()
        start, end = where.split("-")
        (l1, c1), (l2, c2) = (map(int, start.split(":")), map(int, end.split(":")))
        edits.append(Edit(Span(l1, c1, l2, c2), strategy, key))
    return edits


def detected_edits(case: Path) -> list[Edit]:
    """An edit per finding of ``input.py``: the case's strategy where it applies (for a
    fallback strategy such as ``extract``: where the strategy it backs up applies), else
    the finding's own default; findings without an automatic fix get none."""
    strategy = Strategy(case.parent.name)
    backed_up = {s for s, codemod in registry().items() if codemod.fallbacks[:1] == (strategy,)}
    edits = []
    for finding in findings_for_source(read(case / "input.py"), str(case / "input.py")):
        if not finding.strategies:
            continue
        applies = strategy in finding.strategies or backed_up & set(finding.strategies)
        edits.append(Edit(finding.span, strategy if applies else finding.strategies[0], len(edits)))
    return edits


def load_options(case: Path) -> RewriteOptions:
    path = case / "options.toml"
    if not path.exists():
        return RewriteOptions()
    data = tomllib.loads(read(path))
    major, minor = (int(part) for part in str(data.get("target-version", "3.11")).split("."))
    undeclared = frozenset(data.get("undeclared", ()))
    style = ProjectStyle(
        line_length=int(data.get("line-length", DEFAULT_LINE_LENGTH)),
        first_party=frozenset(data.get("known-first-party", ())),
    )
    return RewriteOptions(
        backend=str(data.get("backend", "asyncio")), target_version=(major, minor), undeclared=undeclared, style=style
    )


def refusal_lines(edits: list[Edit], outcome: RewriteOutcome) -> str:
    lines = [f"{e.span.line}:{e.span.column} {outcome.refused[e.key]}" for e in edits if e.key in outcome.refused]
    lines += [f"{e.span.line}:{e.span.column} note: {outcome.notes[e.key]}" for e in edits if e.key in outcome.notes]
    return "".join(line + "\n" for line in lines)


def run_case(case: Path) -> tuple[list[Edit], RewriteOutcome]:
    """The case's edits through the engine (with the codemods' fallbacks, as ``fix``
    runs it, when ``options.toml`` says ``fallbacks = true``)."""
    edits = load_edits(case)
    source = read(case / "input.py")
    options_file = case / "options.toml"
    fallbacks = options_file.exists() and tomllib.loads(read(options_file)).get("fallbacks") is True
    rewrite = rewrite_with_fallbacks if fallbacks else rewrite_module
    return edits, rewrite(source, edits, load_options(case), filename=str(case / "input.py"))


def test_cases_exist() -> None:
    assert {case.parent.name for case in CASES} >= {"wrap", "sleep", "aiofiles"}


def test_detected_edits_match_what_a_hand_written_list_would_say(tmp_path: Path) -> None:
    """The derivation on a small case: the ``open`` gets aiofiles, ``json.load`` wrap
    (absorbed by the aiofiles block), the ``time.sleep`` its default, sleep."""
    case = tmp_path / "aiofiles" / "example"
    case.mkdir(parents=True)
    source = (
        "import json\nimport time\n\nasync def f(p):\n"
        "    with open(p) as fh:\n        data = json.load(fh)\n    time.sleep(1)\n"
    )
    write(case / "input.py", source)
    edits = [(e.span.line, e.span.column, e.span.end_line, e.span.end_column, e.strategy) for e in load_edits(case)]
    assert edits == [(5, 10, 5, 17, "aiofiles"), (6, 16, 6, 29, "wrap"), (7, 5, 7, 18, "sleep")]


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
