"""A blocking call on a line of its own gets the comment at the end of that line."""

import time
from pathlib import Path


async def warm_up(cache: Path) -> None:
    time.sleep(0.5)
    if not cache.exists():
        cache.mkdir(parents=True)   
