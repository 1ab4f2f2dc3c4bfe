"""The ``extract`` strategy: a ``with`` block moved to a nested function run in a thread.

The golden cases (``golden/fix/extract/``) fix the output text; here the rewritten code is
also *run*: input and expected are executed in fresh namespaces and their coroutines give
the same result on the same files. The rest pins the scope rules (which names get
``nonlocal``, which blocks are refused) and how extract composes with other edits.
"""

from __future__ import annotations

import ast
import asyncio
import csv
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asyncify.rewrite import Edit, RewriteOptions, RewriteOutcome, rewrite_module
from asyncify.scan.summary import Span

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "fix" / "extract"


def edits_for(source: str, strategies: dict[str, str] | None = None) -> list[Edit]:
    """An ``extract`` edit for every ``open(...)`` call (others by callee, if given)."""
    targets = {"open": "extract", **(strategies or {})}
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in targets:
            assert node.end_lineno is not None and node.end_col_offset is not None
            span = Span(node.lineno, node.col_offset + 1, node.end_lineno, node.end_col_offset + 1)
            found.append((span, targets[ast.unparse(node.func)]))
    found.sort(key=lambda item: (item[0].line, item[0].column))
    return [Edit(span, strategy, key) for key, (span, strategy) in enumerate(found)]


def extract(source: str, **options: Any) -> RewriteOutcome:
    return rewrite_module(source, edits_for(source), RewriteOptions(**options))


def applied(source: str, **options: Any) -> str:
    outcome = extract(source, **options)
    assert not outcome.refused, outcome.refused
    compile(outcome.source, "<extract>", "exec", dont_inherit=True)
    return outcome.source


def refusal(source: str) -> str:
    outcome = extract(source)
    assert outcome.source == source
    (reason,) = set(outcome.refused.values())
    return reason


# -- behaviour: the golden cases run -------------------------------------------------


def run(code: str, call: Callable[[dict[str, Any]], Any]) -> Any:
    namespace: dict[str, Any] = {"__name__": "golden_case"}
    exec(compile(code, "<golden>", "exec", dont_inherit=True), namespace)
    return asyncio.run(call(namespace))


def same_behaviour(case: str, call: Callable[[dict[str, Any]], Any]) -> Any:
    before = run((GOLDEN / case / "input.py").read_text(encoding="utf-8"), call)
    after_code = (GOLDEN / case / "expected.py").read_text(encoding="utf-8")
    assert "to_thread" in after_code
    after = run(after_code, call)
    assert after == before
    return after


def test_hash_loop_digests_the_same(tmp_path: Path) -> None:
    data = bytes(range(256)) * 100  # several 4096-byte chunks
    (tmp_path / "blob").write_bytes(data)
    result = same_behaviour("hash_loop", lambda ns: ns["digest"](tmp_path / "blob"))
    assert result == hashlib.sha256(data).hexdigest()


def test_csv_rows_are_collected_the_same(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([["a", "1"], [], ["b", "2"]])
    assert same_behaviour("csv_rows", lambda ns: ns["load_rows"](path)) == [["a", "1"], ["b", "2"]]


def test_values_written_back_with_nonlocal(tmp_path: Path) -> None:
    (tmp_path / "blob").write_bytes(b"x" * 1000)
    digest, size = same_behaviour("nonlocal_value", lambda ns: ns["checksum"](tmp_path / "blob"))
    assert (digest, size) == (hashlib.sha256(b"x" * 1000).hexdigest(), 1000)


def test_method_sets_attributes_on_self(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("a,1\n\nb,2\n")

    async def load(ns: dict[str, Any]) -> tuple[int, list[list[str]], bool]:
        table = ns["Table"]()
        count = await table.load(path)
        return count, table.rows, table.loaded

    assert same_behaviour("method", load) == (2, [["a", "1"], ["b", "2"]], True)


def test_two_blocks_copy_and_count(tmp_path: Path) -> None:
    src, dst = tmp_path / "src.csv", tmp_path / "dst.csv"
    src.write_text("a,1\nb,2\nc,3\n")
    assert same_behaviour("two_blocks", lambda ns: ns["copy_rows"](src, dst)) == 3
    assert dst.read_bytes() == b"a,1\r\nb,2\r\nc,3\r\n"


def test_the_block_runs_in_a_worker_thread(tmp_path: Path) -> None:
    source = (
        "import threading\n\n"
        "async def where(path):\n"
        "    name = None\n"
        "    with open(path) as f:\n"
        "        keep = [f]\n"
        "        name = threading.current_thread().name\n"
        "    return name\n"
    )
    (tmp_path / "x").write_text("")
    outcome = run(applied(source), lambda ns: ns["where"](tmp_path / "x"))
    assert outcome != "MainThread"


# -- names: local, nonlocal, global, refused -----------------------------------------


def test_handle_and_loop_variables_stay_local() -> None:
    source = (
        "async def f(a, b):\n"
        "    for line in a:\n"
        "        print(line)\n"
        "    with open(a) as f:\n"
        "        keep(f)\n"
        "        for line in f:\n"
        "            print(line)\n"
        "    with open(b) as f:\n"
        "        keep(f)\n"
        "    return [line for line in b]\n"
    )
    out = applied(source)
    assert "nonlocal" not in out
    assert "def _read_a() -> None:" in out and "def _read_b() -> None:" in out


def test_name_set_before_and_read_after_is_nonlocal() -> None:
    source = (
        "async def f(a, b):\n"
        "    data = None\n"
        "    with open(a) as f:\n"
        "        data = parse(f)\n"
        "    with open(b) as g:\n"
        "        data = merge(data, g)\n"
        "    return data\n"
    )
    out = applied(source)
    assert out.count("nonlocal data") == 2


def test_augmented_name_and_parameter_are_nonlocal() -> None:
    out = applied(
        "async def f(path, n=0):\n"
        "    with open(path) as fh:\n"
        "        keep(fh)\n"
        "        n += 1\n"
        "        path = None\n"
        "    return n\n"
    )
    assert "        nonlocal n, path\n" in out


def test_global_declaration_is_repeated() -> None:
    out = applied("async def f(p):\n    global cache\n    with open(p) as fh:\n        cache = load(fh)\n")
    assert "    def _read_cache() -> None:\n        global cache\n" in out


def test_nonlocal_declaration_of_the_enclosing_function_is_repeated() -> None:
    source = (
        "def outer():\n"
        "    seen = 0\n"
        "    async def f(p):\n"
        "        nonlocal seen\n"
        "        with open(p) as fh:\n"
        "            seen = count(fh)\n"
        "    return f\n"
    )
    assert "            nonlocal seen\n" in applied(source)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "    with open(p) as fh:\n        rows = list(fh)\n    return rows\n",
            "`rows` is first bound inside the block and used outside it",
        ),
        (
            "    def show():\n        return rows\n    with open(p) as fh:\n        rows = list(fh)\n    show()\n",
            "`rows` is first bound inside the block and used outside it",
        ),
        (
            "    for q in p:\n        with open(q) as fh:\n            keep(fh, last)\n            last = fh\n",
            "`last` is read inside the block before the block binds it",
        ),
        (
            "    n = 0\n    with open(p) as fh:\n        n: int = len(fh)\n    return n\n",
            "`n` is annotated inside the block, so it cannot be declared nonlocal",
        ),
    ],
)
def test_names_crossing_the_edge_without_a_binding_are_refused(body: str, reason: str) -> None:
    assert refusal("async def f(p):\n" + body) == reason


def test_a_later_binding_hides_the_block_value() -> None:
    out = applied(
        "async def f(p):\n"
        "    with open(p) as fh:\n"
        "        rows = list(fh)\n"
        "        keep(rows)\n"
        "    rows = []\n"
        "    return rows\n"
    )
    assert "nonlocal" not in out


def test_a_value_seen_by_the_next_iteration_is_nonlocal() -> None:
    out = applied(
        "async def f(paths):\n"
        "    last = None\n"
        "    for p in paths:\n"
        "        use(last)\n"
        "        with open(p) as fh:\n"
        "            last = read(fh)\n"
    )
    assert "nonlocal last" in out


# -- control flow and frame-sensitive code -------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("        await g(fh)\n", "the block contains `await`"),
        ("        return g(fh)\n", "the block contains `return`"),
        ("        yield g(fh)\n", "the block contains `yield`"),
        ("        async with g(fh):\n            pass\n", "the block contains `async with`"),
        ("        x = [y async for y in g(fh)]\n", "the block contains an async comprehension"),
        ("        for y in fh:\n            pass\n        else:\n            break\n", "`break` would leave the block"),
        ("        global g\n        g = fh\n", "the block declares `global g`"),
        ("        print(vars())\n", "the block calls `vars()`, which would see the new function's variables"),
        ("        eval('fh')\n", "the block calls `eval()`, which would see the new function's variables"),
    ],
)
def test_control_flow_that_cannot_move_is_refused(body: str, reason: str) -> None:
    inner = "".join("    " + line for line in body.splitlines(keepends=True))
    assert refusal("async def f(paths):\n    for p in paths:\n        with open(p) as fh:\n" + inner) == reason


def test_what_nested_functions_and_loops_contain_is_theirs() -> None:
    out = applied(
        "async def f(p):\n"
        "    with open(p) as fh:\n"
        "        def inner():\n"
        "            return 1\n"
        "        async def later():\n"
        "            await g()\n"
        "        for line in fh:\n"
        "            if line:\n"
        "                break\n"
        "            continue\n"
        "        print(vars(fh))\n"
    )
    assert "await asyncio.to_thread(_read_file)" in out


def test_not_a_with_item_or_already_async_is_refused() -> None:
    assert refusal("async def f(p):\n    data = open(p)\n") == "the call is not the context manager of a with statement"
    already = "async def f(p):\n    async with open(p) as fh:\n        pass\n"
    assert refusal(already) == "the with statement is already async"


# -- layout, naming, backends --------------------------------------------------------


def test_single_line_block_and_taken_name() -> None:
    source = "_read_file = 1\n\nasync def f(p):\n    with open(p) as fh: keep(fh)\n"
    out = applied(source)
    assert "    def _read_file_2() -> None:\n        with open(p) as fh: keep(fh)\n" in out


@pytest.mark.parametrize(
    ("options", "call"),
    [
        ({"backend": "trio"}, "await trio.to_thread.run_sync(_read_file)"),
        ({"backend": "anyio"}, "await anyio.to_thread.run_sync(_read_file)"),
        ({"target_version": (3, 8)}, "await asyncio.get_running_loop().run_in_executor(None, _read_file)"),
    ],
)
def test_backends(options: dict[str, Any], call: str) -> None:
    assert call in applied("async def f(p):\n    with open(p) as fh:\n        keep(fh)\n", **options)


# -- composition with other edits ----------------------------------------------------


def test_edits_run_by_the_block_are_absorbed_and_nested_coroutines_keep_theirs() -> None:
    source = (
        "import time\n\n"
        "async def f(p):\n"
        "    with open(p) as fh:\n"
        "        time.sleep(1)\n"
        "        async def later():\n"
        "            time.sleep(2)\n"
        "        keep(fh, later)\n"
    )
    outcome = rewrite_module(source, edits_for(source, {"time.sleep": "sleep"}), RewriteOptions())
    assert outcome.applied == (0, 1, 2) and not outcome.refused
    assert "            time.sleep(1)\n" in outcome.source
    assert "                await asyncio.sleep(2)\n" in outcome.source


def test_aiofiles_on_an_enclosing_block_is_refused_not_broken() -> None:
    source = (
        "async def f(p, q):\n"
        "    with open(p) as f:\n"
        "        with open(q) as g:\n"
        "            keep(g)\n"
        "            for line in f:\n"
        "                pass\n"
    )
    edits = edits_for(source)
    edits[0] = Edit(edits[0].span, "aiofiles", edits[0].key)
    outcome = rewrite_module(source, edits, RewriteOptions())
    assert outcome.refused == {0: "overlaps another edit"}
    assert outcome.applied == (1,)
    compile(outcome.source, "<extract>", "exec", dont_inherit=True)


def test_an_extracted_block_absorbs_the_blocks_inside_it() -> None:
    source = (
        "async def f(p, q):\n    with open(p) as f:\n        keep(f)\n        with open(q) as g:\n            keep(g)\n"
    )
    outcome = extract(source)
    assert outcome.applied == (0, 1)
    assert outcome.source.count("def _read_file") == 1


# -- the extracted function reads as hand-written ----------------------------------


@pytest.mark.parametrize(
    ("function", "opened", "name"),
    [
        ("save", 'open(report_path, "w")', "_write_report"),
        ("save", "open(self.cache_file, 'ab')", "_append_cache"),
        ("save", 'open(root / "index.json", mode="x")', "_create_index"),
        ("save", "open(path, 'r+b')", "_update_file"),
        ("write_report", "open(path, 'w')", "_write_report"),
        ("f", "open(Path(base).with_suffix('.toml'))", "_read_base"),
        ("f", "open(os.path.join(folder, 'notes.txt'))", "_read_notes"),
        ("f", "open(p, mode)", "_open_file"),
    ],
)
def test_names_come_from_the_block(function: str, opened: str, name: str) -> None:
    parameters = "self, p, path, root, base, folder, mode, report_path"
    source = f"import os\n\nasync def {function}({parameters}):\n    with {opened} as fh:\n        keep(fh)\n"
    out = applied(source)
    assert f"    def {name}() -> None:\n" in out and f"await asyncio.to_thread({name})" in out


def test_blank_lines_around_the_definition() -> None:
    source = "async def f(p):\n    x = 1\n    # read it\n    with open(p) as fh:\n        keep(fh)\n    return x\n"
    assert applied(source) == (
        "import asyncio\n\n\nasync def f(p):\n    x = 1\n\n    # read it\n    def _read_file() -> None:\n"
        "        with open(p) as fh:\n            keep(fh)\n\n    await asyncio.to_thread(_read_file)\n    return x\n"
    )
