"""The scan cache: warm runs reuse results, changes are seen, corruption is harmless."""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from asyncify.api import run_check
from asyncify.config import Config
from asyncify.scan.cache import CACHE_DIR

SOURCE = "import time\n\nasync def f():\n    time.sleep(1)\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # The files here are milliseconds old, too recent for their stamps to prove anything
    # (the racy rule, tested in tests/safety/test_cache_freshness.py); these tests are
    # about reuse, so treat every stamp as old enough.
    monkeypatch.setattr("asyncify.scan.cache.RACY_NS", 0)
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(SOURCE)
    return tmp_path


def check(tree: Path) -> list[tuple[str, int, str]]:
    result = run_check([tree], Config(), jobs=1)
    return [(f.path, f.span.line, f.code) for f in result.findings]


def test_warm_run_equals_cold_and_skips_scanning(tree: Path) -> None:
    cold = check(tree)
    assert cold == [("m0.py", 4, "AFY110"), ("m1.py", 4, "AFY110"), ("m2.py", 4, "AFY110")]
    assert (tree / CACHE_DIR / ".gitignore").exists()
    warm = run_check([tree], Config(), jobs=1)
    assert [(f.path, f.span.line, f.code) for f in warm.findings] == cold
    assert warm.summaries == [], "an unchanged tree is answered from the result cache"


def test_a_changed_file_is_rescanned(tree: Path) -> None:
    check(tree)
    (tree / "m1.py").write_text("async def f():\n    pass\n")
    assert check(tree) == [("m0.py", 4, "AFY110"), ("m2.py", 4, "AFY110")]
    (tree / "m3.py").write_text(SOURCE)
    assert [p for p, _, _ in check(tree)] == ["m0.py", "m2.py", "m3.py"]


def test_same_content_with_new_mtime_is_reused(tree: Path) -> None:
    check(tree)
    os.utime(tree / "m0.py", ns=(1, 1))
    assert [p for p, _, _ in check(tree)] == ["m0.py", "m1.py", "m2.py"]


def test_corrupt_or_foreign_cache_files_are_ignored(tree: Path) -> None:
    expected = check(tree)
    for cached in (tree / CACHE_DIR).glob("*.pickle"):
        cached.write_bytes(b"\x00garbage")
    assert check(tree) == expected
    for cached in (tree / CACHE_DIR).glob("*.pickle"):
        cached.write_bytes(b"x" * 32 + pickle.dumps(("not", "signed")))
    assert check(tree) == expected


def test_concurrent_runs_never_see_a_torn_cache(tree: Path) -> None:
    expected = check(tree)
    (tree / "m1.py").write_text(SOURCE.replace("sleep(1)", "sleep(2)"))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: check(tree), range(8)))
    assert all(r == expected for r in results)
    leftovers = [p.name for p in (tree / CACHE_DIR).iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []
