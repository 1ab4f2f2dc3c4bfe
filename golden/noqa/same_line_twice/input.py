"""Two findings with different codes on one line: one comment names both."""

import os
import time


async def both(path: str) -> None:
    time.sleep(os.path.getsize(path))
