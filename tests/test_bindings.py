"""The name-binding analysis ``extract`` relies on (``asyncify.codemods.bindings``).

Each function is checked on small snippets: what a statement binds in its own scope,
what code reads (nested scopes give their free names; comprehension variables are their
own), and which reads are not certainly preceded by a binding.
"""

from __future__ import annotations

import libcst as cst
import pytest

from asyncify.codemods.bindings import (
    Flow,
    all_names,
    bindings,
    parameter_names,
    reads,
    scope_reads,
    target_names,
    target_reads,
)


def statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code)


def expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


@pytest.mark.parametrize(
    ("code", "bound"),
    [
        ("a = b = 1", ["a", "b"]),
        ("a, (b, *c) = x", ["a", "b", "c"]),
        ("x.y = 1", []),
        ("x[i] = 1", []),
        ("n: int = 0", ["n"]),
        ("total += 1", ["total"]),
        ("for i, j in pairs: k = i", ["i", "j", "k"]),
        ("with open(p) as f: pass", ["f"]),
        ("import os.path", ["os"]),
        ("import os.path as osp", ["osp"]),
        ("from json import load, dump as write", ["load", "write"]),
        ("def helper(): inner = 1", ["helper"]),
        ("class Box: size = 1", ["Box"]),
        ("if (n := len(x)) > 1: pass", ["n"]),
        ("del a, b", ["a", "b"]),
        ("try:\n    pass\nexcept OSError as error:\n    pass", ["error"]),
    ],
)
def test_bindings_of_a_statement(code: str, bound: list[str]) -> None:
    assert list(bindings(statement(code)).names) == bound


def test_bindings_record_annotations_globals_and_nonlocals() -> None:
    body = cst.parse_module("global g\nnonlocal n\ncount: int = 0\n")
    found = bindings(body)
    assert found.globals == {"g"} and found.nonlocals == {"n"} and found.annotated == {"count"}


def test_bindings_skip_the_given_subtree() -> None:
    module = cst.parse_module("a = 1\nb = 2\n")
    second = module.body[1]
    assert list(bindings(module, frozenset({id(second)})).names) == ["a"]


def test_bindings_do_not_enter_a_nested_function_body() -> None:
    assert list(bindings(statement("def f(x=default):\n    local = 1\n")).names) == ["f"]


def test_target_names_and_target_reads() -> None:
    assert target_names(expression("(a, [b, *c])")) == ["a", "b", "c"]
    assert target_names(expression("self.x")) == []
    assert target_reads(expression("self.x")) == {"self"}
    assert target_reads(expression("items[key]")) == {"items", "key"}
    assert target_reads(expression("a")) == set()


def test_parameter_names() -> None:
    func = statement("def f(a, /, b, *args, c, **kwargs): pass")
    assert isinstance(func, cst.FunctionDef)
    assert parameter_names(func.params) == {"a", "b", "args", "c", "kwargs"}


@pytest.mark.parametrize(
    ("code", "read"),
    [
        ("obj.attr.method(arg, key=value)", {"obj", "arg", "value"}),
        ("[x * y for x in items if x]", {"items", "y"}),
        ("{k: v for k, v in pairs.items()}", {"pairs"}),
        ("[a for a in b for c in a]", {"b"}),
        ("lambda z: z + offset", {"offset"}),
        ("(n := compute(seed))", {"compute", "seed"}),
    ],
)
def test_reads_of_an_expression(code: str, read: set[str]) -> None:
    assert reads(expression(code)) == read


def test_scope_reads_of_a_function_are_its_free_names() -> None:
    func = statement("@decorate\ndef f(a, b=default) -> Result:\n    c = a + outer\n    return c\n")
    assert isinstance(func, cst.FunctionDef)
    assert scope_reads(func) == {"decorate", "default", "Result", "outer"}


def test_scope_reads_of_a_function_include_its_nonlocals() -> None:
    func = statement("def f():\n    nonlocal counter\n    counter = counter + 1\n")
    assert isinstance(func, cst.FunctionDef)
    assert "counter" in scope_reads(func)


def test_all_names_leaves_out_attribute_and_keyword_labels() -> None:
    assert all_names(expression("f(a.b, key=c)")) == {"f", "a", "c"}


def flow_reads(code: str) -> set[str]:
    flow = Flow()
    flow.body(cst.parse_module(code).body, set())
    return flow.found


@pytest.mark.parametrize(
    ("code", "unbound"),
    [
        ("x = 1\nprint(x)\n", {"print"}),
        ("print(x)\nx = 1\n", {"print", "x"}),
        ("if cond:\n    x = 1\nuse(x)\n", {"cond", "use", "x"}),  # the branch may not run
        ("for item in items:\n    last = item\n", {"items"}),
        ("with open(p) as f:\n    data = f.read()\nuse(data)\n", {"open", "p", "use", "data"}),  # compound
        ("try:\n    v = 1\nexcept E as e:\n    log(e)\n", {"E", "log"}),
        ("del x\n", {"x"}),
        ("import os\nos.getcwd()\n", set()),
    ],
)
def test_flow_finds_reads_before_a_certain_binding(code: str, unbound: set[str]) -> None:
    assert flow_reads(code) == unbound


def test_flow_with_a_block_kills_its_bindings_where_it_stands() -> None:
    """After the block, a read may see the block's value, so it counts as a crossing read."""
    module = cst.parse_module("total = 0\nwith lock:\n    total = 1\nuse(total)\n")
    block = module.body[1]
    flow = Flow(block, frozenset(), frozenset({"total"}))
    flow.body(module.body, set())
    assert flow.found == {"use", "total"}
