from pathlib import Path

from app.files import read_lines


async def parse_entries(path: Path) -> list[list[str]]:
    """Level 2."""
    return [line.split(":", 1) for line in await read_lines(path) if ":" in line]


async def count_entries(path: Path) -> int:
    return len(await parse_entries(path))
