import time

import trio


async def poll():
    await trio.sleep(1)
