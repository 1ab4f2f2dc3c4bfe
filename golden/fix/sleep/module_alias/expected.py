import asyncio
import time as t


async def poll(delay):
    await asyncio.sleep(delay * 2)
    return t.time()
