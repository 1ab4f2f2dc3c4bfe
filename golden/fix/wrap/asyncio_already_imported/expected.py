import asyncio
import os


async def remove(path):
    await asyncio.sleep(0)
    await asyncio.to_thread(os.remove, path)
    await asyncio.to_thread(os.unlink, path)
