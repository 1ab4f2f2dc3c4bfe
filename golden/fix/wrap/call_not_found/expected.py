import os
import asyncio


async def remove(path):
    await asyncio.to_thread(os.remove, path)
