"""Module docstring."""

from __future__ import annotations

import os


async def remove(path: str) -> None:
    os.remove(path)
