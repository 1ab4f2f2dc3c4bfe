"""New imports go where the project's import sorter would put them (``codemods.imports``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from asyncify.codemods.imports import ImportSections, add_imports
from asyncify.project_style import ProjectStyle

SECTIONS = ImportSections(local=frozenset({"pkg"}))

CASES = [
    # (name, source, expected)
    (
        "stdlib block, sorted",
        "import json\nimport os\nfrom pathlib import Path\n\nimport requests\n\nfrom pkg import a\n",
        "import asyncio\nimport json\nimport os\nfrom pathlib import Path\n\nimport aiofiles\nimport requests\n\n"
        "from pkg import a\n",
    ),
    (
        "after the docstring and __future__",
        '"""Doc."""\n\nfrom __future__ import annotations\n\nX = 1\n',
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport asyncio\n\nimport aiofiles\n\nX = 1\n',
    ),
    (
        "new blocks before the first-party block",
        '"""Doc."""\n\nfrom pkg import a\n\nX = 1\n',
        '"""Doc."""\n\nimport asyncio\n\nimport aiofiles\n\nfrom pkg import a\n\nX = 1\n',
    ),
    (
        "a comment stays with the import it is above",
        '"""Doc."""\n\n# third party\nimport requests\n\nX = 1\n',
        '"""Doc."""\n\nimport asyncio\n\n# third party\nimport aiofiles\nimport requests\n\nX = 1\n',
    ),
    (
        "unsorted block: after its last plain import",
        "import os\nimport json\nfrom x import y\n\nX = 1\n",
        "import os\nimport json\nimport asyncio\nimport aiofiles\nfrom x import y\n\nX = 1\n",
    ),
    (
        "no imports: two blank lines before a def",
        "def f():\n    pass\n",
        "import asyncio\n\nimport aiofiles\n\n\ndef f():\n    pass\n",
    ),
    (
        "already imported",
        "import aiofiles\nimport asyncio\n",
        "import aiofiles\nimport asyncio\n",
    ),
]


@pytest.mark.parametrize(("name", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_placement(name: str, source: str, expected: str) -> None:
    module = add_imports(cst.parse_module(source), ["asyncio", "aiofiles"], {}, SECTIONS)
    assert module.code == expected


def test_unsorted_force_sort_block_keeps_its_order() -> None:
    source = "import json\nfrom abc import ABC\n"
    sections = ImportSections(force_sort_within_sections=True)
    assert add_imports(cst.parse_module(source), ["asyncio"], {}, sections).code == (
        "import json\nimport asyncio\nfrom abc import ABC\n"
    )


def test_sorted_force_sort_block_gets_its_sorted_place() -> None:
    source = "from abc import ABC\nimport json\n"
    sections = ImportSections(force_sort_within_sections=True)
    assert add_imports(cst.parse_module(source), ["asyncio"], {}, sections).code == (
        "from abc import ABC\nimport asyncio\nimport json\n"
    )


def test_alias_and_crlf() -> None:
    module = add_imports(cst.parse_module("import os\r\n\r\nX = 1\r\n"), ["asyncio"], {"asyncio": "_asyncio"})
    assert module.code == "import asyncio as _asyncio\r\nimport os\r\n\r\nX = 1\r\n"


@pytest.mark.parametrize(("name", "source", "expected"), CASES[:5], ids=[c[0] for c in CASES[:5]])
def test_ruff_agrees(tmp_path: Path, name: str, source: str, expected: str) -> None:
    """Sorted input stays sorted for ruff's isort (``pkg`` is first-party: a folder in the root)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(expected)
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "I", "--exit-zero"]
    before = subprocess.run([*command, "before.py"], cwd=tmp_path, capture_output=True, text=True, check=True)
    after = subprocess.run([*command, "after.py"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert ("I001" in after.stdout) <= ("I001" in before.stdout), after.stdout


def test_project_style_reads_each_tool(tmp_path: Path) -> None:
    assert ProjectStyle.read(tmp_path).line_length == 88
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 110\n")
    assert ProjectStyle.read(tmp_path).line_length == 110
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert ProjectStyle.read(tmp_path).line_length == 100
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ruff]\nline-length = 99\nsrc = ['lib']\n[tool.ruff.lint.isort]\nknown-first-party = ['json']\n"
        "force-sort-within-sections = true\n"
    )
    (tmp_path / "lib" / "mine").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    style = ProjectStyle.read(tmp_path)
    assert (style.line_length, style.first_party, style.local) == (99, {"json"}, {"mine"})
    assert style.force_sort_within_sections
    (tmp_path / "pyproject.toml").write_text("[tool.isort]\nknown_first_party = ['json']\n")
    style = ProjectStyle.read(tmp_path)
    assert style.first_party == {"json"} and {"lib", "other"} <= style.local
    assert ImportSections(style.first_party, local=style.local).of("json") == 3
    assert ImportSections(local=frozenset({"json"})).of("json") == 1


def test_bad_style_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff\n")
    (tmp_path / "tox.ini").write_text("not ini")
    assert ProjectStyle.read(tmp_path) == ProjectStyle(local=frozenset())
