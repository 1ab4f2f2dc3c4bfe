"""Statements after a semicolon and bodies on the header's line."""

import time


async def tick(n: int) -> None:
    count = n; time.sleep(n)
    if n: time.sleep(1)
    while n > 10: n -= 1; time.sleep(0)
