"""CRLF line endings are kept."""

import time


async def f() -> None:
    time.sleep(1)
