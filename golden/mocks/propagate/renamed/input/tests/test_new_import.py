"""No unittest.mock import yet: the fix adds one, in the standard-library block."""

from pathlib import Path

import pytest

from app import profiles, service


async def test_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profiles, "load_profile_sync", lambda path: "lam")
    assert await service.serve(Path("p")) == "LAM"
