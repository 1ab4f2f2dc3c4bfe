"""Merging a run-time report into the static findings (``asyncify.runtime.merge``).

Reports are built by hand here, so each rule is tested on its own: confirming by span,
by the callee of a lazy iterator, by the ``open`` of a file read later; AFY300 for what
only the run saw (fixable by ``wrap`` or not, and why); statuses of what was not seen;
entries located again after an edit, or dropped with a note when the call is gone; a
report used from another checkout.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from asyncify.api import config_for, run_check
from asyncify.runtime.api import merge_check
from asyncify.runtime.document import CallSite, Chain, FileRecord, Frame, RuntimeReport
from asyncify.runtime.mapping import text_digest
from asyncify.runtime.merge import RuntimeMerge, Status

SOURCE = """\
import time
from pathlib import Path

from vendor import fetch, stream


async def handler(root: Path):
    data = fetch(root)
    items = root.glob("*.txt")
    for item in items:
        print(item)
    with open(root / "x") as handle:
        text = handle.read()
    time.sleep(0.1)
    return data, text


async def waits():
    return await stream()


async def idle(root: Path):
    return root.exists()
"""
LINES = SOURCE.splitlines()

LIBRARY = Frame("vendor.fetch", "/site/vendor/__init__.py", 12, False, 10)
LIBRARY_INNER = Frame("vendor._read", "/site/vendor/__init__.py", 20, False, 18)


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "pyproject.toml").write_text("[tool.asyncify]\n", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "app" / "mod.py").write_text(SOURCE, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def site(line: int, text: str, function: str = "handler", **changes: object) -> CallSite:
    """A call site at ``text`` on ``line`` of SOURCE (the span computed, as the plugin would)."""
    column = LINES[line - 1].index(text) + 1 if line <= len(LINES) and text in LINES[line - 1] else 1
    values: dict[str, object] = dict(
        path="app/mod.py",
        module="app.mod",
        function=function,
        line=line,
        column=column,
        end_line=line,
        end_column=column + len(text),
        text=text,
        awaited=False,
        count=2,
        tests=("tests/test_mod.py::test_a",),
        chains=(Chain("socket.socket.recv", 2, (LIBRARY, LIBRARY_INNER)),),
    )
    values.update(changes)
    return CallSite(**values)  # type: ignore[arg-type]


def report_for(root: Path, *sites: CallSite, exercised: tuple[int, ...] = (), traced: bool = True) -> RuntimeReport:
    text = (root / "app" / "mod.py").read_text(encoding="utf-8")
    return RuntimeReport(
        root=str(root),
        tests=3,
        lines_traced=traced,
        files={"app/mod.py": FileRecord(text_digest(text), exercised if traced else None)},
        call_sites=sites,
    )


def merged(root: Path, report: RuntimeReport, select: str | None = None) -> RuntimeMerge:
    config = config_for([Path(".")]).with_overrides(cache=False, select=(select,) if select else None)
    result = run_check([Path(".")], config, want_summaries=True)
    return merge_check(result, report, root / "r.json", config)


def by_call(merge: RuntimeMerge) -> dict[str, Status]:
    found = {}
    for finding in merge.findings:
        info = merge.info_for(finding)
        assert info is not None
        found[finding.call] = info.status
    return found


def test_a_call_seen_blocking_only_at_run_time_is_afy300(tree: Path) -> None:
    merge = merged(tree, report_for(tree, site(8, "fetch(root)")))
    [observed] = [f for f in merge.findings if f.code == "AFY300"]
    assert (observed.span.line, observed.span.column, observed.call) == (8, 12, "vendor.fetch")
    assert observed.fixable and observed.strategies == ("wrap",)
    assert [link.function for link in observed.chain] == ["vendor.fetch", "socket.socket.recv"]
    assert (observed.chain[0].line, observed.chain[1].line) == (10, 20), (
        "defined at; then where the primitive is called"
    )
    info = merge.info_for(observed)
    assert info is not None and (info.status, info.count, info.tests) == (
        Status.OBSERVED,
        2,
        ("tests/test_mod.py::test_a",),
    )


def test_confirmed_by_the_same_span(tree: Path) -> None:
    sleep = site(14, "time.sleep(0.1)", chains=(Chain("time.sleep", 1, ()),))
    statuses = by_call(merged(tree, report_for(tree, sleep, exercised=(8, 9, 10, 12, 13, 14))))
    assert statuses["time.sleep"] is Status.CONFIRMED
    assert "AFY300" not in {f.code for f in merged(tree, report_for(tree, sleep)).findings}


def test_a_lazy_iterator_is_confirmed_where_it_is_created(tree: Path) -> None:
    glob = Frame("pathlib.Path.glob", "/usr/lib/python3/pathlib.py", 950, False, 940)
    iterating = site(10, "items", chains=(Chain("os.scandir", 1, (glob,)),))
    statuses = by_call(merged(tree, report_for(tree, iterating)))
    assert statuses["pathlib.Path.glob"] is Status.CONFIRMED
    assert "vendor.fetch" not in statuses


def test_a_read_confirms_the_handle_finding_else_the_open(tree: Path) -> None:
    """The handle's read is a static finding of its own (AFY108) and confirms itself;
    where that rule is not selected, the read confirms the ``open`` before it."""
    read = site(13, "handle.read()", chains=(Chain("io.TextIOWrapper.read", 1, ()),))
    statuses = by_call(merged(tree, report_for(tree, read)))
    assert (statuses["typing.IO.read"], statuses["open"]) == (Status.CONFIRMED, Status.NOT_EXERCISED)
    statuses = by_call(merged(tree, report_for(tree, read), select="AFY101"))
    assert statuses == {"open": Status.CONFIRMED}, "no AFY300 for the read itself"


def test_blocking_inside_an_awaited_coroutine_is_not_fixable(tree: Path) -> None:
    awaited = site(
        19,
        "stream()",
        function="waits",
        awaited=True,
        chains=(Chain("time.sleep", 1, (Frame("vendor.stream", "/site/v.py", 3, False, 1),)),),
    )
    [observed] = [f for f in merged(tree, report_for(tree, awaited)).findings if f.code == "AFY300"]
    assert not observed.fixable
    assert observed.not_fixable is not None and "awaited coroutine `vendor.stream`" in observed.not_fixable


def test_not_exercised_exercised_and_unknown(tree: Path) -> None:
    statuses = by_call(merged(tree, report_for(tree, exercised=(8, 9, 14, 23))))
    assert statuses["time.sleep"] is Status.EXERCISED, "line 14 ran, nothing blocked there"
    assert statuses["pathlib.Path.exists"] is Status.EXERCISED
    assert statuses["open"] is Status.NOT_EXERCISED, "line 12 never ran"
    untraced = by_call(merged(tree, report_for(tree, traced=False)))
    assert set(untraced.values()) == {Status.UNKNOWN}


def test_an_edit_that_moves_the_call_is_followed(tree: Path) -> None:
    report = report_for(tree, site(8, "fetch(root)"))
    module = tree / "app" / "mod.py"
    module.write_text("# a new first line\n" + SOURCE, encoding="utf-8")
    merge = merged(tree, report)
    [observed] = [f for f in merge.findings if f.code == "AFY300"]
    assert (observed.span.line, observed.span.column) == (9, 12)
    assert merge.dropped == []
    statuses = by_call(merge)
    assert statuses["time.sleep"] is Status.UNKNOWN, "the file changed: exercised lines no longer apply"


def test_a_call_that_is_gone_is_dropped_with_a_note(tree: Path) -> None:
    report = report_for(tree, site(8, "fetch(root)"), site(9, "x()", function="vanished"))
    module = tree / "app" / "mod.py"
    module.write_text(
        SOURCE.replace("data = fetch(root)", "data = await asyncio.to_thread(fetch, root)"), encoding="utf-8"
    )
    merge = merged(tree, report)
    assert "AFY300" not in {f.code for f in merge.findings}
    reasons = sorted(d.reason for d in merge.dropped)
    assert reasons == [
        "`vanished` is no longer in the file",
        "the file changed since the run and `fetch(root)` is no longer in `handler`",
    ]
    module.unlink()
    gone = merged(tree, report)
    assert [d.reason for d in gone.dropped] == ["the file no longer exists"] * 2


def test_selection_and_suppression_apply_to_afy300(tree: Path) -> None:
    report = report_for(tree, site(8, "fetch(root)"))
    assert "AFY300" not in {f.code for f in merged(tree, report, select="AFY1").findings}
    module = tree / "app" / "mod.py"
    module.write_text(
        SOURCE.replace("data = fetch(root)", "data = fetch(root)  # asyncify: ignore[AFY300]"), encoding="utf-8"
    )
    assert "AFY300" not in {f.code for f in merged(tree, report_for(tree, site(8, "fetch(root)"))).findings}


def test_a_report_from_another_checkout(tree: Path) -> None:
    elsewhere = report_for(tree, site(8, "fetch(root)"))
    moved = RuntimeReport(**{**elsewhere.__dict__, "root": "/ci/build/checkout"})
    merge = merged(tree, moved)
    assert merge.root == tree
    assert "AFY300" in {f.code for f in merge.findings}


def test_sites_in_files_this_run_does_not_check_are_counted(tree: Path) -> None:
    (tree / "other.py").write_text("async def f():\n    pass\n", encoding="utf-8")
    report = report_for(tree, site(8, "fetch(root)"), site(2, "pass", function="f", path="other.py"))
    config = config_for([Path("app")]).with_overrides(cache=False)
    merge = merge_check(run_check([Path("app")], config, want_summaries=True), report, tree / "r.json", config)
    assert merge.outside == 1 and merge.dropped == []
