#!/usr/bin/env python3
"""Benchmark ``asyncify check`` against ruff, flake8-async and the ``ast.parse`` floor.

Speed claims are only meaningful side by side: the same files, the same
machine, the same run.  So every tool here scans the same corpus tree in a
fresh subprocess, and each row reports wall time, throughput and peak memory
(see ``measure.py`` for how memory is taken without psutil).

Rows:

* ``ast.parse floor`` -- read + parse every file, single process: the least
  any Python-based linter can do;
* ``asyncify cold`` / ``asyncify warm`` -- ``python -m asyncify check CORPUS
  --format json`` with the cache deleted, then again with it in place;
* ``ruff ASYNC`` -- ``ruff check --select ASYNC --no-cache``;
* ``flake8-async`` -- ``flake8 --select ASYNC -j N``.

A tool that is missing, crashes or times out is reported as such and the
run continues.  Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ast_floor import count_lines, iter_python_files
from fix_check import FixReport, run_fix_check
from measure import Measurement, run_measured

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = Path(os.environ.get("ASYNCIFY_CORPUS", "/work/corpus"))
CACHE_DIRNAME = ".asyncify_cache"
SKIP_CHOICES = ("ast", "asyncify", "asyncify-cold", "asyncify-warm", "ruff", "flake8")

Counter = Callable[[bytes], "int | None"]


@dataclass(frozen=True)
class Tool:
    """One benchmark row to run: a command plus how to judge and count its output."""

    name: str
    key: str
    argv: tuple[str, ...]
    ok_codes: frozenset[int]
    count: Counter
    json_output: bool = False
    env: Mapping[str, str] | None = None
    prepare: Callable[[], None] | None = None


@dataclass
class Row:
    """A measured (or skipped/failed) row, as printed and as written to ``--json``."""

    name: str
    status: str
    command: str
    wall_s: float | None = None
    files_per_s: float | None = None
    lines_per_s: float | None = None
    max_proc_mb: float | None = None
    tree_mb: float | None = None
    rss_source: str | None = None
    findings: int | None = None
    returncode: int | None = None
    timings: dict[str, Any] | None = None
    runs_wall_s: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Corpus:
    """The tree every tool scans, with its size for the per-second columns."""

    root: Path
    files: int
    lines: int


# --------------------------------------------------------------------------- corpus


def resolve_corpus(directory: Path) -> Path:
    """Accept either fetch_corpus's ``DIR`` or the source tree inside it."""
    nested = directory / "homeassistant-src"
    return (nested if nested.is_dir() else directory).resolve()


def measure_corpus(root: Path) -> Corpus:
    """Count files and lines once, with the same file walk as the floor uses."""
    files = lines = 0
    for path in iter_python_files(root):
        files += 1
        lines += count_lines(path.read_bytes())
    return Corpus(root=root, files=files, lines=lines)


# --------------------------------------------------------------------------- output parsing


def load_json(stdout: bytes) -> Any:
    """Decode a tool's JSON stdout, or None if it is not JSON (e.g. a crash)."""
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def count_asyncify(stdout: bytes) -> int | None:
    """``len(findings)`` from asyncify's JSON, whether it is an object or a bare list."""
    data = load_json(stdout)
    if isinstance(data, dict):
        data = data.get("findings")
    return len(data) if isinstance(data, list) else None


def asyncify_timings(stdout: bytes) -> dict[str, Any] | None:
    """The optional per-stage ``"timings"`` object of asyncify's JSON report."""
    data = load_json(stdout)
    timings = data.get("timings") if isinstance(data, dict) else None
    return timings if isinstance(timings, dict) else None


def count_json_list(stdout: bytes) -> int | None:
    """ruff's ``--output-format json`` is one list with an entry per diagnostic."""
    data = load_json(stdout)
    return len(data) if isinstance(data, list) else None


def count_lines_of_output(stdout: bytes) -> int | None:
    """flake8 prints one diagnostic per line."""
    return sum(1 for line in stdout.splitlines() if line.strip())


def count_floor(stdout: bytes) -> int | None:
    """The floor has no findings; report syntax errors so they are not hidden."""
    data = load_json(stdout)
    return int(data["syntax_errors"]) if isinstance(data, dict) and "syntax_errors" in data else None


# --------------------------------------------------------------------------- tool set


def find_executable(name: str, python: str) -> str | None:
    """Prefer the tool installed beside the chosen interpreter (the venv), then PATH."""
    beside = Path(python).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def asyncify_env(python: str) -> tuple[dict[str, str], str]:
    """Environment for ``python -m asyncify``.

    If asyncify is not installed into ``python`` the repo's ``src/`` is put on
    ``PYTHONPATH`` so the working tree is benchmarked without installing it.
    """
    env = dict(os.environ)
    probe = subprocess.run([python, "-c", "import asyncify"], capture_output=True, env=env, check=False)
    if probe.returncode == 0:
        return env, "installed package"
    src = str(REPO / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env, f"PYTHONPATH={src}"


def remove_cache(root: Path) -> Callable[[], None]:
    """A ``prepare`` hook that makes the next asyncify run a cold one."""
    def prepare() -> None:
        shutil.rmtree(root / CACHE_DIRNAME, ignore_errors=True)
    return prepare


def build_tools(corpus: Path, python: str, jobs: int, env: Mapping[str, str]) -> list[Tool]:
    """All rows, in run order: floor first, so every tool sees a warm page cache."""
    check = (python, "-m", "asyncify", "check", str(corpus), "--format", "json", "--jobs", str(jobs), "-v")
    ruff = find_executable("ruff", python) or "ruff"
    flake8 = find_executable("flake8", python) or "flake8"
    return [
        Tool("ast.parse floor", "ast", (python, str(HERE / "ast_floor.py"), str(corpus)),
             frozenset({0}), count_floor, json_output=True),
        Tool("asyncify cold", "asyncify-cold", check, frozenset({0, 1}), count_asyncify,
             json_output=True, env=env, prepare=remove_cache(corpus)),
        Tool("asyncify warm", "asyncify-warm", check, frozenset({0, 1}), count_asyncify,
             json_output=True, env=env),
        Tool("ruff ASYNC", "ruff",
             (ruff, "check", "--isolated", "--select", "ASYNC", "--no-cache",
              "--output-format", "json", str(corpus)),
             frozenset({0, 1}), count_json_list, json_output=True),
        Tool("flake8-async", "flake8",
             (flake8, "--isolated", "--select", "ASYNC", "-j", str(jobs), str(corpus)),
             frozenset({0, 1}), count_lines_of_output),
    ]


def is_skipped(tool: Tool, skip: Sequence[str]) -> bool:
    """``--skip asyncify`` covers both asyncify rows."""
    return tool.key in skip or tool.key.split("-")[0] in skip


# --------------------------------------------------------------------------- running


def status_of(tool: Tool, run: Measurement) -> str:
    """``ok``, ``timeout`` or ``failed (rc=N): <first stderr line>``.

    Exit code 1 means "findings" for every linter here but is also what
    ``python -m`` returns for a missing module, so a JSON-emitting tool only
    counts as ``ok`` if its stdout really is JSON.
    """
    if run.timed_out:
        return "timeout"
    if run.returncode in tool.ok_codes and (not tool.json_output or load_json(run.stdout) is not None):
        return "ok"
    reason = run.first_stderr_line() or "no JSON on stdout"
    return f"failed (rc={run.returncode}): {reason}"


def run_tool(tool: Tool, corpus: Corpus, repeat: int, timeout_s: float | None) -> Row:
    """Run ``tool`` ``repeat`` times and keep the fastest successful run.

    The fastest run is the least disturbed by the rest of the machine; all
    wall times are kept in ``runs_wall_s`` for anyone who wants the spread.
    """
    best: Measurement | None = None
    walls: list[float] = []
    for _ in range(repeat):
        if tool.prepare is not None:
            tool.prepare()
        run = run_measured(tool.argv, env=tool.env, timeout_s=timeout_s)
        walls.append(run.wall_s)
        if status_of(tool, run) != "ok":
            return row_from(tool, run, corpus, walls)
        if best is None or run.wall_s < best.wall_s:
            best = run
    assert best is not None
    return row_from(tool, best, corpus, walls)


def row_from(tool: Tool, run: Measurement, corpus: Corpus, walls: list[float]) -> Row:
    """Turn a measurement into a row; throughput only for successful runs."""
    status = status_of(tool, run)
    row = Row(name=tool.name, status=status, command=" ".join(tool.argv),
              wall_s=run.wall_s, max_proc_mb=run.max_proc_mb, tree_mb=run.tree_mb,
              rss_source=run.rss_source, returncode=run.returncode, runs_wall_s=walls)
    if status == "ok":
        row.files_per_s = corpus.files / run.wall_s
        row.lines_per_s = corpus.lines / run.wall_s
        row.findings = tool.count(run.stdout)
        if tool.key.startswith("asyncify"):
            row.timings = asyncify_timings(run.stdout)
    return row


def run_all(tools: Sequence[Tool], skip: Sequence[str], corpus: Corpus,
            repeat: int, timeout_s: float | None) -> list[Row]:
    """Run every row in order, printing progress to stderr as we go."""
    rows: list[Row] = []
    for tool in tools:
        if is_skipped(tool, skip):
            rows.append(Row(name=tool.name, status="skipped", command=" ".join(tool.argv)))
            continue
        print(f"running {tool.name}: {' '.join(tool.argv)}", file=sys.stderr, flush=True)
        rows.append(run_tool(tool, corpus, repeat, timeout_s))
    return rows


# --------------------------------------------------------------------------- reporting


def fmt(value: float | None, spec: str) -> str:
    """Format a number, or a dash for a missing one."""
    return "-" if value is None else format(value, spec)


def render_table(rows: Sequence[Row]) -> str:
    """The main result table, plain text so it pastes into the README as-is."""
    header = f"{'tool':<16} {'wall s':>8} {'files/s':>9} {'lines/s':>10} {'peak MB':>8} {'tree MB':>8} {'findings':>9}  status"
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.name:<16} {fmt(r.wall_s, '.2f'):>8} {fmt(r.files_per_s, ',.0f'):>9} "
            f"{fmt(r.lines_per_s, ',.0f'):>10} {fmt(r.max_proc_mb, '.0f'):>8} "
            f"{fmt(r.tree_mb, '.0f'):>8} {fmt(r.findings, 'd'):>9}  {r.status}"
        )
    return "\n".join(lines)


def compute_ratios(rows: Sequence[Row]) -> dict[str, float | None]:
    """Ratios of successful wall times; None where either side is missing."""
    wall = {r.name: r.wall_s for r in rows if r.status == "ok"}

    def ratio(a: str, b: str) -> float | None:
        top, bottom = wall.get(a), wall.get(b)
        return top / bottom if top is not None and bottom else None

    return {
        "asyncify cold / ast.parse floor": ratio("asyncify cold", "ast.parse floor"),
        "asyncify cold / flake8-async": ratio("asyncify cold", "flake8-async"),
        "asyncify cold / ruff ASYNC": ratio("asyncify cold", "ruff ASYNC"),
        "asyncify warm / asyncify cold": ratio("asyncify warm", "asyncify cold"),
        "flake8-async / ast.parse floor": ratio("flake8-async", "ast.parse floor"),
        "asyncify warm wall s": wall.get("asyncify warm"),
    }


def render_ratios(ratios: Mapping[str, float | None]) -> str:
    """Ratios block; 'n/a' marks a row that was skipped or failed."""
    width = max(len(k) for k in ratios)
    return "\n".join(f"{name:<{width}}  {fmt(value, '.2f') if value is not None else 'n/a'}"
                     for name, value in ratios.items())


def render_timings(rows: Sequence[Row]) -> str:
    """asyncify's own per-stage timings, when its JSON report includes them."""
    return "\n".join(f"{r.name} timings: {json.dumps(r.timings, sort_keys=True)}"
                     for r in rows if r.timings is not None)


def render_fix(report: FixReport) -> str:
    """The ``--fix-check`` summary."""
    lines = [
        f"fix first run:        {report.first_run}"
        + (f" in {report.first_wall_s:.2f}s" if report.first_wall_s is not None else ""),
        f"fix second run:       {report.second_run}",
        f"files:                {report.files} ({report.parsed_before} parsed before)",
        f"files changed:        {report.files_changed} (+{report.files_added} added, -{report.files_removed} removed)",
        f"files still parsing:  {report.still_parsing} of {report.parsed_before}",
        f"second-run changes:   {report.second_run_changes}",
        f"verdict:              {report.verdict}",
    ]
    lines += [f"  broken: {name}" for name in report.broken[:20]]
    if report.copy_dir:
        lines.append(f"copy kept at:         {report.copy_dir}")
    return "\n".join(lines)


def warn_if_busy() -> None:
    """Numbers taken on a loaded machine are not comparable; say so up front."""
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    if load > cpus / 2:
        print(f"warning: 1-minute load average is {load:.1f} on {cpus} CPUs; timings will be inflated",
              file=sys.stderr)


def tool_version(argv: Sequence[str]) -> str:
    """First line of ``--version`` output, for the JSON record."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable: {exc}"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def environment(python: str, asyncify_source: str) -> dict[str, Any]:
    """Machine and tool versions, so a stored result says where it came from."""
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": tool_version([python, "--version"]),
        "ruff": tool_version([find_executable("ruff", python) or "ruff", "--version"]),
        "flake8": tool_version([find_executable("flake8", python) or "flake8", "--version"]),
        "asyncify": asyncify_source,
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; the defaults are the numbers published in the README."""
    parser = argparse.ArgumentParser(description="Benchmark asyncify check beside ruff and flake8-async.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help=f"fetch_corpus.py's DIR or any tree of .py files (default: {DEFAULT_CORPUS})")
    parser.add_argument("--jobs", type=int, default=2,
                        help="worker processes for asyncify and flake8 (default: 2)")
    parser.add_argument("--skip", action="append", default=[], choices=SKIP_CHOICES,
                        help="skip a row; repeatable ('asyncify' skips cold and warm)")
    parser.add_argument("--json", type=Path, dest="json_out", help="also write all results to this file")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds per command (default: 3600; flake8-async needs ~20 min here)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row, fastest kept (default: 1)")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter for asyncify and the floor (default: this one)")
    parser.add_argument("--fix-check", action="store_true",
                        help="also run `asyncify fix` twice on a copy and check it is safe and idempotent")
    parser.add_argument("--keep-copy", action="store_true", help="keep the --fix-check copy for inspection")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.jobs < 1:
        parser.error("--repeat and --jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 0 unless ``--fix-check`` found broken or unstable output."""
    args = parse_args(argv)
    root = resolve_corpus(Path(args.corpus))
    if not root.is_dir():
        print(f"corpus not found: {root} (run benchmarks/fetch_corpus.py first)", file=sys.stderr)
        return 2
    corpus = measure_corpus(root)
    env, asyncify_source = asyncify_env(args.python)
    machine = environment(args.python, asyncify_source)
    print(f"corpus: {corpus.root}  files: {corpus.files}  lines: {corpus.lines}  cpus: {os.cpu_count()}")
    warn_if_busy()

    tools = build_tools(corpus.root, args.python, args.jobs, env)
    rows = run_all(tools, args.skip, corpus, args.repeat, args.timeout)
    ratios = compute_ratios(rows)
    print()
    print(render_table(rows))
    print()
    print(render_ratios(ratios))
    timings = render_timings(rows)
    if timings:
        print()
        print(timings)

    fix: FixReport | None = None
    if args.fix_check:
        print("\nrunning fix check on a copy of the corpus...", file=sys.stderr, flush=True)
        fix = run_fix_check(corpus.root, [args.python, "-m", "asyncify", "fix"], env=env,
                            timeout_s=args.timeout, keep_copy=args.keep_copy)
        print()
        print(render_fix(fix))

    if args.json_out is not None:
        record = {
            "environment": {**machine, "loadavg_at_end": list(os.getloadavg())},
            "corpus": {"root": str(corpus.root), "files": corpus.files, "lines": corpus.lines},
            "jobs": args.jobs,
            "repeat": args.repeat,
            "rows": [asdict(r) for r in rows],
            "ratios": ratios,
            "fix_check": None if fix is None else {**asdict(fix), "ok": fix.ok, "verdict": fix.verdict},
        }
        Path(args.json_out).write_text(json.dumps(record, indent=2) + "\n")
    return 1 if fix is not None and not fix.ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
