import time


async def poll():
    def wait():
        time.sleep(1)

    retry = lambda: time.sleep(2)
    return wait, retry
