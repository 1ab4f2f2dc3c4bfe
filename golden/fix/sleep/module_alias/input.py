import time as t


async def poll(delay):
    t.sleep(delay * 2)
    return t.time()
