from time import sleep


async def poll(delay):
    sleep(delay)
