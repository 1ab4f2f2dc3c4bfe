import time as t
import asyncio


async def poll(delay):
    await asyncio.sleep(delay * 2)
    return t.time()
