"""A blocking call on a line of its own gets the comment at the end of that line."""

import time
from pathlib import Path


async def warm_up(cache: Path) -> None:
    time.sleep(0.5)  # asyncify: ignore[AFY110]
    if not cache.exists():  # asyncify: ignore[AFY102]
        cache.mkdir(parents=True)   # asyncify: ignore[AFY102]
