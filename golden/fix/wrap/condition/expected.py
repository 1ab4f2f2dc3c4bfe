import asyncio
from pathlib import Path


async def check(p: Path, x):
    if await asyncio.to_thread(p.exists) and x:
        return 1
    while not await asyncio.to_thread(p.is_dir):
        pass
    ok = await asyncio.to_thread(p.is_file) or x
    return 2 if await asyncio.to_thread(p.is_symlink) else 3
