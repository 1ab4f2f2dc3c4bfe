from config import load_config
import asyncio


async def run(path):
    settings = await asyncio.to_thread(load_config, path)
    return settings
