import asyncio
import os


async def remove(path):
    await asyncio.sleep(0)
    os.remove(path)
    os.unlink(path)
