import time

import anyio


async def poll():
    time.sleep(1)
