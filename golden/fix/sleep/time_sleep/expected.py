import asyncio
import time


async def poll():
    await asyncio.sleep(1)
    await asyncio.sleep(0.5)  # short
