import asyncio
import os


async def sizes(paths):
    listed = [await asyncio.to_thread(os.path.getsize, p) for p in paths]
    unique = {await asyncio.to_thread(os.path.realpath, p) for p in paths}
    by_name = {
        p: await asyncio.to_thread(os.stat, p)
        for p in paths
        if await asyncio.to_thread(os.path.exists, p)
    }
    return listed, unique, by_name
