import os


async def tidy(path):
    os.makedirs(path, exist_ok=True)
    os.remove(path)
