"""The benchmark's rows: what each runs, how its output is counted, and how it is run.

Every row is a fresh subprocess over the same corpus. The 1-minute load average is
read just before each row and printed beside its figures: the machine is shared, so a
figure means little without it, and CPU-time ratios of rows run back to back (paired)
are what to compare, not wall times from different moments.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import Measurement, run_measured

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE_DIRNAME = ".asyncify_cache"
ONE_FILE = "homeassistant/core.py"
"""The file of the one-file row: a large module at the centre of the project."""
STARTUP_RUNS = 5

Counter = Callable[[bytes], "int | None"]


@dataclass(frozen=True)
class Tool:
    """One row to run: a command plus how to judge and count its output."""

    name: str
    key: str
    argv: tuple[str, ...]
    ok_codes: frozenset[int]
    count: Counter | None = None
    json_output: bool = False
    env: Mapping[str, str] | None = None
    prepare: Callable[[], None] | None = None
    cwd: Path | None = None
    runs: int | None = None
    """Runs regardless of ``--repeat`` (start-up rows: a few, fastest kept)."""


@dataclass
class Row:
    """A measured (or skipped/failed) row, as printed and as written to ``--json``."""

    name: str
    status: str
    command: str
    wall_s: float | None = None
    cpu_s: float | None = None
    max_proc_mb: float | None = None
    load: float | None = None
    """1-minute load average just before the row ran."""
    findings: int | None = None
    errors: int | None = None
    returncode: int | None = None
    timings: dict[str, Any] | None = None
    runs_wall_s: list[float] = field(default_factory=list)


def load_json(stdout: bytes) -> Any:
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def count_asyncify(stdout: bytes) -> int | None:
    data = load_json(stdout)
    return len(data["findings"]) if isinstance(data, dict) and "findings" in data else None


def errors_asyncify(stdout: bytes) -> int | None:
    data = load_json(stdout)
    return len(data.get("errors", [])) if isinstance(data, dict) else None


def count_json_list(stdout: bytes) -> int | None:
    data = load_json(stdout)
    return len(data) if isinstance(data, list) else None


def count_lines_of_output(stdout: bytes) -> int | None:
    return sum(1 for line in stdout.decode("utf-8", "replace").splitlines() if line.strip())


def count_floor(stdout: bytes) -> int | None:
    data = load_json(stdout)
    return int(data["syntax_errors"]) if isinstance(data, dict) and "syntax_errors" in data else None


def find_executable(name: str, python: str) -> str | None:
    """``name`` beside ``python`` (its venv's bin), else on PATH."""
    beside = Path(python).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def asyncify_env(python: str) -> dict[str, str]:
    """Environment for ``python -m asyncify``: the repo's ``src/`` when not installed."""
    env = dict(os.environ)
    probe = subprocess.run([python, "-c", "import asyncify"], capture_output=True, env=env, check=False)
    if probe.returncode != 0:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    return env


def venv_with_asyncify(python: str, directory: Path) -> str:
    """A virtual environment of ``python`` with this repository installed (created once)."""
    bin_python = directory / "bin" / "python"
    if not bin_python.exists():
        print(f"creating {directory} for {python}", file=sys.stderr, flush=True)
        subprocess.run([python, "-m", "venv", str(directory)], check=True)
    imports = "import asyncify, typer, rich, pathspec, libcst"
    probe = subprocess.run([str(bin_python), "-c", imports], capture_output=True, check=False)
    if probe.returncode != 0:
        subprocess.run([str(bin_python), "-m", "pip", "install", "-q", "-e", str(REPO)], check=True)
    return str(bin_python)


def remove_cache(root: Path) -> Callable[[], None]:
    """A ``prepare`` hook that makes the next asyncify run a cold one."""

    def prepare() -> None:
        shutil.rmtree(root / CACHE_DIRNAME, ignore_errors=True)

    return prepare


def touch(path: Path) -> Callable[[], None]:
    """A ``prepare`` hook that changes a file's stamp (not its text): the tree's result
    no longer matches, so the next run analyses the project from the per-file cache."""

    def prepare() -> None:
        os.utime(path)

    return prepare


def asyncify_rows(label: str, python: str, corpus: Path, jobs: int) -> list[Tool]:
    """Cold, warm and one-file-in-the-warm-tree checks with ``python``; the last after a
    file's stamp changed (as after an edit: the project is analysed again, from the
    per-file summaries)."""
    env = asyncify_env(python)
    check = (python, "-m", "asyncify", "check", ".", "--format", "json", "--jobs", str(jobs), "-v")
    one = (python, "-m", "asyncify", "check", ONE_FILE, "--format", "json", "-v")
    ok = frozenset({0, 1})
    return [
        Tool(
            f"cold check {label}", f"cold-{label}", check, ok, count_asyncify, True, env, remove_cache(corpus), corpus
        ),
        Tool(f"warm check {label}", f"warm-{label}", check, ok, count_asyncify, True, env, cwd=corpus),
        Tool(f"one file, warm {label}", f"one-{label}", one, ok, count_asyncify, True, env, cwd=corpus),
        Tool(
            f"one file, tree touched {label}",
            f"touched-{label}",
            one,
            ok,
            count_asyncify,
            True,
            env,
            touch(corpus / ONE_FILE),
            corpus,
        ),
    ]


def startup_rows(python: str) -> list[Tool]:
    """Interpreter start-up alone, then asyncify's commands that should cost nothing more."""
    env = asyncify_env(python)
    ok = frozenset({0})
    return [
        Tool("python -c pass", "start-python", (python, "-c", "pass"), ok, runs=STARTUP_RUNS),
        Tool(
            "asyncify --version",
            "start-version",
            (python, "-m", "asyncify", "--version"),
            ok,
            env=env,
            runs=STARTUP_RUNS,
        ),
        Tool("asyncify rules", "start-rules", (python, "-m", "asyncify", "rules"), ok, env=env, runs=STARTUP_RUNS),
    ]


def status_of(tool: Tool, run: Measurement) -> str:
    """``ok``, ``timeout`` or ``failed (rc=N): <first stderr line>``; JSON rows must print JSON."""
    if run.timed_out:
        return "timeout"
    if run.returncode in tool.ok_codes and (not tool.json_output or load_json(run.stdout) is not None):
        return "ok"
    reason = run.first_stderr_line() or "no JSON on stdout"
    return f"failed (rc={run.returncode}): {reason}"


def run_tool(tool: Tool, repeat: int, timeout_s: float | None) -> Row:
    """Run ``tool`` and keep its fastest successful run (the least disturbed)."""
    best: Measurement | None = None
    walls: list[float] = []
    load = os.getloadavg()[0]
    for _ in range(tool.runs or repeat):
        if tool.prepare is not None:
            tool.prepare()
        run = run_measured(tool.argv, env=tool.env, cwd=tool.cwd, timeout_s=timeout_s)
        walls.append(run.wall_s)
        if status_of(tool, run) != "ok":
            return row_from(tool, run, walls, load)
        if best is None or run.wall_s < best.wall_s:
            best = run
    assert best is not None
    return row_from(tool, best, walls, load)


def row_from(tool: Tool, run: Measurement, walls: list[float], load: float) -> Row:
    status = status_of(tool, run)
    row = Row(
        name=tool.name,
        status=status,
        command=" ".join(tool.argv),
        wall_s=run.wall_s,
        cpu_s=run.cpu_s,
        max_proc_mb=run.max_proc_mb,
        load=load,
        returncode=run.returncode,
        runs_wall_s=walls,
    )
    if status == "ok" and tool.count is not None:
        row.findings = tool.count(run.stdout)
        if tool.count is count_asyncify:
            row.errors = errors_asyncify(run.stdout)
            data = load_json(run.stdout)
            row.timings = data.get("timings") if isinstance(data, dict) else None
    return row


def run_all(tools: Sequence[Tool], skip: Sequence[str], repeat: int, timeout_s: float | None) -> list[Row]:
    """Every row in order, progress on stderr."""
    rows: list[Row] = []
    for tool in tools:
        if any(tool.key == s or tool.key.startswith(s + "-") or tool.key.endswith("-" + s) for s in skip):
            rows.append(Row(name=tool.name, status="skipped", command=" ".join(tool.argv)))
            continue
        print(f"running {tool.name}: {' '.join(tool.argv)}", file=sys.stderr, flush=True)
        rows.append(run_tool(tool, repeat, timeout_s))
    return rows
