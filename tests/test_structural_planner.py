"""Phase 1 planning: twin names and refusals, propagation stops, fallbacks, explanations.

Each test writes a tiny project, checks it with the strategy, and looks at the plan or
at the phase-1 texts (``run_structural``); the golden projects in
``golden/strategies/`` cover whole rewrites end to end.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest

from asyncify.analysis.index import ProjectIndex
from asyncify.api import run_check
from asyncify.config import Config
from asyncify.findings import Finding
from asyncify.restructure import run_structural
from asyncify.scan.summary import ModuleSummary
from asyncify.structural import (
    StructuralContext,
    StructuralOutcome,
    StructuralPlan,
    explain_strategies,
    plan_structural,
    twin_name,
)
from asyncify.structural.naming import name_problem


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")


def check(
    root: Path, files: dict[str, str], strategy: str, **options: object
) -> tuple[list[ModuleSummary], list[Finding], Config]:
    write(root, files)
    config = replace(Config(cache=False, rule_strategy={"AFY200": strategy}), **options)
    result = run_check([Path(".")], config, jobs=1, want_summaries=True)
    assert not result.errors
    return result.summaries, result.findings, config


def plan(root: Path, files: dict[str, str], strategy: str, **options: object) -> StructuralPlan:
    return plan_structural(*check(root, files, strategy, **options))


def rewrite(root: Path, files: dict[str, str], strategy: str, **options: object) -> StructuralOutcome:
    return run_structural(*check(root, files, strategy, **options))


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


HELPER = """
from pathlib import Path


def load(path: Path) -> str:
    return path.read_text()
"""


# ----- naming -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "template", "expected"),
    [
        ("_load_config_sync", None, "_load_config_async"),
        ("check_config_valid", None, "check_config_valid_async"),
        ("__read", None, "__read_async"),
        ("_sync", None, "_sync_async"),
        ("load_sync", "{name}_async", "load_async"),
        ("_load_config_sync", "async_{name}", "_async_load_config"),
        ("fetch", "a{name}", "afetch"),
    ],
)
def test_twin_name(name: str, template: str | None, expected: str) -> None:
    assert twin_name(name, template) == expected


def test_twin_name_problems() -> None:
    assert name_problem("load", twin_name("load", "{name}")) is not None
    assert name_problem("load", twin_name("load", "{name}-async")) is not None
    assert name_problem("load", "class") is not None
    assert name_problem("load", "load_async") is None


# ----- twin -------------------------------------------------------------------------------


def test_twin_uses_configured_template(tmp_path: Path) -> None:
    outcome = rewrite(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/io.py": HELPER,
            "app/run.py": """
            from app.io import load

            async def main(path):
                return load(path)
            """,
        },
        "twin",
        twin_name="async_{name}",
    )
    assert "async def async_load(path: Path) -> str:" in outcome.texts["app/io.py"]
    assert "from app.io import load, async_load" in outcome.texts["app/run.py"]
    assert "return await async_load(path)" in outcome.texts["app/run.py"]


def test_twin_name_taken_is_refused(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "m.py": HELPER
            + dedent("""

        def load_async(path: Path) -> str:
            return "mine"

        async def main(path):
            return load(path)
        """)
        },
        "twin",
    )
    assert not result.files
    [reason] = result.refused.values()
    assert "`load_async` is already taken" in reason and "twin-name" in reason


def test_two_helpers_with_one_twin_name(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "m.py": HELPER
            + dedent("""

        def load_sync(path: Path) -> str:
            return path.read_text()

        async def main(path):
            return load(path) + load_sync(path)
        """)
        },
        "twin",
    )
    assert list(result.files["m.py"].twins) == ["load"]
    [reason] = result.refused.values()
    assert "is also the twin of `m.load`" in reason


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            """
            class Config:
                def __init__(self, path: Path):
                    self.text = path.read_text()

            async def main(path: Path):
                return Config(path)
            """,
            "dunder",
        ),
        (
            """
            import functools

            @functools.lru_cache
            def load(path: Path) -> str:
                return path.read_text()

            async def main(path: Path):
                return load(path)
            """,
            "decorated with `@functools.lru_cache`",
        ),
        (
            """
            class Source:
                def load(self, path: Path) -> str:
                    return path.read_text()

            class Memory(Source):
                def load(self, path: Path) -> str:
                    return "memory"

            async def main(source: Source, path: Path):
                return source.load(path)
            """,
            "overridden by `m.Memory.load`",
        ),
        (
            """
            def lines(path: Path):
                yield from path.read_text().splitlines()

            async def main(path: Path):
                return lines(path)
            """,
            "generator",
        ),
    ],
    ids=["dunder", "decorated", "overridden", "generator"],
)
def test_twin_refusals(tmp_path: Path, source: str, expected: str) -> None:
    result = plan(tmp_path, {"m.py": "from pathlib import Path\n" + dedent(source)}, "twin")
    [reason] = result.refused.values()
    assert expected in reason
    assert not result.files


def test_inner_helper_without_twin_falls_back_to_wrap(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "m.py": """
        import functools
        from pathlib import Path

        @functools.cache
        def read(path: Path) -> str:
            return path.read_text()

        def load(path: Path) -> str:
            return read(path).strip()

        async def main(path: Path):
            return load(path)
        """
        },
        "twin",
    )
    assert list(result.files["m.py"].twins) == ["load"]
    assert result.fallback == {("m.py", "load_async", "m.read", "AFY200"): "wrap"}
    [stop] = result.stops
    assert stop.function == "m.read" and stop.boundary == "wrap" and "decorated" in stop.reason


def test_twin_through_relative_reexport(tmp_path: Path) -> None:
    outcome = rewrite(
        tmp_path,
        {
            "pkg/__init__.py": 'from .io import load\n\n__all__ = ("load",)\n',
            "pkg/io.py": HELPER,
            "run.py": """
            from pkg import load

            async def main(path):
                return load(path)
            """,
        },
        "twin",
    )
    assert outcome.texts["pkg/__init__.py"] == 'from .io import load, load_async\n\n__all__ = ("load", "load_async",)\n'
    assert "from pkg import load, load_async" in outcome.texts["run.py"]


def test_method_twin_through_super(tmp_path: Path) -> None:
    outcome = rewrite(
        tmp_path,
        {
            "m.py": """
        from pathlib import Path

        class Base:
            def __init__(self, path: Path) -> None:
                self.path = path

            def fetch(self) -> str:
                return self.path.read_text()

        class Child(Base):
            def fetch_twice(self) -> str:
                return super().fetch().upper()

            async def run(self) -> str:
                return self.fetch_twice()
        """
        },
        "twin",
    )
    text = outcome.texts["m.py"]
    assert "    async def fetch_async(self) -> str:" in text
    assert "return (await super().fetch_async()).upper()" in text
    assert "return await self.fetch_twice_async()" in text


# ----- propagate --------------------------------------------------------------------------


def test_method_with_unknown_receivers_is_not_converted(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "m.py": """
        from pathlib import Path

        class Store:
            def __init__(self, path: Path) -> None:
                self.path = path

            def load(self) -> str:
                return self.path.read_text()

        def describe(store):
            return store.load()

        async def main(store: Store):
            return store.load()
        """
        },
        "propagate",
    )
    [stop] = result.stops
    assert "receiver's type is unknown (`.load()` at m.py:11)" in stop.reason and stop.boundary == "wrap"
    assert result.fallback == {("m.py", "main", "m.Store.load", "AFY200"): "wrap"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("def cli(path):\n    asyncio.run(main(path))\n    return load(path)\n", "starts an event loop at m.py"),
        ("def unused(path):\n    return load(path)\n", "is not called anywhere in the project"),
        ("async def later(path):\n    return await load(path)\n", "its result is awaited at m.py"),
    ],
    ids=["loop_runner", "no_callers", "awaited"],
)
def test_propagation_stops(tmp_path: Path, extra: str, expected: str) -> None:
    source = "import asyncio\n" + dedent(HELPER) + "\n\nasync def main(path):\n    return load(path)\n\n\n" + extra
    result = plan(tmp_path, {"m.py": source}, "propagate")
    assert [s for s in result.stops if expected in s.reason], result.stops
    assert not result.files["m.py"].make_async if "m.py" in result.files else True


def test_converted_caller_fallback_for_blocking_call_outside_the_chain(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "m.py": HELPER
            + dedent("""

        def other(path: Path) -> str:
            return path.read_text()

        def both(path: Path) -> str:
            return load(path) + other(path)

        async def main(path):
            return load(path)

        async def quiet(path):
            return both(path)  # asyncify: ignore
        """)
        },
        "propagate",
    )
    ops = result.files["m.py"]
    assert set(ops.make_async) == {"load", "both"}
    assert ("m.py", "both", "m.other", "AFY200") in result.fallback


def test_propagation_plan_is_whole_component_across_modules(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/io.py": HELPER,
            "app/mid.py": "from app.io import load\n\ndef middle(path):\n    return load(path)\n",
            "app/top.py": "from app.mid import middle\n\nasync def main(path):\n    return middle(path)\n",
        },
        "propagate",
    )
    assert {path: set(ops.make_async) for path, ops in result.files.items() if ops.make_async} == {
        "app/io.py": {"load"},
        "app/mid.py": {"middle"},
    }
    components = set().union(*(ops.components() for ops in result.files.values()))
    assert len(components) == 1
    assert not result.stops and not result.fallback


# ----- explain ----------------------------------------------------------------------------


def test_explain_strategies(tmp_path: Path) -> None:
    summaries, findings, config = check(
        tmp_path,
        {
            "m.py": HELPER
            + dedent("""

        def report(path):
            return ", ".join(x for x in [load(path)])

        class Config:
            def __init__(self, path: Path):
                self.text = path.read_text()

        async def main(path: Path):
            return load(path) + Config(path).text
        """)
        },
        "twin",
    )
    index = ProjectIndex(summaries)
    context = StructuralContext(summaries, config)
    by_call = {f.call: explain_strategies(f, index, config, context=context) for f in findings if f.code == "AFY200"}
    load = by_call["m.load"]
    assert load["wrap"] is None and load["twin"] is None
    assert (
        load["propagate"] is not None and "generator expression" in load["propagate"] and "a twin" in load["propagate"]
    )
    init = by_call["m.Config.__init__"]
    assert init["wrap"] is None
    assert init["twin"] is not None and "dunder" in init["twin"]
    assert init["propagate"] is not None and "fall back to wrap" in init["propagate"]


def test_twin_name_shadowed_by_a_local_of_the_caller(tmp_path: Path) -> None:
    result = plan(
        tmp_path,
        {
            "lib.py": HELPER,
            "m.py": """
        from lib import load

        async def main(path):
            load_async = "taken"
            return load(path) + load_async
        """,
        },
        "twin",
    )
    [reason] = result.refused.values()
    assert "`load_async` is a local of `main`" in reason
    assert not result.files
