from unittest.mock import AsyncMock, patch

import pytest


@pytest.fixture
def fake_profile():
    with patch(
        "app.profiles.load_profile_async",
        new_callable=AsyncMock,
        return_value="from fixture",
    ) as stub:
        yield stub
