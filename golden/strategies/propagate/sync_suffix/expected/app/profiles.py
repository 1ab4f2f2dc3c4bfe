import asyncio
from pathlib import Path

__all__ = ["load_profile_async", "profile_name_async"]


async def load_profile_async(path: Path) -> str:
    """Named for what it was: a sync read. Propagation makes it async and renames it."""
    return await asyncio.to_thread(path.read_text, encoding="utf-8")


async def profile_name_async(path: Path) -> str:
    return (await load_profile_async(path)).split(":", 1)[1].strip()
