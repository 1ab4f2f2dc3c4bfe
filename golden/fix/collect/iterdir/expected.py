import asyncio
import os
from pathlib import Path


async def listing(root: Path) -> list[str]:
    names = [child.name for child in await asyncio.to_thread(list, root.iterdir())]
    for dirpath, _, files in await asyncio.to_thread(list, os.walk(root)):
        names.extend(files)
    return sorted(names)
