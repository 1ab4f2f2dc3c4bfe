"""A line that ends with a backslash cannot take a comment: refused, the file unchanged."""

import os


async def size(path: str) -> int:
    total = os.path.getsize(path) + \
        1
    return total
