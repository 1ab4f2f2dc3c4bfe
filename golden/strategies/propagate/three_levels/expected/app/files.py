import asyncio
from pathlib import Path


async def read_lines(path: Path) -> list[str]:
    """Level 3: the blocking read."""
    return (await asyncio.to_thread(path.read_text, encoding="utf-8")).splitlines()
