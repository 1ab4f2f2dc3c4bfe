#!/usr/bin/env python3
"""What the run-time plugin costs a test suite (``pytest --asyncify-runtime``).

Each suite runs in fresh ``python -m pytest`` processes, in four modes, alternating
modes within each round so that a busy machine slows them alike; per mode the fastest
of ``--repeat`` rounds is kept, in wall time and in CPU time (user + system of the
pytest process). On a shared machine the CPU time is the steadier measure:

* ``without plugin``: ``-p no:asyncify`` (asyncify installed, its plugin not loaded);
* ``installed, off``: the default, the plugin loaded but not enabled (the start-up cost);
* ``on``: ``--asyncify-runtime=PATH`` (blockbuster recorder, line tracer, slow steps);
* ``on, no slow steps``: also ``--asyncify-runtime-slow=0`` (asyncio debug mode off).

Suites:

* ``aiofiles``: the test suite of aiofiles 25.1.0 from its PyPI sdist (219 tests,
  pytest-asyncio), downloaded into ``--dir`` with ``pip download``, never committed;
* ``audit``: ``examples/audit_project``'s own tests;
* ``synthetic``: generated here: async tests that loop through the event loop
  (``await asyncio.sleep(0)``, which debug mode slows), call pure-Python project helpers
  (which the line tracer sees on 3.11) and offload file reads to threads.

Usage: ``python benchmarks/runtime_overhead.py [--suite NAME ...] [--repeat 5]
[--python PATH] [--json FILE]``. ``--python`` measures another interpreter's venv
(it needs asyncify-lint[test] installed). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AIOFILES = "aiofiles==25.1.0"
MODES = {
    "without plugin": ["-p", "no:asyncify"],
    "installed, off": [],
    "on": ["--asyncify-runtime={report}"],
    "on, no slow steps": ["--asyncify-runtime={report}", "--asyncify-runtime-slow=0"],
}


@dataclass(frozen=True)
class Suite:
    name: str
    root: Path
    args: tuple[str, ...]
    env: dict[str, str]


def aiofiles_suite(directory: Path, python: str) -> Suite:
    target = directory / "aiofiles"
    source = next(target.glob("aiofiles-*/"), None) if target.exists() else None
    if source is None:
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [python, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", AIOFILES, "-d", str(target)],
            check=True,
            capture_output=True,
        )
        archive = next(target.glob("aiofiles-*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        source = next(target.glob("aiofiles-*/"))
    return Suite("aiofiles", source, ("tests",), {"PYTHONPATH": str(source / "src")})


def audit_suite(directory: Path) -> Suite:
    copy = directory / "audit_project"
    if not copy.exists():
        shutil.copytree(REPO / "examples" / "audit_project", copy, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return Suite("audit", copy, ("tests",), {})


SYNTHETIC_MODULE = """
import asyncio
from pathlib import Path


def score(values):
    total = 0
    for value in values:
        total += (value * 31) % 7
    return total


async def pump(rounds):
    done = 0
    for _ in range(rounds):
        await asyncio.sleep(0)
        done += 1
    return done


async def crunch(size):
    return score(range(size))


async def read_all(paths):
    texts = [await asyncio.to_thread(Path(p).read_text) for p in paths]
    return sum(len(t) for t in texts)
"""

SYNTHETIC_TEST = """
import pytest
from synth.work import crunch, pump, read_all


@pytest.mark.asyncio
@pytest.mark.parametrize("case", range({cases}))
async def test_pump(case):
    assert await pump(2000) == 2000


@pytest.mark.asyncio
@pytest.mark.parametrize("case", range({cases}))
async def test_crunch(case):
    assert await crunch(20000) >= 0


@pytest.mark.asyncio
async def test_read(tmp_path):
    paths = []
    for index in range(20):
        path = tmp_path / f"f{{index}}.txt"
        path.write_text("x" * 1000)
        paths.append(path)
    assert await read_all(paths) == 20000
"""


def synthetic_suite(directory: Path) -> Suite:
    root = directory / "synthetic"
    if not root.exists():
        (root / "synth").mkdir(parents=True)
        (root / "tests").mkdir()
        (root / "synth" / "__init__.py").write_text("")
        (root / "synth" / "work.py").write_text(textwrap.dedent(SYNTHETIC_MODULE))
        for index in range(4):
            (root / "tests" / f"test_synth{index}.py").write_text(SYNTHETIC_TEST.format(cases=10))
        (root / "pyproject.toml").write_text(
            '[tool.pytest.ini_options]\nasyncio_default_fixture_loop_scope = "function"\n\n[tool.asyncify]\n'
        )
    return Suite("synthetic", root, ("tests",), {"PYTHONPATH": str(root)})


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(python: str, suite: Suite, mode: list[str], report: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and the last line of pytest's output."""
    args = [arg.format(report=report) for arg in mode]
    env = {**os.environ, **suite.env}
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, *suite.args],
        cwd=suite.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    elapsed = time.perf_counter() - started
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()[-200:]
    return elapsed, _children_cpu() - cpu, last


def measure(python: str, suite: Suite, repeat: int, scratch: Path) -> dict[str, object]:
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    outcome: dict[str, str] = {}
    for round_index in range(repeat):
        for name, mode in MODES.items():
            elapsed, used, last = run_once(python, suite, mode, scratch / f"{suite.name}-{round_index}.json")
            best[name] = min(best.get(name, elapsed), elapsed)
            cpu[name] = min(cpu.get(name, used), used)
            outcome[name] = last
    report = json.loads((scratch / f"{suite.name}-0.json").read_text())
    return {
        "suite": suite.name,
        "seconds": best,
        "cpu": cpu,
        "outcome": outcome,
        "tests": report["tests"],
        "call_sites": len(report["call_sites"]),
        "unmapped": sum(u["count"] for u in report["unmapped"]),
        "slow_steps": len(report["slow_steps"]),
    }


def render(results: list[dict[str, object]], python: str) -> str:
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True
    )
    lines = [
        f"Python {version.stdout.strip()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        "fastest of the rounds, seconds: CPU (wall)",
        "",
        "| suite | tests | " + " | ".join(MODES) + " | on vs without (CPU) |",
        "|---|---|" + "---|" * len(MODES) + "---|",
    ]
    for result in results:
        seconds, cpu = result["seconds"], result["cpu"]
        assert isinstance(seconds, dict) and isinstance(cpu, dict)
        cells = " | ".join(f"{cpu[name]:.2f} ({seconds[name]:.2f})" for name in MODES)
        change = cpu["on"] / cpu["without plugin"] - 1
        lines.append(f"| {result['suite']} | {result['tests']} | {cells} | {change:+.0%} |")
    lines.append("")
    for result in results:
        outcome = result["outcome"]
        assert isinstance(outcome, dict)
        lines.append(
            f"{result['suite']}: {outcome['on']} (report: {result['call_sites']} call sites, "
            f"{result['unmapped']} blocking calls outside project code, {result['slow_steps']} slow steps)"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", action="append", choices=["aiofiles", "audit", "synthetic"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the venv to measure")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "asyncify-runtime-bench")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    options.dir.mkdir(parents=True, exist_ok=True)
    builders = {
        "aiofiles": lambda: aiofiles_suite(options.dir, options.python),
        "audit": lambda: audit_suite(options.dir),
        "synthetic": lambda: synthetic_suite(options.dir),
    }
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in options.suite or list(builders):
            results.append(measure(options.python, builders[name](), options.repeat, Path(scratch)))
            print(f"measured {name}", file=sys.stderr)
    print(render(results, options.python))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
