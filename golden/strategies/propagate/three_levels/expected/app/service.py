from pathlib import Path

from app import parse


async def collect(path: Path) -> dict[str, str]:
    """Level 1: called only from async code, so it becomes async too."""
    return {
        key.strip(): value.strip() for key, value in await parse.parse_entries(path)
    }


async def main(path: Path) -> dict[str, object]:
    """The async root."""
    entries = await collect(path)
    return {"entries": entries, "count": await parse.count_entries(path)}
