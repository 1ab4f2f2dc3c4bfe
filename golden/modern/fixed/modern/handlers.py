"""PEP 758 except lists without parentheses (3.14), and except* (3.11)."""

import asyncio
import shutil
import time
from pathlib import Path

from modern.generics import Cache


async def clean(path: Path, cache: Cache) -> None:
    try:
        await asyncio.to_thread(path.unlink)
    except FileNotFoundError, PermissionError: await asyncio.to_thread(shutil.rmtree, path); cache.read_sync()
    try:
        await cache.warm()
    except* ValueError, TypeError: await asyncio.sleep(1)
    except* OSError:
        await asyncio.to_thread(path.touch)
