from pathlib import Path
from unittest.mock import AsyncMock, Mock, patch

import pytest

from app import profiles, service
from app.profiles import Store


@patch("app.profiles.load_profile_async", new_callable=AsyncMock, return_value="admin")
async def test_serve(stub) -> None:
    assert await service.serve(Path("p")) == "ADMIN"
    stub.assert_called_once_with(Path("p"))


async def test_serve_fixture(fake_profile) -> None:
    assert await service.serve(Path("p")) == "FROM FIXTURE"


async def test_fetch() -> None:
    with patch.object(Store, "fetch", AsyncMock(return_value=b"1234")):
        assert await service.fetch(Store(), Path("p")) == 4


async def test_fetch_autospec() -> None:
    with patch.object(Store, "fetch", autospec=True, return_value=b"12"):
        assert await service.fetch(Store(), Path("p")) == 2


async def test_fetch_method_def(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(self: Store, path: Path) -> bytes:
        return b"123"

    monkeypatch.setattr(Store, "fetch", fake)
    assert await service.fetch(Store(), Path("p")) == 3
