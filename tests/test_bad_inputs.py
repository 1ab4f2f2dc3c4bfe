"""Every kind of bad input through the real command line (``python -m asyncify``).

For each bad input the contract is the same:

- it gets one clear, one-line error naming the file (an entry in the JSON ``errors``, a
  ``path: message`` line in the human report), or, for inputs that are merely unusual
  (a latin-1 file with a coding cookie, a BOM, CRLF, an empty file, deep nesting that
  Python accepts), a normal result;
- the run goes on: a good file with a finding next to it is still reported;
- the exit code is 1 (findings or file errors), or 2 for a bad configuration;
- nothing is written to the bad file: its bytes and its mtime are unchanged, by
  ``check`` and by ``fix``.

The human report, findings and file errors alike, goes to stdout (``asyncify.report.output``:
``human`` is the format meant for people, so it is the document); stderr carries the
summary line of the machine formats and fatal errors such as a bad configuration.

Most inputs live together in one tree that is checked once (JSON and human); the
inputs whose behaviour depends on how they are named (symlinks, a directory called
``x.py``, a path that does not exist) are also named explicitly, and the slow or
privileged ones (a 20 MB file, an unreadable file) have tests of their own.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

GOOD = "import time\n\n\nasync def tick():\n    time.sleep(1)\n"
"""A good file next to the bad ones: one finding at 5:5."""

GOOD_FINDING = ("good.py", 5, 5)

SLEEPY = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def run_cli(cwd: Path, *args: str, preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m asyncify ARGS`` in ``cwd``, without colour, with a generous timeout."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "asyncify", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        preexec_fn=preexec_fn,
    )


def check_json(cwd: Path, *paths: str) -> tuple[subprocess.CompletedProcess[str], dict[str, list[dict[str, object]]]]:
    result = run_cli(cwd, "check", *paths, "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout, f"no JSON document; stderr: {result.stderr}"
    return result, json.loads(result.stdout)


def positions(document: dict[str, list[dict[str, object]]], path: str) -> list[tuple[object, object]]:
    return [(f["line"], f["column"]) for f in document["findings"] if f["path"] == path]


def errors_for(document: dict[str, list[dict[str, object]]], path: str) -> list[str]:
    return [str(e["message"]) for e in document["errors"] if e["path"] == path]


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root``: a file's bytes and mtime, a link's target, a directory."""
    state: dict[str, tuple[object, ...]] = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(directory, name)
            key = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                state[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                state[key] = (
                    "file",
                    path.read_bytes() if info.st_mode & 0o444 else None,
                    info.st_mtime_ns,
                    info.st_mode,
                )
            elif stat.S_ISDIR(info.st_mode):
                state[key] = ("directory",)  # its mtime moves when fix renames a file into it
            else:
                state[key] = ("other", stat.S_IFMT(info.st_mode), info.st_mtime_ns)
    return state


def project(root: Path) -> Path:
    """A project root: the result cache off (nothing may be written), one good file."""
    (root / "pyproject.toml").write_text("[tool.asyncify]\ncache = false\n", encoding="utf-8")
    (root / "good.py").write_text(GOOD, encoding="utf-8")
    return root


# -- the bad inputs ---------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    """A bad input: how to make it, and what ``check`` says about it.

    ``error`` is a fragment of the expected message (lower case), or None when the file
    is checked normally; ``findings`` are its expected (line, column) findings;
    ``walked`` is False for entries a directory walk skips without a word (broken or
    looping symlinks, as black and ruff do: see ``asyncify.discovery``).
    """

    name: str
    make: Callable[[Path], None]
    error: str | None = None
    findings: tuple[tuple[int, int], ...] = ()
    walked: bool = True


def _write(data: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data)

    return make


def _deep_elif(path: Path) -> None:
    branches = "".join(f"    elif x == {i}:\n        time.sleep({i})\n" for i in range(1, 1000))
    path.write_text(f"import time\n\n\nasync def f(x):\n    if x == 0:\n        pass\n{branches}", encoding="utf-8")


def _nested_ifs(path: Path) -> None:
    lines = ["def f(x):"] + ["    " * depth + "if x:" for depth in range(1, 1001)] + ["    " * 1001 + "pass"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _loop(path: Path) -> None:
    path.symlink_to(path.name.replace("loop_a", "loop_b"))
    path.with_name(path.name.replace("loop_a", "loop_b")).symlink_to(path.name)


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.py").write_text(SLEEPY, encoding="utf-8")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


LATIN1 = b"# -*- coding: latin-1 -*-\nimport time\n\n\nasync def f():\n    s = '\xe9\xe9\xe9'; time.sleep(1)\n"
"""The call starts at character 16 of line 6, but at byte 19 of its UTF-8 spelling."""

CASES = [
    BadInput("syntax_error.py", _write(b"def f(:\n    pass\n"), error="syntax error: invalid syntax (line 1"),
    BadInput("invalid_utf8.py", _write(b"x = 1\ny = '\xff\xfe'\n"), error="invalid utf-8 at line 2, byte 0xff"),
    BadInput("invalid_utf8_first_line.py", _write(b"x = '\xc3\x28'\n"), error="invalid utf-8 at line 1"),
    BadInput(
        "ascii_cookie.py",
        _write(b"# coding: ascii\nx = '\xe9'\n"),
        error="invalid ascii (declared by its coding cookie) at line 2",
    ),
    BadInput("unknown_cookie.py", _write(b"# coding: klingon\nx = 1\n"), error="unknown encoding 'klingon'"),
    BadInput("latin1.py", _write(LATIN1), findings=((6, 16),)),
    BadInput("bom.py", _write(b"\xef\xbb\xbf" + "# é\n".encode() + SLEEPY.encode()), findings=((6, 5),)),
    BadInput("crlf.py", _write(SLEEPY.replace("\n", "\r\n").encode()), findings=((5, 5),)),
    BadInput("cr_only.py", _write(SLEEPY.replace("\n", "\r").encode()), findings=((5, 5),)),
    BadInput("empty.py", _write(b"")),
    BadInput("only_comments.py", _write(b"# nothing here\n\n\n")),
    BadInput("png.py", _write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), error="binary content"),
    BadInput("random_bytes.py", _write(bytes(range(256)) * 8), error="binary content"),
    BadInput("nul_in_text.py", _write(b"x = 1\x00\n"), error="binary content (a nul byte at line 1)"),
    BadInput("utf16.py", _write("x = 1\n".encode("utf-16")), error="utf-16"),
    BadInput(
        "parens_1000.py",
        _write(b"x = " + b"(" * 1000 + b"1" + b")" * 1000 + b"\n"),
        error="too many nested parentheses",
    ),
    BadInput("lists_1000.py", _write(b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n"), error="too many nested parentheses"),
    BadInput("ifs_1000.py", _nested_ifs, error="too many levels of indentation"),
    BadInput("elif_1000.py", _deep_elif, findings=tuple((8 + 2 * i, 9) for i in range(999))),
    BadInput("unary_1000.py", _write(b"x = " + b"-" * 1000 + b"1\n")),
    BadInput(
        "sum_100k.py",
        _write(
            b"import time\n\n\nasync def f():\n    time.sleep(1)\n    return " + b"+".join([b"1"] * 100_000) + b"\n"
        ),
        error="too deeply nested",
    ),
    BadInput(
        "sum_2500.py", _write(SLEEPY.encode() + b"    return " + b"+".join([b"1"] * 2500) + b"\n"), findings=((5, 5),)
    ),
    BadInput("directory.py", _directory),
    BadInput("broken_link.py", _symlink("nowhere.py"), error="broken symbolic link", walked=False),
    BadInput("loop_a.py", _loop, error="symbolic link loop", walked=False),
    BadInput("fifo.py", _fifo, error="not a regular file", walked=False),
]

BY_NAME = {case.name: case for case in CASES}


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("bad_inputs"))
    for case in CASES:
        case.make(root / case.name)
    return root


@pytest.fixture(scope="module")
def checked(
    bad_tree: Path,
) -> tuple[subprocess.CompletedProcess[str], dict[str, list[dict[str, object]]], dict[str, tuple[object, ...]]]:
    before = snapshot(bad_tree)
    result, document = check_json(bad_tree, ".")
    return result, document, before


@pytest.fixture(scope="module")
def human(bad_tree: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(bad_tree, "check", ".")


def test_the_run_goes_on_past_every_bad_file(checked: tuple) -> None:  # type: ignore[type-arg]
    result, document, _ = checked
    assert result.returncode == 1, result.stderr
    assert positions(document, "good.py") == [GOOD_FINDING[1:]]
    assert positions(document, "directory.py/inside.py") == [(5, 5)], "a directory named x.py is walked"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_input_gets_one_clear_error_or_a_normal_result(checked: tuple, case: BadInput) -> None:  # type: ignore[type-arg]
    _, document, _ = checked
    messages = errors_for(document, case.name)
    if case.error is None or not case.walked:
        assert messages == [], f"{case.name} should be checked (or skipped) without error: {messages}"
    else:
        assert len(messages) == 1, f"{case.name}: {document['errors']}"
        assert case.error in messages[0].lower(), messages[0]
        assert "\n" not in messages[0] and len(messages[0]) < 200
    assert positions(document, case.name) == list(case.findings)


def test_human_report_has_one_line_per_bad_file(human: subprocess.CompletedProcess[str], checked: tuple) -> None:  # type: ignore[type-arg]
    _, document, _ = checked
    assert human.returncode == 1
    assert "Traceback" not in human.stderr
    lines = human.stdout.splitlines()
    for error in document["errors"]:
        expected = f"{error['path']}: {error['message']}"
        assert lines.count(expected) == 1, f"{expected!r} not on its own line in:\n{human.stdout}"
    assert any(line.startswith("good.py:5:5 AFY110") for line in lines)
    assert f"{len(document['errors'])} files could not be checked" in human.stdout


def test_check_writes_nothing(bad_tree: Path, checked: tuple, human: subprocess.CompletedProcess[str]) -> None:  # type: ignore[type-arg]
    _, _, before = checked
    assert snapshot(bad_tree) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken_link.py", "broken symbolic link"),
        ("loop_a.py", "symbolic link loop"),
        ("fifo.py", "not a regular file or directory"),
        ("does_not_exist.py", "no such file or directory"),
        ("no/such/dir", "no such file or directory"),
    ],
)
def test_a_bad_path_named_explicitly_is_an_error_naming_it(bad_tree: Path, name: str, message: str) -> None:
    result, document = check_json(bad_tree, name, "good.py")
    assert result.returncode == 1
    assert document["errors"] == [{"path": name, "message": message}]
    assert positions(document, "good.py") == [GOOD_FINDING[1:]]
    human = run_cli(bad_tree, "check", name, "good.py")
    assert f"{name}: {message}" in human.stdout.splitlines()


def test_a_directory_named_py_given_explicitly_is_walked(bad_tree: Path) -> None:
    result, document = check_json(bad_tree, "directory.py", "good.py")
    assert (result.returncode, document["errors"]) == (1, [])
    assert {f["path"] for f in document["findings"]} == {"directory.py/inside.py", "good.py"}


def test_a_bad_file_named_explicitly_is_reported(bad_tree: Path) -> None:
    names = [c.name for c in CASES if c.error is not None and c.walked]
    result, document = check_json(bad_tree, *names, "good.py")
    assert result.returncode == 1
    assert sorted(str(e["path"]) for e in document["errors"]) == sorted(names)
    assert positions(document, "good.py") == [GOOD_FINDING[1:]]


# -- columns, encodings and line endings ------------------------------------------------


def test_columns_count_characters_not_bytes(checked: tuple) -> None:  # type: ignore[type-arg]
    _, document, _ = checked
    (latin,) = [f for f in document["findings"] if f["path"] == "latin1.py"]
    assert (latin["line"], latin["column"], latin["end_line"], latin["end_column"]) == (6, 16, 6, 29)
    line = LATIN1.decode("latin-1").splitlines()[5]
    assert line[15:28] == "time.sleep(1)"


def test_fix_keeps_crlf_bom_and_encoding(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "crlf.py").write_bytes(SLEEPY.replace("\n", "\r\n").encode())
    (root / "bom.py").write_bytes(b"\xef\xbb\xbf" + SLEEPY.encode())
    (root / "latin1.py").write_bytes(LATIN1)
    result = run_cli(root, "fix", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    crlf = (root / "crlf.py").read_bytes()
    assert b"await asyncio.sleep(1)\r\n" in crlf
    assert crlf.count(b"\n") == crlf.count(b"\r\n"), "every line ending is still CRLF"
    bom = (root / "bom.py").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf") and b"await asyncio.sleep(1)" in bom
    latin = (root / "latin1.py").read_bytes()
    assert b"'\xe9\xe9\xe9'; await asyncio.sleep(1)" in latin, "written back in latin-1"
    for name in ("crlf.py", "bom.py", "latin1.py"):
        compile((root / name).read_bytes(), name, "exec")


def test_fix_writes_nothing_to_bad_files(tmp_path: Path) -> None:
    """``fix`` over the whole bad tree: the good files are fixed, no bad file is touched."""
    root = project(tmp_path)
    for case in CASES:
        case.make(root / case.name)
    before = snapshot(root)
    result = run_cli(root, "fix", ".")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr  # the bad files are errors
    after = snapshot(root)
    fixed = {"good.py", "latin1.py", "bom.py", "crlf.py", "cr_only.py", "directory.py/inside.py", "elif_1000.py"}
    for key, state in before.items():
        if key in fixed:
            assert after[key] != state, f"{key} should have been fixed"
        elif key == "sum_2500.py" and after[key] != state:
            compile((root / key).read_bytes(), key, "exec")  # fixed, or refused as too deep: both fine
        else:
            assert after[key] == state, f"{key} was modified by fix"
    assert set(after) == set(before), "no file created or removed (no temporary file left)"
    for name in fixed:
        compile((root / name).read_bytes(), name, "exec")


def test_fix_survives_deep_nesting_with_findings(tmp_path: Path) -> None:
    """999 findings 1,000 levels deep: libcst runs out of recursion, the rewrite is
    retried with a deep stack (as the scan is), and every finding is fixed."""
    root = project(tmp_path)
    _deep_elif(root / "elif_1000.py")
    result = run_cli(root, "fix", "elif_1000.py")
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    text = (root / "elif_1000.py").read_text(encoding="utf-8")
    assert text.count("await asyncio.sleep(") == 999 and "time.sleep(" not in text
    compile(text, "elif_1000.py", "exec")


# -- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ('cache = "yes"', "cache"),
        ("select = 5", "select"),
        ('exclude = "build"', "exclude"),
        ('backend = "gevent"', "backend"),
        ('selekt = ["AFY"]', "selekt"),
        ("cache = [", "cannot read configuration"),
    ],
)
def test_bad_configuration_value_exits_2_naming_file_and_key(tmp_path: Path, setting: str, key: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.asyncify]\n{setting}\n", encoding="utf-8")
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    for output in ("json", "human"):
        result = run_cli(tmp_path, "check", ".", "--format", output)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "pyproject.toml" in lines[0] and key in lines[0]


# -- an unreadable file -----------------------------------------------------------------


def _drop_file_read_override() -> None:
    """In the child, before exec: drop root's power to read any file regardless of its
    mode (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the capability bounding set."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_unreadable_file(tmp_path: Path) -> None:
    """chmod 000 does not stop root, so as root the CLI runs without the capabilities
    that let root read any file; where they cannot be dropped, the test is skipped with
    that reason (never passed vacuously)."""
    root = project(tmp_path)
    secret = root / "secret.py"
    secret.write_text(SLEEPY, encoding="utf-8")
    secret.chmod(0)
    preexec = None
    if os.geteuid() == 0:
        if not sys.platform.startswith("linux"):
            pytest.skip("running as root, and dropping CAP_DAC_OVERRIDE is only implemented on Linux")
        preexec = _drop_file_read_override
    try:
        before = snapshot(root)
        try:
            result = run_cli(root, "check", ".", "--format", "json", preexec_fn=preexec)
        except subprocess.SubprocessError as error:
            pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE to make a file unreadable: {error}")
        document = json.loads(result.stdout)
        assert result.returncode == 1
        assert document["errors"] == [{"path": "secret.py", "message": "permission denied"}]
        assert positions(document, "good.py") == [GOOD_FINDING[1:]]
        assert snapshot(root) == before
        fixed = run_cli(root, "fix", ".", preexec_fn=preexec)
        assert "secret.py: permission denied" in fixed.stdout + fixed.stderr
        assert secret.stat().st_mode & 0o777 == 0 and secret.stat().st_mtime_ns == before["secret.py"][2]
    finally:
        secret.chmod(0o644)


# -- size -------------------------------------------------------------------------------


def _generated_module(path: Path, size: int) -> None:
    """About ``size`` bytes of generated code: functions, then a big data table, then
    one blocking call at the very end (so the whole file must be read to find it)."""
    parts = ["import time\n\n\n"]
    written = len(parts[0])
    index = 0
    while written < size // 5:
        part = (
            f"def compute_{index}(values):\n    total = 0\n    for v in values:\n"
            f"        total += v * {index}\n    return total\n\n\n"
        )
        parts.append(part)
        written += len(part)
        index += 1
    parts.append("TABLE = [\n")
    row = 0
    while written < size:
        part = f"    ({row}, 'name_{row}', {row * 0.5}, None, b'\\x00\\x01'),\n"
        parts.append(part)
        written += len(part)
        row += 1
    parts.append("]\n\n\nasync def tick():\n    time.sleep(1)\n")
    path.write_text("".join(parts), encoding="utf-8")


def test_a_20_mb_file_is_checked_in_reasonable_time(tmp_path: Path) -> None:
    root = project(tmp_path)
    big = root / "generated.py"
    _generated_module(big, 20 * 2**20)
    assert big.stat().st_size >= 20 * 2**20
    lines = big.read_text(encoding="utf-8").count("\n")
    started = time.perf_counter()
    result, document = check_json(root, ".")
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"checking a 20 MB file took {elapsed:.1f} s"
    assert result.returncode == 1 and document["errors"] == []
    assert positions(document, "generated.py") == [(lines, 5)]
    assert positions(document, "good.py") == [GOOD_FINDING[1:]]


def test_the_deep_retry_leaves_no_global_state(tmp_path: Path) -> None:
    """In process: deep files scan without raising, and the recursion limit, the thread
    stack size and the garbage collector are as they were afterwards."""
    import gc
    import threading

    from asyncify.api import catalogue_for, scan_context
    from asyncify.config import Config
    from asyncify.scan.result import ScanFailed, Scanned
    from asyncify.scan.worker import ScanJob, scan_file

    context = scan_context(catalogue_for(Config()))
    state = (sys.getrecursionlimit(), threading.stack_size(), gc.isenabled())
    for name in ("elif_1000.py", "sum_2500.py", "sum_100k.py", "unary_1000.py"):
        BY_NAME[name].make(tmp_path / name)
        result, _ = scan_file(ScanJob(str(tmp_path / name), name, "m", False), context)
        expected = BY_NAME[name].error
        if expected is None:
            assert isinstance(result, Scanned), result
        else:
            assert isinstance(result, ScanFailed) and expected in result.message
        assert (sys.getrecursionlimit(), threading.stack_size(), gc.isenabled()) == state


def test_the_tree_is_left_clean(bad_tree: Path) -> None:
    """No cache directory, no temporary file: ``check`` with ``cache = false`` writes nothing."""
    leftovers = [p.name for p in bad_tree.iterdir() if p.name.startswith(".asyncify") or p.name.endswith(".tmp")]
    assert leftovers == []
