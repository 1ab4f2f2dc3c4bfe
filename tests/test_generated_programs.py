"""Property tests on generated programs (hypothesmith): ``check`` never crashes, and
``fix`` output always compiles and is a fixpoint. Bounded and derandomised for CI."""

from __future__ import annotations

import os
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, example, given, settings

from asyncify.api import findings_for_source
from asyncify.config import Config
from asyncify.fixer import run_fix

BLOCKING_TAIL = '''

import time
from pathlib import Path


def _helper_sync(p):
    return Path(p).read_text()


async def _generated_async(p: Path):
    time.sleep(0)
    data = _helper_sync(p)
    with open(p) as f:
        rows = [line for line in f]
    return p.exists(), data, rows
'''

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def asyncified(source: str) -> str:
    """The generated module with its defs made async, plus known blocking calls."""
    return source.replace("\ndef ", "\nasync def ") + BLOCKING_TAIL


def fix_text(tmp: Path, text: str) -> str:
    path = tmp / "generated_module.py"
    path.write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        result = run_fix([Path(path.name)], Config(cache=False), jobs=1)
    finally:
        os.chdir(cwd)
    return result.files[0].text if result.files else text


@SETTINGS
@given(hypothesmith.from_grammar())
def test_check_never_crashes(source: str) -> None:
    try:
        compile(asyncified(source), "<generated>", "exec")
    except (SyntaxError, ValueError):
        return  # making defs async can produce invalid code (await rules); check must not be asked
    findings_for_source(asyncified(source), "generated_module.py")


@SETTINGS
@given(hypothesmith.from_grammar())
@example(source="#\x1e\x80")  # found by this test: splitlines() broke at \x1e and shifted columns
def test_fix_output_compiles_and_is_a_fixpoint(source: str) -> None:
    import tempfile

    text = asyncified(source)
    try:
        compile(text, "<generated>", "exec")
    except (SyntaxError, ValueError):
        return
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        once = fix_text(tmp, text)
        compile(once, "<fixed>", "exec")
        assert "await asyncio.sleep(0)" in once
        assert fix_text(tmp, once) == once
