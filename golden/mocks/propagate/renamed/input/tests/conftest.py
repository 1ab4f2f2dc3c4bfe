from unittest.mock import patch

import pytest


@pytest.fixture
def fake_profile():
    with patch("app.profiles.load_profile_sync", return_value="from fixture") as stub:
        yield stub
