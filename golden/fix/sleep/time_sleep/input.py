import time


async def poll():
    time.sleep(1)
    time.sleep(0.5)  # short
