"""Statements after a semicolon and bodies on the header's line."""

import time


async def tick(n: int) -> None:
    count = n; time.sleep(n)  # asyncify: ignore[AFY110]
    if n: time.sleep(1)  # asyncify: ignore[AFY110]
    while n > 10: n -= 1; time.sleep(0)  # asyncify: ignore[AFY110]
