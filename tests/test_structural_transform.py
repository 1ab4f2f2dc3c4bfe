"""Phase 1's libcst transform and its all-or-nothing application per component."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from asyncify.api import run_check
from asyncify.config import Config
from asyncify.restructure import apply_structural
from asyncify.restructure.transform import transform_module
from asyncify.structural import plan_structural
from asyncify.structural.model import CallEdit, ExportEdit, FileOps, ImportEdit, SpanKey, TwinOp


def ops(**fields: object) -> FileOps:
    base = FileOps(path="m.py", module="pkg.m", is_package=False)
    for name, value in fields.items():
        setattr(base, name, value)
    return base


def span(text: str, needle: str, line: int) -> SpanKey:
    """The span of the call starting with ``needle`` on 1-based ``line``."""
    source = text.splitlines()[line - 1]
    start = source.index(needle)
    depth, end = 0, start
    for end in range(start, len(source)):
        depth += {"(": 1, ")": -1}.get(source[end], 0)
        if source[end] == ")" and depth == 0:
            break
    return (line, start + 1, line, end + 2)


def test_twin_copy_gets_its_own_call_edits() -> None:
    text = dedent(
        """\
        def inner(p):
            return p.read()


        def outer(p):
            # keep me
            return inner(p).strip()


        async def main(p):
            return outer(p)
        """
    )
    twin = TwinOp("outer", "outer_async", {span(text, "inner(", 7): CallEdit("inner_async", "c")}, "c")
    result = transform_module(
        text,
        ops(
            twins={"inner": TwinOp("inner", "inner_async", {}, "c"), "outer": twin},
            calls={span(text, "outer(", 11): CallEdit("outer_async", "c")},
        ),
    )
    assert result.text == dedent(
        """\
        def inner(p):
            return p.read()


        async def inner_async(p):
            return p.read()


        def outer(p):
            # keep me
            return inner(p).strip()


        async def outer_async(p):
            # keep me
            return (await inner_async(p)).strip()


        async def main(p):
            return await outer_async(p)
        """
    )


def test_make_async_and_await_callers() -> None:
    text = (
        "import functools\n\n\n@functools.wraps(print)\ndef f():\n    return 1\n\n\n"
        "async def g():\n    return f() + f()\n"
    )
    result = transform_module(
        text,
        ops(
            make_async={"f": "c"},
            calls={span(text, "f()", 10): CallEdit(None, "c"), (10, 18, 10, 21): CallEdit(None, "c")},
        ),
    )
    assert result.text is not None
    assert "@functools.wraps(print)\nasync def f():" in result.text
    assert "return await f() + await f()" in result.text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('__all__ = ["a", "b"]\n', '__all__ = ["a", "a_async", "b"]\n'),
        ("__all__ = ['x', 'a']\n", "__all__ = ['x', 'a', 'a_async']\n"),
        ('__all__ = (\n    "a",\n    "b",\n)\n', '__all__ = (\n    "a",\n    "a_async",\n    "b",\n)\n'),
        ('__all__ = [\n    "b",\n    "a",\n]\n', '__all__ = [\n    "b",\n    "a",\n    "a_async",\n]\n'),
        ('__all__ = ["a", "a_async"]\n', '__all__ = ["a", "a_async"]\n'),
    ],
)
def test_exports(source: str, expected: str) -> None:
    result = transform_module(source, ops(exports=[ExportEdit("a", "a_async", "c")]))
    assert result.text == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from .io import a\n", "from .io import a, a_async\n"),
        ("from pkg.io import (\n    a,\n    b,\n)\n", "from pkg.io import (\n    a,\n    a_async,\n    b,\n)\n"),
        ("from pkg.io import (\n    b,\n    a\n)\n", "from pkg.io import (\n    b,\n    a,\n    a_async\n)\n"),
        ("from pkg.io import a, a_async\n", "from pkg.io import a, a_async\n"),
    ],
)
def test_imports(source: str, expected: str) -> None:
    edit = ImportEdit("pkg.io", "a", "a", "a_async", "a_async", "c")
    assert transform_module(source, ops(imports=[edit])).text == expected


def test_aliased_import() -> None:
    edit = ImportEdit("pkg.io", "a_sync", "load", "a_async", "load_async", "c")
    result = transform_module("from pkg.io import a_sync as load\n", ops(imports=[edit]))
    assert result.text == "from pkg.io import a_sync as load\nfrom pkg.io import a_async as load_async\n"
    result = transform_module("from .io import (\n    a_sync as load,\n)\n", ops(imports=[edit]))
    assert result.text == "from .io import (\n    a_sync as load,\n)\nfrom .io import a_async as load_async\n"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("    return (lambda: f())()\n", "await not allowed in a lambda"),
        ("    return list(f() for _ in range(2))\n", "await not allowed in a generator expression"),
    ],
)
def test_await_refused_where_not_allowed(body: str, reason: str) -> None:
    text = "def f():\n    return 1\n\n\nasync def g():\n" + body
    result = transform_module(text, ops(calls={span(text, "f()", 6): CallEdit(None, "c")}))
    assert result.text is None and result.reason is not None and reason in result.reason


def test_missing_operations_fail_the_file() -> None:
    result = transform_module(
        "def f():\n    return 1\n", ops(make_async={"g": "c"}, calls={(9, 1, 9, 4): CallEdit(None, "c")})
    )
    assert result.text is None and result.reason is not None
    assert "`g` not found" in result.reason and "line 9: call not found" in result.reason


def test_crlf_is_kept() -> None:
    text = "def f(p):\r\n    return p.read()\r\n"
    result = transform_module(text, ops(twins={"f": TwinOp("f", "f_async", {}, "c")}))
    assert result.text == "def f(p):\r\n    return p.read()\r\n\r\n\r\nasync def f_async(p):\r\n    return p.read()\r\n"


def test_component_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = {
        "app/__init__.py": "",
        "app/io.py": "from pathlib import Path\n\n\ndef load(path: Path) -> str:\n    return path.read_text()\n",
        "app/run.py": "from app.io import load\n\n\nasync def main(path):\n    return load(path)\n",
        "app/other.py": "import time\n\n\ndef nap():\n    time.sleep(0)\n\n\nasync def go():\n    nap()\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = Config(cache=False, rule_strategy={"AFY200": "twin"})
    check = run_check([Path(".")], config, jobs=1, want_summaries=True)
    plan = plan_structural(check.summaries, check.findings, config)
    assert set(plan.files) == {"app/io.py", "app/run.py", "app/other.py"}

    # app/run.py changed since the scan: its call is no longer where the plan expects.
    texts = dict(files)
    texts["app/run.py"] = "\n" + files["app/run.py"]
    outcome = apply_structural(plan, texts)
    assert set(outcome.texts) == {"app/other.py"}, "the load component must not be half applied"
    assert "app/run.py" in outcome.failed
    refused = {key[2]: reason for key, reason in outcome.refused.items()}
    assert "app.io.load" in refused and "app/run.py" in refused["app.io.load"]
    assert [key[2] for key in outcome.applied] == ["app.other.nap"]

    whole = apply_structural(plan, files)
    assert set(whole.texts) == set(plan.files) and not whole.refused and not whole.failed
