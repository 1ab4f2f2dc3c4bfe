"""PEP 758 except lists without parentheses (3.14), and except* (3.11)."""

import shutil
import time
from pathlib import Path

from modern.generics import Cache


async def clean(path: Path, cache: Cache) -> None:
    try:
        path.unlink()
    except FileNotFoundError, PermissionError: shutil.rmtree(path); cache.read_sync()
    try:
        await cache.warm()
    except* ValueError, TypeError: time.sleep(1)
    except* OSError:
        path.touch()
