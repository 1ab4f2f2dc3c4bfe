"""Module docstring."""

from __future__ import annotations

import asyncio
import os


async def remove(path: str) -> None:
    await asyncio.to_thread(os.remove, path)
