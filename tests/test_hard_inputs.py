"""Bad and hard inputs through the real CLI: one clear error per bad file, naming it, the
run going on with the others, and nothing written to any bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "import time\n\nasync def f():\n    time.sleep(1)\n"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asyncify", *args, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hard")
    (root / "good.py").write_text(GOOD)
    (root / "syntax.py").write_text("def f(:\n")
    (root / "bad_utf8.py").write_bytes(b"x = '\xff\xfe'\n")
    (root / "latin1.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport time\n\nasync def f():\n    s = '\xe9\xe9'; time.sleep(1)\n"
    )
    (root / "bom.py").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (root / "crlf.py").write_bytes(GOOD.replace("\n", "\r\n").encode())
    (root / "dir.py").mkdir()
    (root / "broken_link.py").symlink_to(root / "missing.py")
    (root / "loop_a.py").symlink_to(root / "loop_b.py")
    (root / "loop_b.py").symlink_to(root / "loop_a.py")
    (root / "empty.py").write_text("")
    (root / "binary.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "deep_parens.py").write_text("x = " + "(" * 1000 + "1" + ")" * 1000 + "\n")
    (root / "deep_sum.py").write_text("async def f():\n    return " + "+".join(["1"] * 100_000) + "\n")
    (root / "deep_if.py").write_text(
        "async def f(x):\n    if x == 0:\n        pass\n"
        + "".join(f"    elif x == {i}:\n        pass\n" for i in range(1, 1000))
    )
    payload = "x" * 88
    lines = [f"v{i} = '{payload}'\n" for i in range(200_000)]
    (root / "generated.py").write_text("".join(lines))
    assert (root / "generated.py").stat().st_size > 20_000_000
    return root


@pytest.fixture(scope="module")
def checked(tree: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, object], dict[str, tuple[bytes, int]]]:
    before = {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tree.iterdir() if p.is_file() and not p.is_symlink()
    }
    result = run(tree, "check", ".", "--format", "json")
    return result, json.loads(result.stdout), before


def test_good_files_are_checked_despite_bad_ones(checked: tuple) -> None:  # type: ignore[type-arg]
    result, document, _ = checked
    assert result.returncode == 1
    found = sorted({f["path"] for f in document["findings"]})
    assert found == ["bom.py", "crlf.py", "good.py", "latin1.py"]
    assert not [e for e in document["errors"] if e["path"] == "generated.py"], "a 20 MB file is checked"
    latin = next(f for f in document["findings"] if f["path"] == "latin1.py")
    assert (latin["line"], latin["column"]) == (5, 15), "columns count characters, not bytes"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("syntax.py", "syntax error"),
        ("bad_utf8.py", "invalid utf-8"),
        ("binary.py", ""),
    ],
)
def test_each_bad_file_has_one_clear_error(checked: tuple, name: str, words: str) -> None:  # type: ignore[type-arg]
    _, document, _ = checked
    errors = [e for e in document["errors"] if e["path"] == name]
    assert len(errors) == 1, document["errors"]
    assert words in errors[0]["message"].lower() and "\n" not in errors[0]["message"]


def test_deep_and_empty_files_do_not_crash(checked: tuple) -> None:  # type: ignore[type-arg]
    _, document, _ = checked
    for name in ("deep_parens.py", "deep_sum.py", "deep_if.py", "empty.py"):
        messages = [e["message"] for e in document["errors"] if e["path"] == name]
        assert all("nested" in m or "syntax" in m for m in messages), messages


def test_directories_and_broken_links_named_py_are_skipped_when_walking(checked: tuple) -> None:  # type: ignore[type-arg]
    result, document, _ = checked
    assert "Traceback" not in result.stderr
    paths = {f["path"] for f in document["findings"]} | {e["path"] for e in document["errors"]}
    assert not paths & {"dir.py", "broken_link.py", "loop_a.py", "loop_b.py"}


def test_a_named_directory_called_py_is_walked(tree: Path) -> None:
    result = run(tree, "check", "dir.py", "good.py", "--format", "json")
    document = json.loads(result.stdout)
    assert document["errors"] == [] and [f["path"] for f in document["findings"]] == ["good.py"]


@pytest.mark.parametrize("name", ["broken_link.py", "loop_a.py", "missing_entirely.py"])
def test_named_bad_paths_are_reported(tree: Path, name: str) -> None:
    result = run(tree, "check", name, "good.py", "--format", "json")
    document = json.loads(result.stdout)
    assert [e["path"] for e in document["errors"]] == [name]
    assert [f["path"] for f in document["findings"]] == ["good.py"]
    assert result.returncode == 1


def test_fix_writes_nothing_to_bad_files_and_keeps_crlf_and_bom(tree: Path, checked: tuple) -> None:  # type: ignore[type-arg]
    _, _, before = checked
    result = run(tree, "fix", ".")
    assert "Traceback" not in result.stderr
    for name in ("syntax.py", "bad_utf8.py", "binary.py", "empty.py", "deep_parens.py"):
        assert (tree / name).read_bytes() == before[name][0], name
        assert (tree / name).stat().st_mtime_ns == before[name][1], name
    assert b"await asyncio.sleep(1)\r\n" in (tree / "crlf.py").read_bytes()
    assert (tree / "bom.py").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "\xe9\xe9" in (tree / "latin1.py").read_text(encoding="latin-1")


def test_bad_config_value_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asyncify]\nbackend = "gevent"\n')
    (tmp_path / "a.py").write_text(GOOD)
    result = run(tmp_path, "check", ".")
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "backend" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "secret.py").write_text(GOOD)
    (tmp_path / "secret.py").chmod(0)
    document = json.loads(run(tmp_path, "check", ".", "--format", "json").stdout)
    assert document["errors"] == [{"path": "secret.py", "message": "permission denied"}]


def test_unreadable_file_message() -> None:
    """As root the mode cannot make a file unreadable, so the reader's error path is
    exercised directly (the CLI test above runs for other users)."""
    from asyncify.scan.source import SourceError, read_source

    class Unreadable(type(Path())):  # type: ignore[misc]
        def read_bytes(self) -> bytes:
            raise PermissionError(13, "Permission denied")

    with pytest.raises(SourceError, match="permission denied"):
        read_source(Unreadable("x.py"))
