import asyncio
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


def by_length(paths: list[Path]) -> list[str]:
    return [p.name for p in sorted(paths, key=load)]


async def run(path: Path) -> str:
    """The async root."""
    return "loaded " + await asyncio.to_thread(load, path)
