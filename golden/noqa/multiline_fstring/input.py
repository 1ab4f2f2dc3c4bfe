"""A call inside a multi-line string's field: a comment would become text. Refused; the
other finding of the file is still commented."""

import os
import time


async def report(path: str) -> str:
    time.sleep(0)
    return f"""
listing: {os.listdir(path)}
"""
