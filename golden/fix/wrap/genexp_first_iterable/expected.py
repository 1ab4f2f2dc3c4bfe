import asyncio
import os


async def names(path):
    return sorted(name.upper() for name in await asyncio.to_thread(os.listdir, path))
