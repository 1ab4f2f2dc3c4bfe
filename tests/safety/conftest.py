"""Fixtures of the ``fix`` never harms suite (helpers live in ``safety_support``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_support import make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``tmp_path/proj``: a project root (its own ``pyproject.toml``, no asyncify table)."""
    return make_project(tmp_path)
