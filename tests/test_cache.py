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


def cache_files(tree: Path) -> list[Path]:
    return [p for p in (tree / CACHE_DIR).iterdir() if p.name != ".gitignore"]


def test_corrupt_or_foreign_cache_files_are_ignored(tree: Path) -> None:
    expected = check(tree)
    assert {p.suffix for p in cache_files(tree)} == {".index", ".blobs", ".pickle"}
    for cached in cache_files(tree):
        cached.write_bytes(b"\x00garbage")
    assert check(tree) == expected
    for cached in cache_files(tree):
        cached.write_bytes(b"x" * 32 + pickle.dumps(("not", "signed")))
    assert check(tree) == expected


def test_a_tampered_blob_is_never_decoded(tree: Path) -> None:
    # The index is signed and holds each blob's digest: blob bytes swapped for a
    # pickle that would run code are refused, and the file is scanned again.
    expected = check(tree)
    (tree / "m3.py").write_text("x = 1\n")  # the tree changed: no whole-result hit
    for blobs in (tree / CACHE_DIR).glob("*.blobs"):
        blobs.write_bytes(b"cos\nsystem\n(S'exit 3'\ntR." * 100)
    assert check(tree) == expected


def test_concurrent_runs_never_see_a_torn_cache(tree: Path) -> None:
    expected = check(tree)
    (tree / "m1.py").write_text(SOURCE.replace("sleep(1)", "sleep(2)"))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: check(tree), range(8)))
    assert all(r == expected for r in results)
    leftovers = [p.name for p in (tree / CACHE_DIR).iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_a_file_error_is_not_served_to_an_interpreter_that_can_parse_it(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 10: a run on an interpreter that rejects m1.py (as 3.11 rejects 3.12 syntax)
    # must not answer a later run on one that parses it.
    import ast as real_ast

    import asyncify.scan.cache as cache_module
    import asyncify.scan.worker as worker_module

    real_parse = worker_module.parse_module

    def older_parse(text: str, filename: str = "<unknown>") -> real_ast.Module:
        if "m1" in filename:
            raise SyntaxError("invalid syntax", ("m1.py", 4, 5, ""))
        return real_parse(text, filename=filename)

    with monkeypatch.context() as older:
        older.setattr(worker_module, "parse_module", older_parse)
        older.setattr(cache_module.sys, "version", "3.11.7 (an older interpreter)")
        result = run_check([tree], Config(), jobs=1)
        assert [e.path for e in result.errors] == ["m1.py"]
    result = run_check([tree], Config(), jobs=1)
    assert result.errors == []
    assert [(f.path, f.code) for f in result.findings] == [
        ("m0.py", "AFY110"),
        ("m1.py", "AFY110"),
        ("m2.py", "AFY110"),
    ]


def test_any_configuration_change_misses_the_whole_result(tree: Path) -> None:
    run_check([tree], Config(), jobs=1)
    assert run_check([tree], Config(), jobs=1).summaries == []
    changed = run_check([tree], Config(target_version=(3, 8)), jobs=1)
    assert changed.summaries != [], "a result cached for another configuration was served"


def test_checking_one_file_keeps_the_project_result(tree: Path) -> None:
    run_check([tree], Config(), jobs=1)
    one = run_check([tree / "m1.py"], Config(), jobs=1)
    assert [(f.path, f.code) for f in one.findings] == [("m1.py", "AFY110")]
    assert run_check([tree], Config(), jobs=1).summaries == [], "the project's result was evicted"


def test_caches_of_old_keys_are_removed(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each interpreter and each edit of an asyncify checkout has its own key: the cache
    # directory keeps the most recent few, not one 30 MB pair per key forever.
    import asyncify.scan.cache as cache_module

    for version in range(7):
        monkeypatch.setattr(cache_module.sys, "version", f"3.{version}.0 (fake)")
        check(tree)
    indexes = list((tree / CACHE_DIR).glob("scan-*.index"))
    blobs = list((tree / CACHE_DIR).glob("scan-*.blobs"))
    assert len(indexes) == cache_module._SCAN_CACHES_KEPT
    assert sorted(p.name.split(".")[0] for p in blobs) == sorted(p.name.split(".")[0] for p in indexes)


def test_the_codec_round_trips_every_summary_field(tmp_path: Path) -> None:
    import dataclasses

    from asyncify.scan import codec
    from asyncify.scan.result import ScanFailed, Scanned
    from asyncify.scan.summary import ModuleSummary

    assert tuple(f.name for f in dataclasses.fields(ModuleSummary)) == codec.MODULE_FIELDS, "update the codec"
    root = Path(__file__).resolve().parent.parent
    result = run_check([root / "golden", root / "examples"], Config(cache=False), jobs=1)
    assert len(result.summaries) > 50
    kinds = {site.kind for s in result.summaries for f in s.functions for site in f.calls}
    from asyncify.scan.summary import CallKind

    assert kinds == set(CallKind), "the sample must exercise every call kind"
    for summary in result.summaries:
        assert codec.decode(codec.encode(Scanned(summary))) == Scanned(summary)
    assert codec.decode(codec.encode(ScanFailed("a.py", "syntax error"))) == ScanFailed("a.py", "syntax error")
