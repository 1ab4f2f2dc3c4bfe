import asyncio
from pathlib import Path


async def load_profile_async(path: Path) -> str:
    return await asyncio.to_thread(path.read_text, encoding="utf-8")


class Store:
    async def fetch(self, path: Path) -> bytes:
        return await asyncio.to_thread(path.read_bytes)
