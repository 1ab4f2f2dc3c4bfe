"""Module docstring."""

from __future__ import annotations

import os
import asyncio


async def remove(path: str) -> None:
    await asyncio.to_thread(os.remove, path)
