from pathlib import Path
from unittest.mock import MagicMock, patch

from app.service import slice_scripts


@patch("app.service.EvalSetLoader")
async def test_slice_scripts(loader_cls: MagicMock) -> None:
    loader_cls.return_value.get_slice_scripts.return_value = ["a.py"]
    assert await slice_scripts(Path("."), "s1") == ["a.py"]
    loader_cls.return_value.get_slice_scripts.assert_called_once_with("s1")
