from pathlib import Path
from unittest import mock

from app import service


async def test_alias() -> None:
    with mock.patch(
        "app.profiles.load_profile_async",
        new_callable=mock.AsyncMock,
        return_value="alias",
    ):
        assert await service.serve(Path("p")) == "ALIAS"
