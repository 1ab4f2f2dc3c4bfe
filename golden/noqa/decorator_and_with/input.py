"""A with statement's header and a call in a nested block."""

import time


async def read(path: str) -> str:
    with open(path) as handle:
        for _ in range(2):
            time.sleep(0.1)
        return handle.read()
