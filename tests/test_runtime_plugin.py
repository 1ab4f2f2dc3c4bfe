"""The pytest plugin, through real pytest runs of small projects (``python -m pytest``).

Off by default and cheap when off; on with the option or the configuration; says what
to install when blockbuster is missing; maps events to project call sites (not tests,
not libraries), records slow steps and what ran outside project code; works with
pytest-asyncio, anyio and ``asyncio.run``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

PYPROJECT = """\
[project]
name = "app"
version = "0"

[tool.pytest.ini_options]
asyncio_default_fixture_loop_scope = "function"

[tool.asyncify]
"""


def project(root: Path, files: dict[str, str], pyproject: str = PYPROJECT) -> Path:
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def pytest_run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(root), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


APP = {
    "app/__init__.py": "",
    "app/work.py": """\
        import time


        def pause():
            time.sleep(0.001)


        async def handler():
            pause()
            return 1
        """,
}


def test_off_by_default_and_nothing_heavy_is_imported(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            **APP,
            "tests/conftest.py": """\
                import sys

                def pytest_sessionfinish(session):
                    loaded = sorted(m for m in ("blockbuster", "asyncify.runtime.session", "asyncify.config",
                                                "asyncify.runtime.plugin") if m in sys.modules)
                    open("loaded.txt", "w").write(",".join(loaded))
                """,
            "tests/test_work.py": """\
                import asyncio
                from app.work import handler

                def test_handler():
                    assert asyncio.run(handler()) == 1
                """,
        },
        pyproject=PYPROJECT.replace("[tool.asyncify]\n", ""),
    )
    result = pytest_run(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "loaded.txt").read_text() == "asyncify.runtime.plugin", "only the tiny entry module"
    assert "asyncify: " not in result.stdout
    assert not list(root.glob("*.json"))


def test_missing_blockbuster_says_what_to_install(tmp_path: Path) -> None:
    root = project(tmp_path, {**APP, "tests/test_work.py": "def test_nothing():\n    pass\n"})
    shadow = tmp_path / "shadow" / "blockbuster"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('blockbuster is not installed here')\n")
    result = pytest_run(root, "--asyncify-runtime=r.json", env={"PYTHONPATH": f"{shadow.parent}{os.pathsep}{root}"})
    assert result.returncode == 4, result.stdout + result.stderr
    assert "pip install 'asyncify-lint[runtime]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_configured_report_path_and_disabling_it(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            **APP,
            "tests/test_work.py": """\
                import asyncio
                from app.work import handler

                def test_handler():
                    assert asyncio.run(handler()) == 1
                """,
        },
        pyproject=PYPROJECT + 'runtime = "reports/runtime.json"\n',
    )
    assert pytest_run(root, "-p", "no:asyncify").returncode == 0
    assert not (root / "reports").exists(), "-p no:asyncify turns a configured plugin off"
    result = pytest_run(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "asyncify: recording blocking calls to" in result.stdout
    report = load(root / "reports" / "runtime.json")
    [site] = report["call_sites"]
    assert (site["path"], site["function"], site["text"], site["line"]) == ("app/work.py", "handler", "pause()", 9)
    assert [frame["function"] for frame in site["chains"][0]["frames"]] == ["app.work.pause"]
    assert site["chains"][0]["primitive"] == "time.sleep"
    assert site["tests"] == ["tests/test_work.py::test_handler"]


def test_a_report_that_cannot_be_written_is_said_not_raised(tmp_path: Path) -> None:
    root = project(tmp_path, {**APP, "tests/test_work.py": "def test_nothing():\n    pass\n"})
    (root / "blocked").write_text("a file, not a folder", encoding="utf-8")
    result = pytest_run(root, "--asyncify-runtime=blocked/r.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "asyncify: could not write" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_bad_configured_path_is_a_usage_error(tmp_path: Path) -> None:
    root = project(tmp_path, {**APP}, pyproject=PYPROJECT + "runtime = 3\n")
    result = pytest_run(root)
    assert result.returncode == 4
    assert "runtime must be a path" in result.stderr


def test_tests_libraries_and_excluded_code_are_not_call_sites(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            **APP,
            "app/generated/__init__.py": "",
            "app/generated/client.py": """\
                import time

                async def call():
                    time.sleep(0.001)
                """,
            "tests/helpers.py": """\
                import time

                async def slow_helper():
                    time.sleep(0.001)
                """,
            "tests/test_work.py": """\
                import time
                import pytest
                from app.generated.client import call
                from helpers import slow_helper

                @pytest.mark.asyncio
                async def test_own_sleep():
                    time.sleep(0.001)
                    await slow_helper()
                    await call()
                """,
        },
        pyproject=PYPROJECT + 'extend-exclude = ["app/generated/"]\n',
    )
    result = pytest_run(root, "--asyncify-runtime=r.json", env={"PYTHONPATH": f"{root}{os.pathsep}{root / 'tests'}"})
    assert result.returncode == 0, result.stdout + result.stderr
    report = load(root / "r.json")
    assert report["call_sites"] == [], "tests, test helpers and excluded code are not project code"
    unmapped = {(u["primitive"], u["frames"][0]["function"]) for u in report["unmapped"]}
    assert unmapped == {
        ("time.sleep", "test_work.test_own_sleep"),
        ("time.sleep", "helpers.slow_helper"),
        ("time.sleep", "app.generated.client.call"),
    }
    assert "3 blocking calls outside project async code" in result.stdout


def test_slow_steps_from_asyncio_debug_mode(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/crunch.py": """\
                import asyncio
                import time


                def busy(seconds):
                    end = time.perf_counter() + seconds
                    total = 0
                    while time.perf_counter() < end:
                        total += 1
                    return total


                async def crunch():
                    busy(0.25)
                    await asyncio.sleep(0)
                    return True
                """,
            "tests/test_crunch.py": """\
                import asyncio
                from app.crunch import crunch

                def test_crunch():
                    assert asyncio.run(crunch())
                """,
        },
    )
    result = pytest_run(root, "--asyncify-runtime=r.json", "--asyncify-runtime-slow=0.1")
    assert result.returncode == 0, result.stdout + result.stderr
    report = load(root / "r.json")
    assert report["call_sites"] == [], "pure computation: no blocking function"
    [step] = report["slow_steps"]
    assert (step["path"], step["function"], step["line"]) == ("app/crunch.py", "crunch", 15)
    assert step["seconds"] >= 0.25 and step["tests"] == ["tests/test_crunch.py::test_crunch"]
    check = subprocess.run(
        [sys.executable, "-m", "asyncify", "check", ".", "--no-cache", "--runtime", "r.json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "slow step: app/crunch.py:15 in crunch:" in check.stdout

    off = pytest_run(root, "--asyncify-runtime=off.json", "--asyncify-runtime-slow=0")
    assert off.returncode == 0
    report = load(root / "off.json")
    assert report["slow_steps"] == [] and report["slow_callback_duration"] is None


def test_another_tracer_makes_exercised_lines_unknown_on_311(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            **APP,
            "tests/test_work.py": """\
                import asyncio
                from app.work import handler

                def test_handler():
                    assert asyncio.run(handler()) == 1
                """,
        },
    )
    runner = "import sys, pytest; sys.settrace(lambda *a: None); sys.exit(pytest.main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", runner, "-p", "no:cacheprovider", "--asyncify-runtime=r.json"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = load(root / "r.json")
    if sys.version_info >= (3, 12):
        assert report["lines_traced"] is True, "sys.monitoring works beside another tracer"
        assert report["files"]["app/work.py"]["exercised"] == [9, 10]
    else:
        assert report["lines_traced"] is False, "settrace is taken: say so rather than guess"
        assert "exercised" not in report["files"]["app/work.py"]
