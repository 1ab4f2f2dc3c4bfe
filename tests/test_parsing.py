"""``asyncify.parsing``: Python 3.12-3.14 source parsed on any host, positions exact.

Where the host can parse a snippet itself, the lowered-and-raised tree must equal the
host's own tree node for node, positions included (``ast.dump`` with attributes); the
lowering is forced for every construct and every f-string (``grammar=(3, 11)``,
``every_fstring``), so on 3.13 this compares the whole machinery with CPython's parser.
On every host, each call in the modern snippets must sit exactly on its text.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from asyncify import parsing
from asyncify.parsing import compile_module, parse_lowered, parse_module
from asyncify.parsing import parse as parse_impl

SNIPPETS = [
    'x = f"ab{x["k"]}cd"',
    'f"a" f"b{x!r:>{w}.{p}}" "c"',
    'f"{x=}" f"{x=:>5}" f"{x = !s}" f"a{x=}" f"{ x=}"',
    'f"""a\n{x\n+1}b"""',
    'f"{a, b}" f"{a,}" f"{*a, b}"',
    '"a" f"{x}" u"b"',
    'u"a" f"{x}"',
    'f"a" "b"',
    'f"{x:}" f"{x!r:}" f"{x:{y}}" f"{{a}}{x}}}"',
    'f"a\\{x}" rf"a\\{x}" f"\\N{BULLET}{x}\\n\\t\\x41"',
    'f"{x}" "" f"{y}"',
    '(f"a"\n "b{x}"\n  # comment\n  f"{y}")',
    'f"{x # c\n}"',
    'f"""{x}\r\nb"""',
    "f'{x:{y}{z}}' f'{x:{y:{z}}}'",
    'é = f"é{ "é" }" + é(f"{x}é{y:é{z}}")',
    'y = f"{f"{f"{x}"}"}"',
    "z = f'{a['b']:{c}}' + g(f\"{h(1)}\")",
    "f'''{\nx\n}''' + f'{(lambda: 1)()}'",
    "x = (f'{a}' \\\n  f'{b}')",
    "class C[T: int = str, *Ts = *tuple[int], **P = [int]]: pass\ntype X[T] = list[T]\nasync def f[T](): pass",
    "def f[T](x: T) -> T:\n    return x\nclass A[T]:\n    def m[U](self): type Q = int\n",
    "class AOSmithEntity[\n    _T: (A | B)\n\n](Base):\n    pass\n",
    "type ValueType = (\n    # a comment\n    Mapping[str, bool] | None\n)\nif x: type Y = int\n",
    "@overload\ndef require_admin[\n    _V: View,\n    **_P,\n](func: Callable[_P, _V]) -> None: ...\n",
    "try:\n    pass\nexcept A, B: g(f\"{x['k']}\")\nexcept (C), D:\n  pass\n",
    "try:\n    pass\nexcept* A, B: time.sleep(1); é(2)\n",
    'x = t"{a}b{c!r}" + t"{d:>{e}}"',
    "class A[T]:\r    pass\rtype X = int\rx = 1\r",
    "class A[T]:\r\n    pass\r\ntype X = int\r\nx = f'{a}'\r\n",
    "class A[T]:\n    type = 3\n    def m(self):\n        return type(self), self.type\n",
    '"""\ntype X = int\ndef f[T](): pass\nexcept A, B:\n"""\nclass A[T]: pass\n',
    "if x:\n\ttype X = int\n\tdef f[T](\n\t\ta: T,\n\t): pass\n",
    "class A[T]:\n    class B[U: dict[str, int]]:\n        async  def f[V](self): ...\n",
    "x = 1; type Y[T] = list[T]; z = 2\n",
    "@dec(f'{a}')\ndef f[T](x): pass\n",
    'class A[T: "Foo[int]"]: pass\n',
    "try:\n    pass\nexcept* (A, B):\n    pass\nclass C[T]: pass\n",
]

ORACLES = [
    ('x = f"{time.sleep(1)} é {os.path.exists(f"{p}/x")}"', ["time.sleep", "os.path.exists"]),
    ('v = f"é{ d["k"] } {requests.get(f"{u}")}"', ["requests.get"]),
    ("x = f'{\n  # comment\n  sleep(1)}'", ["sleep"]),
    ("class A[T]:\n    async def m[U](self): time.sleep(1)\n", ["time.sleep"]),
    ("try:\n    pass\nexcept é, B: shutil.rmtree(p); os.remove(q)\n", ["shutil.rmtree", "os.remove"]),
    ('try:\n    pass\nexcept* A, B: f(t"{g(1)}")\n', ["f", "g"]),
    ("type A = int; time.sleep(2)\n", ["time.sleep"]),
]


def _host_parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


NATIVE = [s for s in SNIPPETS if _host_parses(s)]


def _dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def _without_fstring_part_positions(tree: ast.AST) -> str:
    """Before 3.12 CPython gives an f-string's literal parts, fields and format specs the
    position of the whole f-string, a tuple field ``{a, b}`` the braces' span, and takes a
    part's ``u`` prefix from the first string; those are compared on 3.12+ only."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts: list[ast.expr] = []
            for value in node.values:
                parts.append(value)
                if isinstance(value, ast.FormattedValue):
                    parts += [value.format_spec] if value.format_spec else []
                    parts += [value.value] if isinstance(value.value, ast.Tuple) else []
            for part in parts:
                part.lineno = part.col_offset = part.end_lineno = part.end_col_offset = 0
                if isinstance(part, ast.Constant):
                    part.kind = None
    return _dump(tree)


@pytest.mark.parametrize("source", NATIVE)
def test_lowered_tree_equals_the_host_tree(source: str) -> None:
    lowered = parse_lowered(source, grammar=(3, 11), every_fstring=True)
    if sys.version_info >= (3, 12):
        assert _dump(lowered) == _dump(ast.parse(source))
    else:
        assert _without_fstring_part_positions(lowered) == _without_fstring_part_positions(ast.parse(source))


@pytest.mark.parametrize("source", SNIPPETS)
def test_every_snippet_parses_on_this_host(source: str) -> None:
    tree = parse_module(source)
    assert tree.body
    compile_module(source)


@pytest.mark.parametrize(("source", "calls"), ORACLES)
def test_calls_sit_on_their_text(source: str, calls: list[str]) -> None:
    """Positions checked against the characters of the source, not against a parser."""
    tree = parse_module(source)
    found = []
    lines = source.split("\n")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = ast.unparse(node.func)
            if name not in calls:
                continue
            line = lines[node.lineno - 1].encode("utf-8")
            assert node.end_lineno == node.lineno
            text = line[node.col_offset : node.end_col_offset].decode("utf-8")
            assert re.fullmatch(rf"{re.escape(name)}\(.*\)", text), (name, text)
            found.append(name)
    assert sorted(found) == sorted(calls)


def test_files_the_host_parses_are_not_lexed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("lexed a file the host parses")

    monkeypatch.setattr(parse_impl, "Lexer", refuse)
    source = "import time\nasync def f():\n    time.sleep(f'{1}')\n"
    assert _dump(parse_module(source)) == _dump(ast.parse(source))


def test_a_genuine_error_in_a_modern_file_is_placed_exactly() -> None:
    source = "class A[T]:\n    pass\ntry:\n    pass\nexcept A, B: é = = f\"{x['k']}\"\n"
    with pytest.raises(SyntaxError) as caught:
        parse_module(source)
    assert caught.value.lineno == 5
    assert caught.value.offset == source.split("\n")[4].index("= f") + 1


def test_newer_syntax_names_its_python_version() -> None:
    with pytest.raises(SyntaxError) as caught:
        parse_module("import os\nlazy import json\n")
    assert "`lazy import` needs Python 3.15 (PEP 810)" in str(caught.value.msg)
    assert caught.value.lineno == 2
    with pytest.raises(SyntaxError) as unpacking:
        parse_module("x = [*row for row in rows]\n")
    assert "needs Python 3.15 (PEP 798)" in str(unpacking.value.msg)


def test_check_reports_newer_syntax_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "new.py").write_text("class A[T]:\n    pass\nlazy from json import loads\n", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "asyncify", "check", "--no-cache", "new.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root / "src"), "PATH": "", "COLUMNS": "300"},
    )
    assert run.returncode == 1
    lines = [line for line in (run.stdout + run.stderr).splitlines() if "new.py" in line]
    assert len(lines) == 1, run.stdout + run.stderr
    assert "needs Python 3.15 (PEP 810)" in lines[0] and "line 3" in lines[0]


def test_parsing_is_the_only_parser() -> None:
    """Every module parses through ``asyncify.parsing`` (one place knows the grammar)."""
    root = Path(parsing.__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in [*root.rglob("*.py"), *(root / "codemods").rglob("*.py")]
        if "parsing" not in path.parts
        and re.search(r"\bast\.parse\(|\bcompile\([^)]*\"exec\"", path.read_text("utf-8"))
        and "scan/scope.py" not in str(path)
    ]
    assert offenders == []
