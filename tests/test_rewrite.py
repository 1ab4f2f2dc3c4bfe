"""The rewrite engine's API (``asyncify.rewrite``) and the standalone codemod commands."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
import types
from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext, TransformSkip, TransformSuccess, transform_module

import asyncify.codemods as codemods
from asyncify.codemods.base import Codemod, Plan, Site
from asyncify.commands import COMMANDS
from asyncify.findings import Confidence, Finding
from asyncify.rewrite import Edit, RewriteOptions, rewrite_module
from asyncify.scan.summary import Span
from asyncify.vocabulary import Strategy

OPTIONS = RewriteOptions()


def edits_for(source: str, targets: dict[str, str]) -> list[Edit]:
    """Edits for every call whose callee is written as a key of ``targets``."""
    edits: list[Edit] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in targets:
            assert node.end_lineno is not None and node.end_col_offset is not None
            span = Span(node.lineno, node.col_offset + 1, node.end_lineno, node.end_col_offset + 1)
            edits.append(Edit(span, targets[ast.unparse(node.func)], len(edits)))
    return edits


def test_no_edits_returns_the_input() -> None:
    assert rewrite_module("x = 1\n", [], OPTIONS) == rewrite_module("x = 1\n", [], OPTIONS)
    assert rewrite_module("x = 1\n", [], OPTIONS).source == "x = 1\n"


def test_unknown_span_is_refused_and_the_rest_applies() -> None:
    source = "import os\n\nasync def f(p):\n    os.remove(p)\n"
    good = edits_for(source, {"os.remove": "wrap"})[0]
    bad = Edit(Span(2, 1, 2, 5), "wrap", 7)
    outcome = rewrite_module(source, [good, bad], OPTIONS)
    assert outcome.refused == {7: "call not found at 2:1"}
    assert outcome.applied == (0,)
    assert "await asyncio.to_thread(os.remove, p)" in outcome.source


def test_bad_input_never_raises() -> None:
    edit = Edit(Span(1, 1, 1, 4), "wrap", 0)
    assert rewrite_module("def (:\n", [edit], OPTIONS).refused[0].startswith("cannot parse")
    assert rewrite_module("f()\n", [edit], RewriteOptions(backend="gevent")).refused[0] == "unknown backend 'gevent'"
    unknown = rewrite_module("f()\n", [Edit(edit.span, "teleport", 0)], OPTIONS)  # type: ignore[arg-type]
    assert unknown.refused[0] == "unknown strategy 'teleport'"


def test_duplicate_edit_is_refused() -> None:
    source = "async def f():\n    g()\n"
    (edit,) = edits_for(source, {"g": "wrap"})
    outcome = rewrite_module(source, [edit, Edit(edit.span, "wrap", 1)], OPTIONS)
    assert outcome.applied == (0,)
    assert outcome.refused == {1: "another edit targets the call at 2:5"}


def test_character_columns_and_parenthesised_calls() -> None:
    source = 'async def f(x):\n    y = "é" + (g(x)).real\n'
    outcome = rewrite_module(source, [Edit(Span(2, 16, 2, 20), "wrap", 0)], OPTIONS)
    assert outcome.applied == (0,)
    assert 'y = "é" + (await asyncio.to_thread(g, x)).real\n' in outcome.source


def _broken_plan(site: Site, ctx: object) -> Plan:
    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        return cst.Yield(value=cst.Name("x"))  # makes an async generator, which cannot return 1

    return Plan(rewrites=((site.call, rewrite),))


def test_result_that_does_not_compile_is_refused_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(codemods.registry())
    registry["broken"] = Codemod("broken", _broken_plan)  # type: ignore[arg-type,index]
    monkeypatch.setattr("asyncify.rewrite.registry", lambda: registry)
    source = "import os\nasync def f(p):\n    os.remove(p)\n    os.unlink(p)\n    return 1\n"
    edits = edits_for(source, {"os.remove": "broken", "os.unlink": "wrap"})
    outcome = rewrite_module(source, edits, OPTIONS)
    assert outcome.source == source
    assert outcome.applied == ()
    assert outcome.refused[0].startswith("result does not compile: SyntaxError")
    assert outcome.refused[1] == outcome.refused[0]


def test_input_that_does_not_compile_is_reported_as_such() -> None:
    source = "return 1\nasync def f():\n    g()\n"
    outcome = rewrite_module(source, edits_for(source, {"g": "wrap"}), OPTIONS)
    assert outcome.source == source
    assert outcome.refused[0].startswith("input does not compile")


def test_crlf_is_preserved_including_added_imports() -> None:
    source = '"""Doc."""\r\nimport time\r\n\r\nasync def f():\r\n    time.sleep(1)  # nap\r\n'
    outcome = rewrite_module(source, edits_for(source, {"time.sleep": "sleep"}), OPTIONS)
    assert outcome.source == (
        '"""Doc."""\r\nimport asyncio\r\nimport time\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)  # nap\r\n'
    )


def test_imports_are_added_once_across_runs() -> None:
    source = "import os\n\nasync def f(p):\n    os.remove(p)\n    os.unlink(p)\n"
    first = rewrite_module(source, edits_for(source, {"os.remove": "wrap"}), OPTIONS).source
    second = rewrite_module(first, edits_for(first, {"os.unlink": "wrap"}), OPTIONS).source
    assert second.count("import asyncio") == 1
    both = rewrite_module(source, edits_for(source, {"os.remove": "wrap", "os.unlink": "wrap"}), OPTIONS).source
    assert both == second


def test_aiofiles_absorbs_edits_it_translates_and_refusal_leaves_them() -> None:
    source = "import json\n\nasync def f(p):\n    with open(p) as fh:\n        return json.load(fh)\n"
    edits = edits_for(source, {"open": "aiofiles", "json.load": "wrap"})
    outcome = rewrite_module(source, edits, OPTIONS)
    assert outcome.applied == (0, 1)
    assert "return json.loads(await fh.read())" in outcome.source
    refused = source.replace("return json.load(fh)", "return json.load(fh), keep(fh)")
    outcome = rewrite_module(refused, edits_for(refused, {"open": "aiofiles", "json.load": "wrap"}), OPTIONS)
    assert outcome.refused == {0: "handle `fh` is passed to `keep()`"}
    assert "await asyncio.to_thread(json.load, fh)" in outcome.source


def test_registry_matches_modules_on_disk() -> None:
    names = {info.name for info in pkgutil.iter_modules(codemods.__path__)}
    with_codemod = {n for n in names if hasattr(importlib.import_module(f"asyncify.codemods.{n}"), "CODEMOD")}
    assert {str(s) for s in codemods.registry()} == with_codemod == {"wrap", "collect", "sleep", "aiofiles", "extract"}
    assert {s for s in Strategy if s.per_call} == set(codemods.registry())
    assert sorted(c.STRATEGY for c in COMMANDS) == sorted(codemods.registry())
    assert all(c.DESCRIPTION for c in COMMANDS)


def test_fallback_order_is_data_on_the_codemods() -> None:
    registry = codemods.registry()
    assert registry[Strategy.AIOFILES].fallbacks == (Strategy.EXTRACT, Strategy.WRAP)
    assert registry[Strategy.COLLECT].fallbacks == (Strategy.EXTRACT,)
    assert registry[Strategy.COLLECT].fallback_reasons  # only a with item is retried
    assert not registry[Strategy.WRAP].fallbacks


# -- standalone commands -----------------------------------------------------------

BLOCKING = {"time.sleep": ("sleep", "wrap"), "os.remove": ("wrap",), "open": ("aiofiles", "wrap")}


def naive_findings(source: str, filename: str) -> list[Finding]:
    """A stand-in for detection: calls to a few names inside ``async def``."""
    found = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in BLOCKING:
                assert node.end_lineno is not None and node.end_col_offset is not None
                span = Span(node.lineno, node.col_offset + 1, node.end_lineno, node.end_col_offset + 1)
                found.append(Finding(
                    code="AFY100", message="", path=filename, module="m", span=span, function=func.name,
                    call=ast.unparse(node.func), confidence=Confidence.CERTAIN,
                    strategies=BLOCKING[ast.unparse(node.func)], awaitable=True,
                ))
    return found


DEMO = """import os
import time


async def main(p):
    time.sleep(1)
    os.remove(p)
    with open(p) as f:
        print(f.read())
"""


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("asyncify.api")
    module.findings_for_source = naive_findings  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "asyncify.api", module)


@pytest.mark.usefixtures("fake_api")
@pytest.mark.parametrize("command", ["sleep.SleepCommand", "wrap.WrapCommand", "aiofiles.AiofilesCommand"])
def test_command_applies_then_changes_nothing(command: str) -> None:
    _, _, class_name = command.partition(".")
    cls = getattr(importlib.import_module("asyncify.commands"), class_name)
    first = transform_module(cls(CodemodContext(filename="demo.py")), DEMO)
    assert isinstance(first, TransformSuccess)
    assert first.code != DEMO
    compile(first.code, "demo.py", "exec")
    second = transform_module(cls(CodemodContext(filename="demo.py")), first.code)
    assert isinstance(second, TransformSkip) or (isinstance(second, TransformSuccess) and second.code == first.code)


@pytest.mark.usefixtures("fake_api")
def test_commands_in_sequence_fix_everything() -> None:
    from asyncify.commands import AiofilesCommand, SleepCommand, WrapCommand

    code = DEMO
    for cls in (SleepCommand, WrapCommand, AiofilesCommand):
        result = transform_module(cls(CodemodContext(filename="demo.py")), code)
        assert isinstance(result, TransformSuccess)
        code = result.code
    assert naive_findings(code, "demo.py") == []
    assert "await asyncio.sleep(1)" in code and "async with aiofiles.open(p) as f:" in code


def test_commands_through_libcst_runner_reach_a_fixpoint(tmp_path: Path) -> None:
    """The real runner with real detection: a second round of every command changes nothing."""
    pytest.importorskip("asyncify.api")
    import subprocess

    target = tmp_path / "demo.py"
    target.write_text(DEMO)
    rounds = []
    for _ in range(2):
        for command in ("aiofiles.AiofilesCommand", "wrap.WrapCommand", "sleep.SleepCommand"):
            run = subprocess.run(
                [sys.executable, "-m", "libcst.tool", "codemod", "-x", f"asyncify.commands.{command.partition('.')[2]}",
                 "--no-format", str(target)],
                capture_output=True, text=True, cwd=tmp_path,
            )
            assert "Failed to codemod 0 files" in run.stderr, run.stderr
        rounds.append(target.read_text())
    assert rounds[0] == rounds[1]
    assert "await asyncio.sleep(1)" in rounds[0]
    assert "async with aiofiles.open(p) as f:" in rounds[0]
    assert "await asyncio.to_thread(os.remove, p)" in rounds[0]
    compile(rounds[0], "demo.py", "exec")


def _raising_plan(site: Site, ctx: object) -> Plan:
    raise KeyError("a codemod bug")


def test_internal_error_raises_in_strict_mode_and_is_a_refusal_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(codemods.registry())
    registry["raising"] = Codemod("raising", _raising_plan)  # type: ignore[arg-type,index]
    monkeypatch.setattr("asyncify.rewrite.registry", lambda: registry)
    source = "import os\nasync def f(p):\n    os.remove(p)\n"
    edits = edits_for(source, {"os.remove": "raising"})
    with pytest.raises(KeyError, match="a codemod bug"):
        rewrite_module(source, edits, OPTIONS)  # the suite runs in strict mode (conftest)
    monkeypatch.delenv("ASYNCIFY_STRICT")
    outcome = rewrite_module(source, edits, OPTIONS)
    assert outcome.source == source
    assert outcome.refused == {0: "internal error: KeyError: 'a codemod bug'"}
