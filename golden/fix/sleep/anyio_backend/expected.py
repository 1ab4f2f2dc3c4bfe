import time

import anyio


async def poll():
    await anyio.sleep(1)
