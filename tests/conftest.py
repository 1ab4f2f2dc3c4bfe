"""Shared pytest options and fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from asyncify.strict import ENVIRONMENT_VARIABLE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden expected files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should regenerate golden files (``--update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True, scope="session")
def strict_mode() -> Iterator[None]:
    """Internal errors raise in every test instead of becoming refusals or file errors
    (``asyncify.strict``); a test of the safety net itself turns it off with
    ``monkeypatch.delenv("ASYNCIFY_STRICT")``."""
    previous = os.environ.get(ENVIRONMENT_VARIABLE)
    os.environ[ENVIRONMENT_VARIABLE] = "1"
    yield
    if previous is None:
        os.environ.pop(ENVIRONMENT_VARIABLE, None)
    else:
        os.environ[ENVIRONMENT_VARIABLE] = previous
