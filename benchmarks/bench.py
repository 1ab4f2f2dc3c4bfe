#!/usr/bin/env python3
"""Benchmark ``asyncify check`` against the ``ast.parse`` floor, ruff and flake8-async.

One run measures, on the same corpus and machine, each row in a fresh subprocess with
its wall time, CPU time (user + system, workers included), peak memory and the 1-minute
load average just before it:

* ``ast.parse floor`` on the default interpreter and on a newer one (``--python313``,
  which parses every file of the corpus: 3.11 cannot read 3.12+ syntax);
* ``cold check`` (cache deleted), ``warm check`` (nothing changed) and ``one file,
  warm`` (``check homeassistant/core.py`` in the warm tree) on both interpreters;
* ``ruff check --select ASYNC`` and, with ``--flake8``, flake8-async (20+ minutes here);
* start-up: ``python -c pass``, ``asyncify --version``, ``asyncify rules``.

The machine is shared: compare CPU-time ratios of rows run back to back (printed after
the table), not wall times from different days. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

from ast_floor import count_lines, iter_python_files
from fix_check import FixReport, run_fix_check
from rows import (
    HERE,
    ONE_FILE,
    Row,
    Tool,
    asyncify_env,
    asyncify_rows,
    count_floor,
    count_json_list,
    count_lines_of_output,
    find_executable,
    run_all,
    startup_rows,
    venv_with_asyncify,
)

DEFAULT_CORPUS = Path(os.environ.get("ASYNCIFY_CORPUS", "/work/corpus"))
DEFAULT_PYTHON313 = Path.home() / ".pyenv" / "versions" / "3.13.0" / "bin" / "python"
DEFAULT_VENV313 = Path.home() / ".cache" / "asyncify-bench" / "venv-3.13"


def resolve_corpus(directory: Path) -> Path:
    """Accept either fetch_corpus's ``DIR`` or the source tree inside it."""
    nested = directory / "homeassistant-src"
    return (nested if nested.is_dir() else directory).resolve()


def python_label(python: str) -> str:
    done = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def build_tools(args: argparse.Namespace, corpus: Path) -> list[Tool]:
    """All rows in run order: each interpreter's floor right before its checks (pairs)."""
    tools: list[Tool] = []
    interpreters = [(python_label(args.python), args.python, args.python)]
    if args.python313 and Path(args.python313).exists() and "3.13" not in args.skip:
        venv = venv_with_asyncify(str(args.python313), Path(args.venv313))
        interpreters.append((python_label(venv), str(args.python313), venv))
    for label, bare, with_asyncify in interpreters:
        tools.append(
            Tool(
                f"ast.parse floor {label}",
                f"floor-{label}",
                (bare, str(HERE / "ast_floor.py"), str(corpus)),
                frozenset({0}),
                count_floor,
                json_output=True,
            )
        )
        tools += asyncify_rows(label, with_asyncify, corpus, args.jobs)
    ruff = find_executable("ruff", args.python) or "ruff"
    tools.append(
        Tool(
            "ruff --select ASYNC",
            "ruff",
            (ruff, "check", "--isolated", "--select", "ASYNC", "--no-cache", "--output-format", "json", "."),
            frozenset({0, 1}),
            count_json_list,
            json_output=True,
            cwd=corpus,
        )
    )
    if args.flake8:
        flake8 = find_executable("flake8", args.python) or "flake8"
        tools.append(
            Tool(
                "flake8-async",
                "flake8",
                (flake8, "--isolated", "--select", "ASYNC", "-j", str(args.jobs), "."),
                frozenset({0, 1}),
                count_lines_of_output,
                cwd=corpus,
            )
        )
    tools += startup_rows(args.python)
    return tools


def fmt(value: float | int | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def render_table(rows: Sequence[Row]) -> str:
    """Markdown, so the README quotes it as printed."""
    lines = [
        "| row | wall s | CPU s | peak MB | findings | errors | load | status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {fmt(r.wall_s, '.2f')} | {fmt(r.cpu_s, '.2f')} | {fmt(r.max_proc_mb, '.0f')} "
            f"| {fmt(r.findings, 'd')} | {fmt(r.errors, 'd')} | {fmt(r.load, '.1f')} | {r.status} |"
        )
    return "\n".join(lines)


def compute_ratios(rows: Sequence[Row]) -> dict[str, float | None]:
    """The issue's targets, from rows run back to back; None where a side is missing."""
    ok = {r.name: r for r in rows if r.status == "ok"}

    def value(name: str, attribute: str) -> float | None:
        row = ok.get(name)
        return None if row is None else getattr(row, attribute)

    def ratio(a: str, b: str, attribute: str) -> float | None:
        top, bottom = value(a, attribute), value(b, attribute)
        return top / bottom if top is not None and bottom else None

    out: dict[str, float | None] = {}
    for label in sorted({r.name.rsplit(" ", 1)[1] for r in rows if r.name.startswith("cold check ")}):
        out[f"cold CPU / floor CPU ({label})"] = ratio(f"cold check {label}", f"ast.parse floor {label}", "cpu_s")
        out[f"cold wall / 1-process floor wall ({label})"] = ratio(
            f"cold check {label}", f"ast.parse floor {label}", "wall_s"
        )
        out[f"warm wall / ruff wall ({label})"] = ratio(f"warm check {label}", "ruff --select ASYNC", "wall_s")
        out[f"one file in the warm tree, wall s ({label})"] = value(f"one file, warm {label}", "wall_s")
    bare = value("python -c pass", "wall_s")
    for name in ("asyncify --version", "asyncify rules"):
        start = value(name, "wall_s")
        out[f"{name} minus python -c pass, s"] = start - bare if start is not None and bare is not None else None
    return out


def render_ratios(ratios: Mapping[str, float | None]) -> str:
    width = max(len(k) for k in ratios)
    return "\n".join(f"{name:<{width}}  {fmt(value, '.2f')}" for name, value in ratios.items())


def render_timings(rows: Sequence[Row]) -> str:
    return "\n".join(f"{r.name} timings: {json.dumps(r.timings, sort_keys=True)}" for r in rows if r.timings)


def environment(python: str) -> dict[str, object]:
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": sys.version.split()[0] if python == sys.executable else python,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark asyncify check beside the parse floor, ruff and flake8-async."
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"fetch_corpus.py's DIR or a writable tree of .py files (default: {DEFAULT_CORPUS})",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for asyncify and flake8 (default: 2)")
    parser.add_argument("--python", default=sys.executable, help="the default interpreter (default: this one)")
    parser.add_argument(
        "--python313",
        type=Path,
        default=DEFAULT_PYTHON313,
        help=f"a newer interpreter that parses every file (default: {DEFAULT_PYTHON313})",
    )
    parser.add_argument(
        "--venv313",
        type=Path,
        default=DEFAULT_VENV313,
        help=f"where to install asyncify for it, once (default: {DEFAULT_VENV313})",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help="skip rows by key: floor, cold, warm, one, ruff, start, or an interpreter (3.13)",
    )
    parser.add_argument("--flake8", action="store_true", help="also run flake8-async (about 20 minutes on 2 cores)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row, fastest kept (default: 1)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per command (default: 3600)")
    parser.add_argument("--json", type=Path, dest="json_out", help="also write every figure to this file")
    parser.add_argument("--markdown", type=Path, help="also write the table and ratios to this file")
    parser.add_argument("--fix-check", action="store_true", help="also run `asyncify fix` twice on a copy")
    parser.add_argument("--keep-copy", action="store_true", help="keep the --fix-check copy for inspection")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.jobs < 1:
        parser.error("--repeat and --jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 0 unless ``--fix-check`` found broken or unstable output."""
    args = parse_args(argv)
    root = resolve_corpus(Path(args.corpus))
    if not (root / ONE_FILE).is_file():
        print(f"corpus not found: {root} (run benchmarks/fetch_corpus.py first)", file=sys.stderr)
        return 2
    files = list(iter_python_files(root))
    lines = sum(count_lines(p.read_bytes()) for p in files)
    started = environment(args.python)
    print(
        f"corpus: {root}  files: {len(files)}  lines: {lines}  cpus: {os.cpu_count()}  load: {os.getloadavg()[0]:.1f}"
    )
    rows = run_all(build_tools(args, root), args.skip, args.repeat, args.timeout)
    ratios = compute_ratios(rows)
    report = f"{render_table(rows)}\n\n```text\n{render_ratios(ratios)}\n```"
    print()
    print(report)
    timings = render_timings(rows)
    if timings:
        print()
        print(timings)
    fix: FixReport | None = None
    if args.fix_check:
        print("\nrunning fix check on a copy of the corpus...", file=sys.stderr, flush=True)
        fix = run_fix_check(
            root,
            [args.python, "-m", "asyncify", "fix"],
            env=asyncify_env(args.python),
            timeout_s=args.timeout,
            keep_copy=args.keep_copy,
        )
        print(f"\nfix check: {fix.verdict}")
    if args.markdown is not None:
        header = f"Corpus {root.name}: {len(files):,} files, {lines:,} lines; {os.cpu_count()} CPUs; {started['date']}."
        args.markdown.write_text(f"{header}\n\n{report}\n")
    if args.json_out is not None:
        record = {
            "environment": {**started, "loadavg_at_end": list(os.getloadavg())},
            "corpus": {"root": str(root), "files": len(files), "lines": lines},
            "jobs": args.jobs,
            "rows": [asdict(r) for r in rows],
            "ratios": ratios,
            "fix_check": None if fix is None else {**asdict(fix), "ok": fix.ok, "verdict": fix.verdict},
        }
        args.json_out.write_text(json.dumps(record, indent=2) + "\n")
    return 1 if fix is not None and not fix.ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
