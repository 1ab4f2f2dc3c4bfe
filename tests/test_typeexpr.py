"""Types as strings (``scan.typeexpr``): element types through iteration, subscripts and
container methods, and what ``await`` gives."""

from __future__ import annotations

from asyncify.scan.typeexpr import awaited, container_method, coroutine, defer, element, split, subscript

PATH = "pathlib.Path"
MAPPING = f"builtins.dict[builtins.str,{PATH}]"


def test_split_keeps_nested_arguments_whole() -> None:
    assert split(f"builtins.dict[builtins.str,builtins.list[{PATH}]]") == (
        "builtins.dict",
        ["builtins.str", f"builtins.list[{PATH}]"],
    )
    assert split(PATH) == (PATH, [])


def test_elements() -> None:
    assert element(f"builtins.list[{PATH}]") == PATH
    assert element(f"collections.abc.Iterator[{PATH}]") == PATH
    assert element(MAPPING) == "builtins.str"
    assert element(f"builtins.tuple[{PATH},...]") == PATH
    assert element(f"builtins.tuple[builtins.int,{PATH}]") is None
    assert element(PATH) is None


def test_subscripts() -> None:
    assert subscript(MAPPING, None) == PATH
    assert subscript(f"builtins.tuple[builtins.int,{PATH}]", 1) == PATH
    assert subscript(f"builtins.tuple[builtins.int,{PATH}]", 0) == "builtins.int"
    assert subscript(f"builtins.tuple[builtins.int,{PATH}]", 2) is None
    assert subscript(f"builtins.list[{PATH}]", 3) == PATH
    assert subscript(f"builtins.set[{PATH}]", 0) is None
    assert subscript("builtins.dict[builtins.str,builtins.object]", None) is None


def test_container_methods() -> None:
    items = container_method(MAPPING, "items")
    assert items is not None
    pair = element(items)
    assert pair is not None and subscript(pair, 1) == PATH
    values = container_method(MAPPING, "values")
    assert values is not None and element(values) == PATH
    assert container_method(MAPPING, "get") == PATH
    assert container_method(MAPPING, "update") is None


def test_await_unwraps_coroutines_only() -> None:
    assert awaited(coroutine(MAPPING)) == MAPPING
    assert awaited(f"typing.Awaitable[{PATH}]") == PATH
    assert awaited(PATH) is None


def test_deferred_chains_are_bounded() -> None:
    typed: str | None = "?call:pkg.f"
    for _ in range(8):
        assert typed is not None
        typed = defer(typed, "iter")
    assert typed is not None and typed.count("|iter") == 8
    assert defer(typed, "iter") is None
