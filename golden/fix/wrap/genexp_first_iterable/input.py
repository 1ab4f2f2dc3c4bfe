import os


async def names(path):
    return sorted(name.upper() for name in os.listdir(path))
