from time import sleep
import asyncio


async def poll(delay):
    await asyncio.sleep(delay)
