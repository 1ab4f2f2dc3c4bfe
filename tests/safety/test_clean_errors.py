"""Every configuration shape and every file name ends in one line or a valid document.

Probes (issue 11, "Tracebacks instead of one line"):
- ``tool = 5`` in ``pyproject.toml``: a traceback;
- ``select = ["ZZZ"]`` in the configuration: zero findings, exit 0 (the same code on the
  command line is rejected);
- a non-UTF-8 file name with ``--format sarif``: ``UnicodeEncodeError``; ``--format json``
  printed invalid UTF-8;
- a CR-only file lost its final ``\\r`` in ``fix`` (and its suppressions in ``check``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from safety_support import SLEEPY, run_bytes, run_cli, write

from asyncify.api import config_for
from asyncify.config import ConfigError

WRONG_VALUES = ["5", '"text"', "[1, 2]", "{ a = 1 }", "true", "-3", "[]"]
KEYS = [
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "extra-blocking-calls",
    "strategy",
    "backend",
    "target-version",
    "twin-name",
    "unsafe-fixes",
    "fix-max-bytes",
    "fix-max-depth",
    "respect-gitignore",
    "cache",
]
LEGAL = {
    ("select", "[]"),
    ("ignore", "[]"),
    ("exclude", "[]"),
    ("extend-exclude", "[]"),
    ("extra-blocking-calls", "[]"),
    ("unsafe-fixes", "true"),
    ("respect-gitignore", "true"),
    ("cache", "true"),
    ("fix-max-bytes", "5"),
    ("fix-max-depth", "5"),
}
"""The few cells of the key x value matrix that are valid configuration."""
WRONG = [(key, value) for key in KEYS for value in WRONG_VALUES if (key, value) not in LEGAL]


def assert_one_line_exit_2(result: object, *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    "document",
    [
        "tool = 5",
        'tool = "asyncify"',
        "tool = [1]",
        "[tool]\nasyncify = 5",
        "[tool]\nasyncify = [1]",
        "[tool]\nasyncify = true",
    ],
)
@pytest.mark.parametrize("command", ["check", "fix"])
def test_every_shape_of_tool_table_is_one_line(tmp_path: Path, document: str, command: str) -> None:
    write(tmp_path / "pyproject.toml", document + "\n")
    write(tmp_path / "m.py", SLEEPY)
    assert_one_line_exit_2(run_cli(tmp_path, command, "."), "pyproject.toml")


@pytest.mark.parametrize(("key", "value"), WRONG)
def test_every_wrong_type_of_every_key_is_a_config_error(tmp_path: Path, key: str, value: str) -> None:
    """In process (the matrix is large): a ``ConfigError`` of one line naming file and key."""
    write(tmp_path / "pyproject.toml", f"[tool.asyncify]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as error:
        config_for([tmp_path])
    message = str(error.value)
    assert "\n" not in message and "pyproject.toml" in message and key in message


@pytest.mark.parametrize(("key", "value"), [("fix-max-depth", '"deep"'), ("target-version", "[1]"), ("strategy", "5")])
def test_a_wrong_type_through_the_cli_is_one_line(tmp_path: Path, key: str, value: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.asyncify]\n{key} = {value}\n")
    write(tmp_path / "m.py", SLEEPY)
    assert_one_line_exit_2(run_cli(tmp_path, "check", "."), "pyproject.toml", key)


@pytest.mark.parametrize(
    ("setting", "code"),
    [('select = ["ZZZ"]', "ZZZ"), ('ignore = ["AFY9"]', "AFY9"), ('strategy = { QQQ1 = "twin" }', "QQQ1")],
)
def test_unknown_rule_codes_in_the_configuration_are_errors(tmp_path: Path, setting: str, code: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.asyncify]\n{setting}\n")
    write(tmp_path / "m.py", SLEEPY)
    assert_one_line_exit_2(run_cli(tmp_path, "check", "."), f"unknown rule code or prefix {code!r}")


def test_codes_and_prefixes_in_any_case_are_accepted(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.asyncify]\nselect = ["afy1"]\nignore = ["AFY150"]\n')
    write(tmp_path / "m.py", SLEEPY)
    result = run_cli(tmp_path, "check", "--format", "json", ".")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["AFY110"]


NAMES = [b"caf\xe9.py", b"new\nline.py", b"esc\x1b[31m.py", b"comma,colon:percent%.py"]


@pytest.mark.parametrize("name", NAMES, ids=["latin1-byte", "newline", "escape", "punctuation"])
@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "human"])
def test_any_file_name_gives_valid_utf8_and_one_line_per_finding(
    tmp_path: Path, name: bytes, output_format: str
) -> None:
    directory = os.fsencode(tmp_path)
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(SLEEPY.encode())
    result = run_bytes(tmp_path, "check", "--no-cache", "--format", output_format, ".")
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    text = result.stdout.decode("utf-8")  # raises on invalid UTF-8
    if output_format in ("json", "sarif"):
        document = json.loads(text)
        if output_format == "sarif":
            uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert unquote_to_bytes(uri) == name, "the URI carries the file's own bytes"
        else:
            assert "\n" not in document["findings"][0]["path"]
    else:
        lines = [line for line in text.splitlines() if "AFY110" in line]
        assert len(lines) == 1, text
        assert "\x1b" not in lines[0]


def test_cr_only_file_keeps_its_bytes(tmp_path: Path) -> None:
    data = b"import time\r\r\rasync def f():\r    time.sleep(1)\r    return 1\r"
    (tmp_path / "cr.py").write_bytes(data)
    result = run_cli(tmp_path, "fix", "--no-cache", "cr.py")
    assert result.returncode == 0, result.stderr
    expected = data.replace(b"time.sleep(1)", b"await asyncio.sleep(1)").replace(
        b"import time\r", b"import asyncio\rimport time\r", 1
    )  # the sorted place in the standard-library block
    assert (tmp_path / "cr.py").read_bytes() == expected


def test_cr_only_file_keeps_its_suppressions(tmp_path: Path) -> None:
    (tmp_path / "cr.py").write_bytes(b"import time\rasync def f():\r    time.sleep(1)  # asyncify: ignore\r")
    result = run_cli(tmp_path, "check", "--no-cache", "cr.py")
    assert result.returncode == 0, result.stdout + result.stderr
