"""New long lines are split as black would (``codemods.line_length``); old ones are kept."""

from __future__ import annotations

import libcst as cst
import pytest

from asyncify.codemods.line_length import wrap_long_lines


def wrapped(original: str, new: str, limit: int = 40) -> str:
    return wrap_long_lines(cst.parse_module(new), original, limit).code


CALL = "x = await asyncio.to_thread(fetch, url, timeout=5)\n"


def test_a_short_line_is_left_alone() -> None:
    assert wrapped("", CALL, limit=88) == CALL


def test_arguments_hug_then_explode() -> None:
    assert wrapped("", CALL, limit=48) == "x = await asyncio.to_thread(\n    fetch, url, timeout=5\n)\n"
    assert wrapped("", CALL, limit=20) == "x = await asyncio.to_thread(\n    fetch,\n    url,\n    timeout=5,\n)\n"


def test_a_line_the_file_already_had_is_kept() -> None:
    assert wrapped(CALL, CALL, limit=20) == CALL


def test_while_header_and_crlf() -> None:
    new = "while await asyncio.to_thread(os.path.exists, lock_path):\r\n    pass\r\n"
    assert wrapped("", new) == (
        "while await asyncio.to_thread(\r\n    os.path.exists, lock_path\r\n):\r\n    pass\r\n"
    )


def test_nested_block_indentation_counts() -> None:
    new = "class A:\n    def f(self):\n        return await asyncio.to_thread(g, aaaa)\n"
    assert wrapped("", new, limit=44) == (
        "class A:\n    def f(self):\n        return await asyncio.to_thread(\n            g, aaaa\n        )\n"
    )


@pytest.mark.parametrize(
    "new",
    [
        'f"{await asyncio.to_thread(os.path.getsize, path)} bytes"\n',  # inside an f-string, alone
        "x = compute_something_long(argument_one, argument_two)\n",  # no grown call
        "def f():\n    return 1; return await asyncio.to_thread(os.remove, path_name)\n",  # two statements
    ],
)
def test_what_is_never_split(new: str) -> None:
    assert wrapped("", new) == new


def test_a_call_around_an_f_string_is_opened_instead_of_the_string() -> None:
    new = 'print(f"{await asyncio.to_thread(os.path.getsize, path)} bytes")\n'
    assert wrapped("", new) == 'print(\n    f"{await asyncio.to_thread(os.path.getsize, path)} bytes"\n)\n'


def test_a_method_chain_is_laid_out_fluent_as_black_and_ruff_do() -> None:
    new = "out = (await asyncio.to_thread(run, cmd)).strip().decode()\n"
    assert wrapped("", new, limit=48) == (
        "out = (\n    (await asyncio.to_thread(run, cmd))\n    .strip()\n    .decode()\n)\n"
    )
    assert wrapped("", new, limit=30) == (
        "out = (\n    (\n        await asyncio.to_thread(\n            run, cmd\n        )\n    )\n"
        "    .strip()\n    .decode()\n)\n"
    )
    one_dot = "out = (await asyncio.to_thread(run, cmd, check=True)).stdout\n"
    assert wrapped("", one_dot, limit=49) == (
        "out = (\n    await asyncio.to_thread(run, cmd, check=True)\n).stdout\n"
    )


def test_a_ternary_gets_the_parentheses_black_and_ruff_give_it() -> None:
    new = "value = a(c) if c else await asyncio.to_thread(get, c)\n"
    hugged = "value = (\n    a(c) if c else await asyncio.to_thread(get, c)\n)\n"
    assert wrapped("", new, limit=50) == hugged
    exploded = "value = (\n    a(c)\n    if c\n    else await asyncio.to_thread(get, c)\n)\n"
    assert wrapped("", new, limit=49) == exploded
    one_or = "x = (aa and bb) or await asyncio.to_thread(get, c)\n"
    assert wrapped("", one_or, limit=48) == "x = (aa and bb) or await asyncio.to_thread(\n    get, c\n)\n"


def test_a_partial_the_offload_takes_is_opened_next() -> None:
    new = "result = await anyio.to_thread.run_sync(functools.partial(build, flow=flow, run=run))\n"
    assert wrapped("", new, limit=60) == (
        "result = await anyio.to_thread.run_sync(\n"
        "    functools.partial(build, flow=flow, run=run)\n)\n"
    )
    assert wrapped("", new, limit=44) == (
        "result = await anyio.to_thread.run_sync(\n"
        "    functools.partial(\n        build, flow=flow, run=run\n    )\n)\n"
    )


def test_a_with_item_that_grew_is_split_before_as() -> None:
    new = "async def f():\n    with await asyncio.to_thread(opener, path, mode) as handle:\n        pass\n"
    assert wrapped("", new, limit=48) == (
        "async def f():\n    with await asyncio.to_thread(\n"
        "        opener, path, mode\n    ) as handle:\n        pass\n"
    )


def test_result_compiles() -> None:
    code = wrapped("", "async def f():\n    return [await asyncio.to_thread(g, p) for p in paths if p]\n")
    compile(code, "<test>", "exec")
    assert code.count("\n") > 2


def test_a_display_with_commas_is_exploded_at_once() -> None:
    new = 'return {"a": await asyncio.to_thread(f, x), "b": 2}\n'
    assert wrapped("", new, limit=44) == 'return {\n    "a": await asyncio.to_thread(f, x),\n    "b": 2,\n}\n'


def test_in_a_statement_already_over_lines_the_call_splits_on_its_own_line() -> None:
    new = "x = (\n    await asyncio.to_thread(self.normalise, user_input[KEY])\n)\n"
    assert wrapped("", new, limit=50) == (
        "x = (\n    await asyncio.to_thread(\n        self.normalise, user_input[KEY]\n    )\n)\n"
    )
