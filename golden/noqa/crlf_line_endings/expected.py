"""CRLF line endings are kept."""

import time


async def f() -> None:
    time.sleep(1)  # asyncify: ignore[AFY110]
