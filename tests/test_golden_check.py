"""Golden detection files: expected findings written beside the code that causes them.

Each ``golden/check/*.py`` is a small module. A line that must be reported ends with a
marker comment, the way flake8-async writes its eval files::

    time.sleep(1)  # error: AFY110
    json.load(open(path))  # error: AFY107, AFY101
    template.read_text()  # error: AFY102 likely

``likely`` means the finding's confidence is ``likely`` (a guessed receiver, or an API
that blocks only for some arguments); without it the confidence is ``certain``. A line
without a marker must produce no finding. ``near_miss_*.py`` files must produce nothing
at all and carry no markers.

Each file is scanned on its own with ``findings_for_source``; the full sorted list of
``(line, code, confidence)`` is compared. Projects under ``golden/check_projects/`` are
checked whole with ``run_check`` and their own ``pyproject.toml``.

The markers are the specification and are written by hand: when the scanner disagrees,
fix the scanner, not the marker. A case the scanner cannot handle yet is listed in
``KNOWN_GAPS`` (file, line) -> reason: the file test then ignores that line, and a
separate strict-xfail test checks it, so the entry must be deleted once the scanner is
fixed (the xfail then passes and fails the run).
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from collections import Counter
from pathlib import Path

import pytest

from asyncify.api import findings_for_source, run_check
from asyncify.config import load_config
from asyncify.findings import Finding
from asyncify.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
CHECK_DIR = ROOT / "golden" / "check"
PROJECTS_DIR = ROOT / "golden" / "check_projects"
GOLDEN_FILES = sorted(CHECK_DIR.glob("*.py"))
PROJECTS = sorted(p for p in PROJECTS_DIR.iterdir() if p.is_dir()) if PROJECTS_DIR.is_dir() else []

NOT_IN_SINGLE_FILES = frozenset({"AFY190", "AFY200", "AFY300"})
"""Codes that need configuration, several modules or a run-time report (AFY300's golden
project is ``golden/runtime/outside_library``); the coverage test skips them."""

KNOWN_GAPS: dict[tuple[str, int], str] = {
    # (file name relative to golden/check, or "<project>/<path>" for golden/check_projects,
    # line): why the scanner disagrees with the marker. Delete an entry once fixed.
}

Expectation = tuple[int, str, str]
"""(line, rule code, confidence value)."""

_MARKER = re.compile(r"#\s*error:\s*(?P<body>[^#]*)")
_ITEM = re.compile(r"^(?P<code>[A-Z]+\d+)(?:\s+(?P<confidence>likely|certain))?$")


def parse_markers(text: str, where: str) -> list[Expectation]:
    """Every ``# error: CODE [likely], ...`` marker of ``text``, one entry per code."""
    expected: list[Expectation] = []
    lines = text.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = _MARKER.search(token.string)
        if match is None:
            continue
        number, line = token.start[0], lines[token.start[0] - 1]
        for item in match.group("body").split(","):
            parsed = _ITEM.match(item.strip())
            if parsed is None:
                raise ValueError(f"{where}:{number}: malformed marker item {item.strip()!r} in {line.strip()!r}")
            expected.append((number, parsed.group("code"), parsed.group("confidence") or "certain"))
    return sorted(expected)


def as_expectations(findings: list[Finding]) -> list[Expectation]:
    return sorted((f.span.line, f.code, f.confidence.value) for f in findings)


def render(items: list[Expectation], source_lines: list[str]) -> list[str]:
    out = []
    for line, code, confidence in items:
        text = source_lines[line - 1].split("# error:")[0].strip() if line <= len(source_lines) else ""
        suffix = "" if confidence == "certain" else f" {confidence}"
        out.append(f"  line {line:>4}: {code}{suffix:<7}  | {text}")
    return out


def difference(name: str, expected: list[Expectation], actual: list[Expectation], source: str) -> str:
    """A readable report of what is missing and what is unexpected."""
    source_lines = source.splitlines()
    missing = list((Counter(expected) - Counter(actual)).elements())
    unexpected = list((Counter(actual) - Counter(expected)).elements())
    parts = [f"golden/{name}: findings differ from the markers"]
    if missing:
        parts += ["expected but not reported:", *render(sorted(missing), source_lines)]
    if unexpected:
        parts += ["reported but not expected:", *render(sorted(unexpected), source_lines)]
    parts.append(
        "The markers are the specification: fix the scanner, or, if the case is a known "
        "gap, add it to KNOWN_GAPS in tests/test_golden_check.py with the reason."
    )
    return "\n".join(parts)


def without_gaps(items: list[Expectation], name: str) -> list[Expectation]:
    return [item for item in items if (name, item[0]) not in KNOWN_GAPS]


def only_line(items: list[Expectation], line: int) -> list[Expectation]:
    return [item for item in items if item[0] == line]


# ----- single-module golden files ---------------------------------------------------------


def check_file(path: Path) -> tuple[str, list[Expectation], list[Expectation]]:
    source = path.read_text(encoding="utf-8")
    expected = parse_markers(source, path.name)
    findings = findings_for_source(source, str(path.relative_to(ROOT)))
    return source, expected, as_expectations(findings)


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[p.name for p in GOLDEN_FILES])
def test_golden_check(path: Path) -> None:
    source, expected, actual = check_file(path)
    expected, actual = without_gaps(expected, path.name), without_gaps(actual, path.name)
    if actual != expected:
        pytest.fail(difference(f"check/{path.name}", expected, actual, source), pytrace=False)


# ----- whole projects (run_check, their own pyproject.toml) -------------------------------


def check_project(project: Path) -> dict[str, tuple[str, list[Expectation], list[Expectation]]]:
    """Per file (relative to the project): source, expected and actual findings."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config = load_config(Path(".")).with_overrides(cache=False)
        result = run_check([Path(".")], config, jobs=1)
    finally:
        os.chdir(cwd)
    assert not result.errors, result.errors
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        relative = Path(finding.path)
        if relative.is_absolute():
            relative = relative.relative_to(project)
        by_file.setdefault(relative.as_posix(), []).append(finding)
    files = {}
    for path in sorted(project.rglob("*.py")):
        name = path.relative_to(project).as_posix()
        source = path.read_text(encoding="utf-8")
        files[name] = (source, parse_markers(source, name), as_expectations(by_file.pop(name, [])))
    for name, findings in by_file.items():
        files[name] = ("", [], as_expectations(findings))
    return files


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_golden_check_project(project: Path) -> None:
    problems = []
    for name, (source, expected, actual) in check_project(project).items():
        key = f"{project.name}/{name}"
        expected, actual = without_gaps(expected, key), without_gaps(actual, key)
        if actual != expected:
            problems.append(difference(f"check_projects/{key}", expected, actual, source))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


# ----- known gaps: one strict xfail per entry -----------------------------------------------


GAP_CASES = [
    pytest.param(name, line, id=f"{name}:{line}", marks=pytest.mark.xfail(strict=True, reason=reason))
    for (name, line), reason in sorted(KNOWN_GAPS.items())
]


@pytest.mark.parametrize(("name", "line"), GAP_CASES)
def test_known_gap(name: str, line: int) -> None:
    """Fails while the gap exists; passes (and so fails the strict xfail) once fixed."""
    project, _, rest = name.partition("/")
    if rest and (PROJECTS_DIR / project).is_dir():
        source, expected, actual = check_project(PROJECTS_DIR / project)[rest]
        label = f"check_projects/{name}:{line}"
    else:
        source, expected, actual = check_file(CHECK_DIR / name)
        label = f"check/{name}:{line}"
    expected, actual = only_line(expected, line), only_line(actual, line)
    if actual != expected:
        pytest.fail(difference(label, expected, actual, source), pytrace=False)


def test_known_gaps_point_at_golden_lines() -> None:
    """Every entry names an existing golden file and a line inside it."""
    for name, line in KNOWN_GAPS:
        project, _, rest = name.partition("/")
        path = PROJECTS_DIR / project / rest if rest else CHECK_DIR / name
        assert path.is_file(), f"KNOWN_GAPS names {name}, which does not exist"
        assert 1 <= line <= len(path.read_text(encoding="utf-8").splitlines()), f"{name}:{line} is past the end"


# ----- the golden set itself ----------------------------------------------------------------


def all_markers() -> dict[str, list[Expectation]]:
    found = {p.name: parse_markers(p.read_text(encoding="utf-8"), p.name) for p in GOLDEN_FILES}
    for project in PROJECTS:
        for path in sorted(project.rglob("*.py")):
            name = f"{project.name}/{path.relative_to(project).as_posix()}"
            found[name] = parse_markers(path.read_text(encoding="utf-8"), name)
    return found


def test_every_rule_has_golden_cases() -> None:
    """Each rule code (but the config- and project-level ones) is expected somewhere."""
    used = {code for items in all_markers().values() for _, code, _ in items}
    missing = sorted(set(all_rules()) - NOT_IN_SINGLE_FILES - used)
    assert not missing, f"rule codes with no golden detection case in golden/check: {missing}"


def test_markers_name_known_rules() -> None:
    known = set(all_rules())
    for name, items in all_markers().items():
        unknown = sorted({code for _, code, _ in items} - known)
        assert not unknown, f"{name} expects unknown rule codes {unknown}"


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[p.name for p in GOLDEN_FILES])
def test_markers_only_outside_near_misses(path: Path) -> None:
    """A near-miss file expects nothing; every other golden file expects something."""
    markers = parse_markers(path.read_text(encoding="utf-8"), path.name)
    if path.name.startswith("near_miss_"):
        assert not markers, f"{path.name} is a near-miss file and must not carry `# error:` markers"
    else:
        assert markers, f"{path.name} has no `# error:` markers; name it near_miss_*.py if it expects nothing"
