"""A chain of blocking calls (the handle open() returns, then its read) runs in one thread."""

import asyncio
import json
import os


async def read_all(p, name):
    text = await asyncio.to_thread(lambda: open(p).read())
    lines = (await asyncio.to_thread(lambda: open(p).read())).splitlines()
    data = json.loads(
        await asyncio.to_thread(lambda: open(os.path.join(p, name)).read())
    )  # the argument stays as it is
    return text, lines, data
