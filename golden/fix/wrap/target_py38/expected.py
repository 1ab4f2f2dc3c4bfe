import asyncio
import functools
import os


async def tidy(path):
    await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(os.makedirs, path, exist_ok=True)
    )
    await asyncio.get_running_loop().run_in_executor(None, os.remove, path)
