"""``asyncify.review.diffs``: patches that ``git apply`` and ``patch -p1`` accept, byte for byte.

The contract is the tools' behaviour, so every case is applied with the real tools to a
file holding the old bytes and must produce exactly the new bytes: missing final
newlines (either side), CRLF, a BOM, latin-1, insertions at the very top and bottom,
and a seeded batch of random edits.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from asyncify.review.diffs import file_patch, hunks, split_lines

CASES = {
    "no newline on either side": (b"a\nb\nc", b"a\nB\nc"),
    "newline added at the end": (b"a\nb", b"a\nb\n"),
    "newline removed at the end": (b"a\nb\n", b"a\nb"),
    "crlf": (
        b"import x\r\n\r\ndef f():\r\n    x.y()\r\n",
        b"import x\r\nimport asyncio\r\n\r\ndef f():\r\n    await x.y()\r\n",
    ),
    "crlf without final newline": (b"a\r\nb\r\nc", b"a\r\nb\r\nC"),
    "bom": (b"\xef\xbb\xbfimport os\nx = 1\n", b"\xef\xbb\xbfimport os\nimport asyncio\nx = 1\n"),
    "latin-1": (b"# coding: latin-1\ns = '\xe9'\nt = 1\n", b"# coding: latin-1\ns = '\xe9'\nt = 2\n"),
    "insert at top": (b"a\nb\nc\nd\ne\n", b"new\na\nb\nc\nd\ne\n"),
    "insert at bottom": (b"a\nb\nc\nd\ne\n", b"a\nb\nc\nd\ne\nnew\n"),
    "form feed is not a line break": (b"a\x0cb\nc\n", b"a\x0cB\nc\n"),
    "two distant hunks": (
        b"".join(b"%d\n" % i for i in range(40)),
        b"".join(b"%d\n" % (i * (i not in (3, 30))) for i in range(40)),
    ),
    "everything replaced": (b"a\n", b"b\n"),
    "from an empty file": (b"", b"import asyncio\n"),
}
TOOLS = [tool for tool in ("git", "patch") if shutil.which(tool)]


def apply(tool: str, directory: Path, name: str, old: bytes, patch: bytes) -> bytes:
    (directory / name).write_bytes(old)
    command = ["git", "apply", "-"] if tool == "git" else ["patch", "-p1", "--quiet", "--batch"]
    result = subprocess.run(command, cwd=directory, input=patch, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode() + patch.decode("latin-1")
    return (directory / name).read_bytes()


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_tools_accept_the_patch(tmp_path: Path, tool: str, case: str) -> None:
    old, new = CASES[case]
    patch = file_patch("pkg/mod.py", old, new)
    (tmp_path / "pkg").mkdir()
    assert apply(tool, tmp_path, "pkg/mod.py", old, patch) == new


@pytest.mark.parametrize("tool", TOOLS)
def test_a_path_with_spaces(tmp_path: Path, tool: str) -> None:
    (tmp_path / "my dir").mkdir()
    patch = file_patch("my dir/a b.py", b"a\nb\n", b"a\nc\n")
    assert apply(tool, tmp_path, "my dir/a b.py", b"a\nb\n", patch) == b"a\nc\n"


@pytest.mark.parametrize("tool", TOOLS)
def test_random_edits_round_trip(tmp_path: Path, tool: str) -> None:
    rng = random.Random(20240611)
    pool = [b"import os", b"", b"x = 1", b"    y()", b"def f():", b"# \xe9", b"\tpass"]
    for round_ in range(40):
        ending = rng.choice([b"\n", b"\r\n"])
        old_lines = [rng.choice(pool) for _ in range(rng.randint(1, 30))]
        new_lines = list(old_lines)
        for _ in range(rng.randint(1, 5)):
            where = rng.randrange(len(new_lines) + 1)
            action = rng.choice(["insert", "delete", "replace"])
            if action == "insert" or not new_lines:
                new_lines.insert(where, rng.choice(pool) + b"  # new")
            elif action == "delete":
                del new_lines[min(where, len(new_lines) - 1)]
            else:
                new_lines[min(where, len(new_lines) - 1)] = b"changed()"
        old = ending.join(old_lines) + (ending if rng.random() < 0.7 else b"")
        new = ending.join(new_lines) + (ending if rng.random() < 0.7 else b"")
        if old == new or not new:
            continue
        name = f"r{round_}.py"
        assert apply(tool, tmp_path, name, old, file_patch(name, old, new)) == new, (old, new)


def test_no_difference_no_patch() -> None:
    assert file_patch("m.py", b"a\n", b"a\n") == b""


def test_headers_and_markers() -> None:
    patch = file_patch("app/m.py", b"a\nb", b"a\nc")
    assert patch.splitlines() == [
        b"--- a/app/m.py",
        b"+++ b/app/m.py",
        b"@@ -1,2 +1,2 @@",
        b" a",
        b"-b",
        b"\\ No newline at end of file",
        b"+c",
        b"\\ No newline at end of file",
    ]


def test_empty_side_range_is_written_like_diff_u() -> None:
    assert file_patch("m.py", b"", b"x\n").splitlines()[2] == b"@@ -0,0 +1 @@"


def test_split_lines_splits_after_newlines_only() -> None:
    assert split_lines("a\r\nb\x0cc\rd\ne") == ["a\r\n", "b\x0cc\rd\n", "e"]
    assert split_lines(b"a\n") == [b"a\n"]
    assert split_lines("") == []


def test_hunk_ranges_locate_changed_lines() -> None:
    old = [f"{i}\n" for i in range(20)]
    new = [*old[:10], "ten\n", *old[11:]]
    (hunk,) = hunks(old, new)
    assert hunk.header() == "@@ -8,7 +8,7 @@"
    assert hunk.touches_old(11, 11) and not hunk.touches_old(1, 1) and not hunk.touches_old(16, 16)
