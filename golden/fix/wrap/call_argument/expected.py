import asyncio
import os


async def show(path):
    print(
        await asyncio.to_thread(os.listdir, path),
        len(await asyncio.to_thread(os.listdir, compute(path))),
    )
    log("size", await asyncio.to_thread(os.path.getsize, path), sep=": ")
