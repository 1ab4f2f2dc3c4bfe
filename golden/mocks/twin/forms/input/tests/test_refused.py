"""Stubs the rewrite leaves alone, each with its reason in the summary."""

from pathlib import Path
from unittest.mock import patch

import pytest

from app import service
from app.loader import EvalSetLoader


def pick(name: str) -> list[str]:
    return [f"{name}.py"]


async def test_side_effect_function() -> None:
    with patch("app.loader.EvalSetLoader.get_slice_scripts", side_effect=pick):
        assert await service.slice_scripts(Path("."), "s") == ["s.py"]


async def test_method_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EvalSetLoader, "get_slice_scripts", lambda self, name: [name])
    assert await service.slice_scripts(Path("."), "s") == ["s"]


class FakeLoader:
    def __init__(self, root: Path) -> None:
        self.root = root

    def get_slice_scripts(self, name: str) -> list[str]:
        return [name]

    async def get_slice_scripts_async(self, name: str) -> list[str]:
        return [name]


async def test_fake_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.service.EvalSetLoader", FakeLoader)
    assert await service.slice_scripts(Path("."), "s") == ["s"]


async def test_class_never_stubbed() -> None:
    with patch("app.service.EvalSetLoader") as loader_cls:
        assert await service.slice_scripts(Path("."), "s") is not None
    assert loader_cls.call_count == 1
