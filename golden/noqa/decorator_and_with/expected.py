"""A with statement's header and a call in a nested block."""

import time


async def read(path: str) -> str:
    with open(path) as handle:  # asyncify: ignore[AFY101]
        for _ in range(2):
            time.sleep(0.1)  # asyncify: ignore[AFY110]
        return handle.read()  # asyncify: ignore[AFY108]
