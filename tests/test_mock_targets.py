"""Tests that mock a function phase 1 stopped calling as it was are listed (``asyncify.mock_targets``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from asyncify.config import Config
from asyncify.fixer import run_fix
from asyncify.mock_targets import mocked_targets

TESTS = """
from unittest import mock
from unittest.mock import MagicMock, patch

from app import loader
from app.loader import EvalSetLoader


@patch("app.loader.EvalSetLoader.get_slice_scripts")
def test_decorated(stub):
    pass


def test_object(mocker):
    mocker.patch.object(EvalSetLoader, "get_slice_scripts", return_value=[])


def test_whole_class():
    with mock.patch("app.loader.EvalSetLoader", MagicMock()):
        pass


def test_monkeypatch(monkeypatch):
    monkeypatch.setattr(loader, "read_sync", lambda p: "")
    monkeypatch.setattr("app.service.read_sync", lambda p: "")


def test_unrelated(monkeypatch):
    monkeypatch.setattr(loader, "other", None)
    setattr(EvalSetLoader, "get_slice_scripts", None)
    patch("app.loader.EvalSetLoader.other")
"""


def test_every_patch_form_is_found(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_loader.py").write_text(TESTS)
    (tmp_path / "tests" / "helpers.py").write_text(TESTS)  # not a test file
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "test_x.py").write_text(TESTS)
    (tmp_path / "tests" / "test_broken.py").write_text("def (")
    callees = {
        ("app.loader", "EvalSetLoader.get_slice_scripts"): "get_slice_scripts_async",
        ("app.loader", "read_sync"): "read_async",
    }
    lines = [m.line() for m in mocked_targets(tmp_path, callees)]
    now = "the code now awaits EvalSetLoader.get_slice_scripts_async"
    assert sorted(lines) == sorted(
        [
            f"tests/test_loader.py::test_decorated patches app.loader.EvalSetLoader.get_slice_scripts; {now}",
            f"tests/test_loader.py::test_object patches EvalSetLoader.get_slice_scripts; {now}",
            f"tests/test_loader.py::test_whole_class patches app.loader.EvalSetLoader; {now}",
            "tests/test_loader.py::test_monkeypatch patches loader.read_sync; the code now awaits read_async",
            "tests/test_loader.py::test_monkeypatch patches app.service.read_sync; the code now awaits read_async",
        ]
    )
    assert mocked_targets(tmp_path, {}) == []


LOADER = """from pathlib import Path


class EvalSetLoader:
    def get_slice_scripts(self, root: Path) -> list[str]:
        return sorted(p.name for p in root.iterdir())

    def count(self, root: Path) -> int:
        return len(self.get_slice_scripts(root))
"""

SERVICE = """from pathlib import Path

from app.loader import EvalSetLoader


async def scripts(root: Path) -> list[str]:
    return EvalSetLoader().get_slice_scripts(root)
"""


@pytest.mark.parametrize("strategy", ["twin"])
def test_fix_summary_lists_the_mocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "loader.py").write_text(LOADER)
    (tmp_path / "app" / "service.py").write_text(SERVICE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_service.py").write_text(
        "from unittest.mock import patch\n\n\n"
        "def test_scripts():\n"
        "    with patch('app.loader.EvalSetLoader.get_slice_scripts', return_value=['a']):\n"
        "        pass\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run_fix([Path("app")], Config(cache=False, rule_strategy={"AFY200": strategy}), jobs=1)
    assert any("get_slice_scripts_async" in f.text for f in result.files)
    assert result.notes == [
        "tests/test_service.py::test_scripts patches app.loader.EvalSetLoader.get_slice_scripts; "
        "the code now awaits EvalSetLoader.get_slice_scripts_async"
    ]
