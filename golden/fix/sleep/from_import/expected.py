import asyncio
from time import sleep


async def poll(delay):
    await asyncio.sleep(delay)
