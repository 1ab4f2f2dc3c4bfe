import asyncio

from config import load_config


async def run(path):
    settings = await asyncio.to_thread(load_config, path)
    return settings
