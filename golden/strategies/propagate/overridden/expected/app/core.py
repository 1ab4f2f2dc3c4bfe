import asyncio
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")


class Source:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> str:
        return self.path.read_text(encoding="utf-8").strip()


class Memory(Source):
    def load(self) -> str:
        return "in memory"


async def read(source: Source) -> str:
    return "loaded " + await asyncio.to_thread(source.load)


async def run(path: Path) -> str:
    """The async root."""
    return await read(Source(path)) + " / " + await read(Memory(path))
