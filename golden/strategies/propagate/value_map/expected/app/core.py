import asyncio
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


def load_all(paths: list[Path]) -> list[str]:
    return list(map(load, paths))


async def run(path: Path) -> str:
    """The async root."""
    return "loaded " + await asyncio.to_thread(load, path)
