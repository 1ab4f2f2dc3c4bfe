"""Each way a test stubs the loader; every one is rewritten."""

from pathlib import Path
from unittest import mock
from unittest.mock import MagicMock, patch

import pytest

from app import loader, service
from app.loader import EvalSetLoader


async def test_string_target() -> None:
    with patch("app.loader.EvalSetLoader.get_slice_scripts", return_value=["a.py"]) as stub:
        assert await service.slice_scripts(Path("."), "s1") == ["a.py"]
    stub.assert_called_once_with("s1")


@patch.object(EvalSetLoader, "get_slice_scripts", return_value=["b.py"])
async def test_object_decorator(stub: MagicMock) -> None:
    assert await service.slice_scripts(Path("."), "s2") == ["b.py"]
    assert stub.call_count == 1


async def test_side_effect_values() -> None:
    with mock.patch.object(EvalSetLoader, "get_slice_scripts", side_effect=[["c.py"], ["d.py"]]):
        assert await service.slice_scripts(Path("."), "s") == ["c.py"]
        assert await service.slice_scripts(Path("."), "s") == ["d.py"]


def fake_manifest(path: Path) -> str:
    return f"  manifest of {path.name}  "


async def test_function_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "read_manifest", fake_manifest)
    assert await service.manifest(Path("m.txt")) == "manifest of m.txt"


async def test_lambda_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.loader.read_manifest", lambda path: " lambda ")
    assert await service.manifest(Path("m.txt")) == "lambda"


async def test_mock_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = MagicMock(return_value=" mocked ")
    monkeypatch.setattr(loader, "read_manifest", MagicMock(return_value=" mocked "))
    assert await service.manifest(Path("m.txt")) == "mocked"
    assert fake.call_count == 0


def test_sync_caller() -> None:
    with patch.object(EvalSetLoader, "get_slice_scripts", return_value=["x", "y"]):
        assert service.count_scripts(Path("."), "s") == 2


async def test_class_mock_with() -> None:
    with patch("app.service.EvalSetLoader") as loader_cls:
        loader_cls.return_value.get_slice_scripts = MagicMock(return_value=["e.py"])
        assert await service.slice_scripts(Path("."), "s") == ["e.py"]
    assert loader_cls.return_value.get_slice_scripts.call_count == 1
